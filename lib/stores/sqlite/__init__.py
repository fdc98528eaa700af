"""The SQLite adapters, one per store port, all in one file under DATA_DIR."""
