"""How far each backdated session was moved into the past, so its events are stamped to match."""
from __future__ import annotations

import sqlite3

TABLE = """CREATE TABLE IF NOT EXISTS backdated_sessions (
    session_id TEXT PRIMARY KEY,
    shift_seconds INTEGER NOT NULL
)"""


def shift(conn: sqlite3.Connection, object_id: str | None) -> int:
    """How many seconds earlier events of this object are stamped (0 unless it was backdated)."""
    if not object_id:
        return 0
    try:
        row = conn.execute("SELECT shift_seconds FROM backdated_sessions WHERE session_id = ?",
                           (object_id,)).fetchone()
    except sqlite3.OperationalError:
        return 0  # the table exists only once something was backdated
    return int(row[0]) if row else 0


def add_shift(conn: sqlite3.Connection, session_id: str, seconds: int) -> None:
    """Remember that the session moved `seconds` further into the past."""
    conn.execute(TABLE)
    conn.execute("INSERT INTO backdated_sessions (session_id, shift_seconds) VALUES (?, ?) "
                 "ON CONFLICT (session_id) DO UPDATE SET shift_seconds = shift_seconds + ?",
                 (session_id, seconds, seconds))
