"""Stored payment intents (those made through the API), and what a Checkout Session was given for its
intent in payment_intent_data, kept until the session is paid."""
from __future__ import annotations

import json
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS payment_intents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkout_intent_data (
    session_id TEXT PRIMARY KEY,
    data TEXT NOT NULL          -- payment_intent_data as validated: shipping, description, metadata, ...
);
"""


def save_intent(conn: sqlite3.Connection, intent: dict) -> None:
    """Insert or replace a payment intent document."""
    conn.execute("INSERT INTO payment_intents (id, doc) VALUES (?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc", (intent["id"], json.dumps(intent)))


def load_intent(conn: sqlite3.Connection, intent_id: str) -> dict | None:
    """A payment intent made through the API, or None."""
    row = conn.execute("SELECT doc FROM payment_intents WHERE id = ?", (intent_id,)).fetchone()
    return json.loads(row["doc"]) if row else None


def stored_intents(conn: sqlite3.Connection) -> list[dict]:
    """Every payment intent made through the API, newest first."""
    return [json.loads(r["doc"]) for r in conn.execute("SELECT doc FROM payment_intents ORDER BY seq DESC")]


def save_checkout_data(conn: sqlite3.Connection, session_id: str, data: dict) -> None:
    """Keep a new session's payment_intent_data (nothing is kept when it had none)."""
    if data:
        conn.execute("INSERT OR REPLACE INTO checkout_intent_data (session_id, data) VALUES (?, ?)",
                     (session_id, json.dumps(data)))


def checkout_data(conn: sqlite3.Connection, session_id: str) -> dict:
    """What a session was given in payment_intent_data ({} when nothing)."""
    row = conn.execute("SELECT data FROM checkout_intent_data WHERE session_id = ?", (session_id,)).fetchone()
    return json.loads(row["data"]) if row else {}
