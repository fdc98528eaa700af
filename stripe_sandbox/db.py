"""The sandbox's SQLite file: schema, one connection per thread, and short write transactions."""
from __future__ import annotations

import os
import sqlite3
import stat
import threading
from contextlib import contextmanager
from pathlib import Path

from .dashboard.sign_in import SPENT_SCHEMA
from .discounts.store import SCHEMA as DISCOUNT_SCHEMA
from .payment_intents.store import SCHEMA as PAYMENT_INTENT_SCHEMA
from .payment_methods.store import SCHEMA as PAYMENT_METHOD_SCHEMA
from .products.store import SCHEMA as CATALOG_SCHEMA
from .refunds.store import SCHEMA as REFUND_SCHEMA

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    doc TEXT NOT NULL,          -- the public session object, without line_items
    line_items TEXT NOT NULL,   -- line item objects, each price.product kept expanded
    rates TEXT NOT NULL         -- the shipping rate objects offered, in order
);
CREATE INDEX IF NOT EXISTS sessions_open ON sessions (status, expires_at);
CREATE TABLE IF NOT EXISTS shipping_rates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    created INTEGER NOT NULL,
    object_id TEXT,
    body TEXT NOT NULL          -- the exact JSON payload every delivery sends
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    state TEXT NOT NULL,        -- pending | delivered | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    UNIQUE (event_id, url)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    url TEXT NOT NULL,
    status_code INTEGER,
    latency_ms REAL NOT NULL,
    error TEXT,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_event ON attempts (event_id);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    due_at REAL NOT NULL,
    done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (done, due_at);
"""


def _make_private(path: Path) -> None:
    """A 0600 state file in a 0700 folder on POSIX, made before SQLite creates it 0644 (its
    -wal and -shm files then get the same mode): it holds the webhook signing secret."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if os.name == "posix":
        # Tighten a folder made 0755 earlier, never a shared one such as /tmp (sticky bit).
        if not path.parent.stat().st_mode & stat.S_ISVTX:
            os.chmod(path.parent, 0o700)
        os.chmod(path, 0o600)


class Database:
    """Opens the state file lazily, one connection per thread, in WAL mode so readers never block the writer."""

    def __init__(self, path: Path):
        self.path = Path(path)
        _make_private(self.path)
        self._local = threading.local()
        # executescript manages its own transaction; every statement is IF NOT EXISTS, so reruns are harmless.
        self.connection().executescript(SCHEMA + CATALOG_SCHEMA + DISCOUNT_SCHEMA + REFUND_SCHEMA
                                        + PAYMENT_METHOD_SCHEMA + PAYMENT_INTENT_SCHEMA + SPENT_SCHEMA)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN ourselves so each write is one explicit transaction.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self):
        """A write transaction taken up front (BEGIN IMMEDIATE), so read-then-write sequences cannot interleave."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def get_setting(self, key: str) -> str | None:
        """Read a persisted sandbox setting such as the generated webhook secret."""
        row = self.connection().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_setting(self, key: str, value: str) -> None:
        """Persist a sandbox setting."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
