"""The SQLite sign-out store: one row per shopper who ever signed out, in a file under DATA_DIR."""
from __future__ import annotations

from pathlib import Path

from lib.stores.sign_outs import SignOutStore
from lib.stores.sqlite.connections import ThreadConnections

SCHEMA = """CREATE TABLE IF NOT EXISTS sign_outs (
    shopper_key TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
)"""


class SqliteSignOutStore(SignOutStore):
    """Generations in SQLite; a sign-out is one upsert, so racing processes never lose a bump."""

    backend = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conns = ThreadConnections(self.path)
        self._conns.get().execute(SCHEMA)

    def generation(self, shopper_key: str) -> int:
        """0 for a shopper who never signed out."""
        row = self._conns.get().execute(
            "SELECT generation FROM sign_outs WHERE shopper_key = ?", (shopper_key,)).fetchone()
        return row[0] if row else 0

    def sign_out(self, shopper_key: str) -> int:
        """Insert 1 or add 1, in one statement."""
        row = self._conns.get().execute(
            "INSERT INTO sign_outs (shopper_key, generation) VALUES (?, 1) ON CONFLICT"
            " (shopper_key) DO UPDATE SET generation = generation + 1 RETURNING generation",
            (shopper_key,)).fetchone()
        return row[0]

    def describe(self) -> str:
        """The database file's path."""
        return f"SQLite file {self.path}"

    def close(self) -> None:
        """Close every thread's connection."""
        self._conns.close_all()
