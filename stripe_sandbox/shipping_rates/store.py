"""Read and write shipping rates in the state database (JSON documents keyed by id)."""
from __future__ import annotations

import json
import sqlite3


def insert_rate(conn: sqlite3.Connection, rate: dict) -> None:
    """Store a shipping rate object."""
    conn.execute("INSERT INTO shipping_rates (id, doc) VALUES (?, ?)", (rate["id"], json.dumps(rate)))


def load_rate(conn: sqlite3.Connection, rate_id: str) -> dict | None:
    """Load a shipping rate by id, or None."""
    row = conn.execute("SELECT doc FROM shipping_rates WHERE id = ?", (rate_id,)).fetchone()
    return json.loads(row["doc"]) if row else None


def list_rates(conn: sqlite3.Connection) -> list[dict]:
    """All shipping rates, newest first."""
    rows = conn.execute("SELECT doc FROM shipping_rates ORDER BY seq DESC")
    return [json.loads(r["doc"]) for r in rows]
