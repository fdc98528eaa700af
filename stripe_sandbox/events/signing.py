"""Webhook signing secrets and the Stripe-Signature header (t=<unix time>,v1=<HMAC-SHA256 hex>)."""
from __future__ import annotations

import hashlib
import hmac
import time

from ..api.ids import random_token


def new_secret() -> str:
    """A fresh whsec_ secret, like the one `stripe listen` prints."""
    return "whsec_" + random_token(32)


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    """Sign '<timestamp>.<payload>' with the secret, the scheme stripe.Webhook.construct_event verifies."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
