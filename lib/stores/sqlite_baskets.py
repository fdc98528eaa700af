"""Baskets persisted per shopper in SQLite, so they survive refreshes and new tabs."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from lib.basket import Basket
from lib.stores.base import StoreError
from lib.stores.sqlite_connections import ThreadConnections

SCHEMA = """
CREATE TABLE IF NOT EXISTS baskets (
    shopper TEXT PRIMARY KEY,
    lines TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL
)"""


class SqliteBasketStore:
    """One row per shopper key; every change runs in a write transaction and bumps the version."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conns = ThreadConnections(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the basket store at {self.path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection."""
        return self._conns.get()

    def load(self, shopper: str) -> Basket:
        """The shopper's basket (empty, version 0, when there is none)."""
        row = self._connect().execute(
            "SELECT lines, version FROM baskets WHERE shopper = ?", (shopper,)).fetchone()
        return Basket(json.loads(row[0]), row[1]) if row else Basket({}, 0)

    def update(self, shopper: str, change: Callable[[dict], dict]) -> Basket:
        """Apply change to the shopper's lines atomically; its exceptions abort the change."""
        conn = self._connect()
        # BEGIN IMMEDIATE takes the write lock first, so two tabs cannot lose each other's edits.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = self.load(shopper)
            lines = change(dict(current.lines))
            version = current.version + 1
            conn.execute(
                "INSERT INTO baskets (shopper, lines, version, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(shopper) DO UPDATE SET lines = excluded.lines, "
                "version = excluded.version, updated_at = excluded.updated_at",
                (shopper, json.dumps(lines), version, datetime.now(timezone.utc).isoformat()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return Basket(lines, version)

    def take(self, shopper: str) -> Basket:
        """Empty the shopper's basket and return what it held (used to merge a guest basket)."""
        taken: list[dict] = []

        def empty(lines: dict) -> dict:
            taken.append(lines)
            return {}

        self.update(shopper, empty)
        return Basket(taken[0], 0)

    def clear(self, shopper: str) -> Basket:
        """Empty the shopper's basket."""
        return self.update(shopper, lambda lines: {})
