"""Events: the log, webhook delivery with retries, signing, and the inspector's endpoints."""
