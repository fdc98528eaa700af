"""Read and write Checkout Sessions in the state database (JSON documents keyed by id)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..api.errors import not_found


@dataclass
class StoredSession:
    """A session row: the public object, its line items (products expanded) and its offered shipping rates."""

    session: dict
    line_items: list[dict]
    rates: list[dict]

    def rate(self, rate_id: str) -> dict | None:
        """The offered shipping rate with this id, if any."""
        return next((r for r in self.rates if r["id"] == rate_id), None)


def insert_session(conn: sqlite3.Connection, stored: StoredSession) -> None:
    """Store a new session."""
    s = stored.session
    conn.execute(
        "INSERT INTO sessions (id, status, expires_at, doc, line_items, rates) VALUES (?, ?, ?, ?, ?, ?)",
        (s["id"], s["status"], s["expires_at"], json.dumps(s), json.dumps(stored.line_items),
         json.dumps(stored.rates)),
    )


def update_session(conn: sqlite3.Connection, session: dict) -> None:
    """Save a changed session object (status, payment, customer details...)."""
    conn.execute("UPDATE sessions SET status = ?, doc = ? WHERE id = ?",
                 (session["status"], json.dumps(session), session["id"]))


def update_line_items(conn: sqlite3.Connection, session_id: str, line_items: list[dict]) -> None:
    """Save a session's changed line items (a discount changes their amounts)."""
    conn.execute("UPDATE sessions SET line_items = ? WHERE id = ?", (json.dumps(line_items), session_id))


def load_session(conn: sqlite3.Connection, session_id: str) -> StoredSession | None:
    """Load one session by id, or None."""
    row = conn.execute("SELECT doc, line_items, rates FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        return None
    return StoredSession(json.loads(row["doc"]), json.loads(row["line_items"]), json.loads(row["rates"]))


def require_session(conn: sqlite3.Connection, session_id: str) -> StoredSession:
    """Load one session by id, or raise Stripe's 404 for it."""
    stored = load_session(conn, session_id)
    if stored is None:
        raise not_found("checkout.session", session_id)
    return stored


def due_expiries(conn: sqlite3.Connection, now: float) -> list[str]:
    """Ids of open sessions whose expires_at has passed."""
    rows = conn.execute("SELECT id FROM sessions WHERE status = 'open' AND expires_at <= ?", (now,))
    return [r["id"] for r in rows]

