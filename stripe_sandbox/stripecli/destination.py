"""`stripe listen` as a webhook destination: registered by the first CLI that connects, kept in the database."""
from __future__ import annotations

import sqlite3
import time

# The delivery target every event is queued for once a CLI has listened; shown as the delivery's URL.
CLI_DESTINATION = "stripe listen"
REGISTERED_SETTING = "stripecli_destination"


def register(conn: sqlite3.Connection) -> None:
    """From now on, queue every new event for the CLI as well."""
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                 (REGISTERED_SETTING, str(int(time.time()))))


def destinations(conn: sqlite3.Connection) -> list[str]:
    """The CLI destination when a CLI has ever listened here, else nothing."""
    row = conn.execute("SELECT 1 FROM settings WHERE key = ?", (REGISTERED_SETTING,)).fetchone()
    return [CLI_DESTINATION] if row else []


def due_now(conn: sqlite3.Connection) -> int:
    """Make every delivery waiting for the CLI due at once (a CLI just connected); returns how many."""
    return conn.execute("UPDATE deliveries SET next_attempt_at = ? WHERE url = ? AND state = 'pending'",
                        (time.time(), CLI_DESTINATION)).rowcount
