"""The SQLite basket store: one row per shopper in a file under DATA_DIR, shared by every process."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from lib.config.private_files import make_folder
from lib.shop.basket import Basket
from lib.stores.baskets import BasketStore
from lib.stores.errors import StoreError
from lib.stores.sqlite.connections import ThreadConnections

SCHEMA = """
CREATE TABLE IF NOT EXISTS baskets (
    shopper TEXT PRIMARY KEY,
    lines TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
)"""


class SqliteBasketStore(BasketStore):
    """One row per shopper key; every change runs in a write transaction and bumps the version."""

    backend = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conns = ThreadConnections(self.path)
        try:
            make_folder(self.path.parent)
            with self._connect() as conn:
                conn.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the basket store at {self.path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection."""
        return self._conns.get()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        conn = self._connect()
        # BEGIN IMMEDIATE takes the write lock first, so two tabs cannot lose each other's edits.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _write(conn: sqlite3.Connection, shopper: str, lines: dict, version: int) -> None:
        """Store the shopper's lines at this version (inside the caller's transaction)."""
        conn.execute(
            "INSERT INTO baskets (shopper, lines, version, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(shopper) DO UPDATE SET lines = excluded.lines, "
            "version = excluded.version, updated_at = excluded.updated_at",
            (shopper, json.dumps(lines), version, datetime.now(UTC).isoformat()))

    def load(self, shopper: str) -> Basket:
        """The shopper's basket (empty, version 0, when there is none)."""
        row = self._connect().execute(
            "SELECT lines, version FROM baskets WHERE shopper = ?", (shopper,)).fetchone()
        return Basket(json.loads(row[0]), row[1]) if row else Basket({}, 0)

    def update(self, shopper: str, change: Callable[[dict], dict]) -> Basket:
        """Apply change to the shopper's lines atomically; its exceptions abort the change."""
        with self._writing() as conn:
            current = self.load(shopper)
            lines = change(dict(current.lines))
            self._write(conn, shopper, lines, current.version + 1)
        return Basket(lines, current.version + 1)

    def merge(self, source: str, target: str, combine: Callable[[dict, dict], dict]) -> Basket:
        """Empty source and write combine(target, source) into target in one transaction."""
        with self._writing() as conn:
            taken, current = self.load(source), self.load(target)
            if source == target or not taken.lines:
                return current
            lines = combine(dict(current.lines), dict(taken.lines))
            self._write(conn, source, {}, taken.version + 1)
            self._write(conn, target, lines, current.version + 1)
        return Basket(lines, current.version + 1)

    def describe(self) -> str:
        """The database file's path."""
        return f"SQLite file {self.path}"

    def close(self) -> None:
        """Close every thread's connection."""
        self._conns.close_all()
