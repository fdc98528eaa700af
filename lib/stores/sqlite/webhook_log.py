"""The SQLite webhook log: one append-only table in a file under DATA_DIR, written by the sidecar."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from lib.config.private_files import make_folder
from lib.stores.sqlite.connections import ThreadConnections
from lib.stores.webhook_log import (
    DETAIL_LIMIT,
    SESSION_LIMIT,
    LoggedEvent,
    RejectedCount,
    WebhookLog,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    session_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    detail TEXT NOT NULL
);
-- One session's lines without a scan; the rowid (seq) rides along, so they come out in order.
CREATE INDEX IF NOT EXISTS webhook_log_session ON webhook_log (session_id);
CREATE TABLE IF NOT EXISTS rejected_counts (
    minute TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_at TEXT NOT NULL,
    last_detail TEXT NOT NULL,
    PRIMARY KEY (minute, reason)
)"""


COLUMNS = ("received_at, event_id, event_type, session_id, signature, outcome, status,"
           " latency_ms, detail")
INSERT = f"INSERT INTO webhook_log ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)"


def _row(event: LoggedEvent) -> tuple:
    """One delivery as the values of INSERT."""
    return (event.received_at.isoformat(), event.event_id, event.event_type, event.session_id,
            event.signature, str(event.outcome), event.status, event.latency_ms,
            event.detail[:DETAIL_LIMIT])


class SqliteWebhookLog(WebhookLog):
    """Append-only log in SQLite, shared by the sidecar (writer) and the app (reader)."""

    backend = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        make_folder(self.path.parent)
        # The log is a teaching aid: losing its last lines in a power cut is acceptable.
        self._conns = ThreadConnections(self.path, synchronous="NORMAL")
        self._connect().executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection."""
        return self._conns.get()

    def record(self, event: LoggedEvent) -> None:
        """Append one delivery."""
        self._connect().execute(INSERT, _row(event))

    def record_many(self, events: list[LoggedEvent]) -> None:
        """Append the deliveries in one transaction (one commit for the lot)."""
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(INSERT, [_row(event) for event in events])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def recent(self, limit: int = 50) -> list[LoggedEvent]:
        """Up to limit deliveries, the last recorded first."""
        rows = self._connect().execute(
            f"SELECT {COLUMNS} FROM webhook_log ORDER BY seq DESC LIMIT ?", (limit,))
        return [LoggedEvent(datetime.fromisoformat(r[0]), *r[1:]) for r in rows]

    def for_session(self, session_id: str, limit: int = SESSION_LIMIT) -> list[LoggedEvent]:
        """The session's lines in recording order, read through the session_id index."""
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as none at all
        rows = self._connect().execute(
            f"SELECT {COLUMNS} FROM webhook_log WHERE session_id = ? ORDER BY seq LIMIT ?",
            (session_id, limit))
        return [LoggedEvent(datetime.fromisoformat(r[0]), *r[1:]) for r in rows]

    def count_rejected(self, minute: datetime, reason: str, event: LoggedEvent,
                       count: int = 1) -> None:
        """One upsert on the (minute, reason) row."""
        self._connect().execute(
            "INSERT INTO rejected_counts (minute, reason, count, last_at, last_detail)"
            " VALUES (?,?,?,?,?) ON CONFLICT (minute, reason) DO UPDATE SET"
            " count = count + excluded.count, last_at = excluded.last_at,"
            " last_detail = excluded.last_detail",
            (minute.isoformat(), reason, count, event.received_at.isoformat(),
             event.detail[:DETAIL_LIMIT]))

    def rejected(self, limit: int = 20) -> list[RejectedCount]:
        """The latest minutes first; within a minute, the latest refusal first."""
        rows = self._connect().execute(
            "SELECT minute, reason, count, last_at, last_detail FROM rejected_counts"
            " ORDER BY minute DESC, last_at DESC LIMIT ?", (limit,))
        return [RejectedCount(datetime.fromisoformat(r[0]), r[1], r[2],
                              datetime.fromisoformat(r[3]), r[4]) for r in rows]

    def last_received_at(self) -> datetime | None:
        """When the last recorded delivery arrived, or None if none has."""
        row = self._connect().execute(
            "SELECT received_at FROM webhook_log ORDER BY seq DESC LIMIT 1").fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def describe(self) -> str:
        """The database file's path."""
        return f"SQLite file {self.path}"

    def close(self) -> None:
        """Close every thread's connection."""
        self._conns.close_all()
