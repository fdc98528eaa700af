"""The SQLite webhook inbox: one table in a file under DATA_DIR, shared by sidecar processes."""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from lib.config.private_files import make_folder
from lib.stores.errors import StoreError
from lib.stores.inbox import (
    ERROR_LIMIT,
    UNREADABLE,
    Claim,
    Inbox,
    InboxEvent,
    InboxState,
    readable,
    unreadable_error,
)
from lib.stores.sqlite.connections import ThreadConnections
from lib.stores.sqlite.group_commit import GroupCommit

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    session_id TEXT NOT NULL,
    payload BLOB NOT NULL,
    received_at TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    token TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS inbox_due ON inbox (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS inbox_received ON inbox (received_at)"""
LOG = logging.getLogger("storefront.inbox")
COLUMNS = ("event_id, event_type, session_id, payload, received_at, state, attempts,"
           " next_attempt_at, last_error, done_at")


def _stamp(moment: datetime) -> str:
    """A sortable text timestamp (ISO 8601, UTC as given)."""
    return moment.isoformat()


def _insert(conn: sqlite3.Connection, row: tuple) -> bool:
    """One add inside a group commit: True if the event is new."""
    return conn.execute(
        "INSERT OR IGNORE INTO inbox (event_id, event_type, session_id, payload, received_at,"
        " state, attempts, next_attempt_at, token) VALUES (?,?,?,?,?,?,?,?,?)",
        row).rowcount == 1


def _event(row) -> InboxEvent:
    """An InboxEvent from a row in COLUMNS order (TypeError or ValueError when it holds none:
    the columns' types are affinities, so a row written by hand can hold text for a blob)."""
    if not isinstance(row[3], bytes):
        raise TypeError(f"payload is {type(row[3]).__name__}, not bytes")
    return InboxEvent(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]),
                      row[5], int(row[6]), datetime.fromisoformat(row[7]), row[8],
                      datetime.fromisoformat(row[9]) if row[9] else None)


def _events(rows) -> list[InboxEvent]:
    """The events these rows hold, in order, skipping (and naming) any no one can read."""
    return readable(rows, _event, lambda row: f"row {row[0]!r}", LOG)


class SqliteInbox(Inbox):
    """The inbox in SQLite: adds with synchronous=FULL, since an acknowledged event must
    survive a crash; the workers' claims and settles with NORMAL (see __init__)."""

    backend = "sqlite"

    def __init__(self, path: Path):
        self.path = Path(path)
        make_folder(self.path.parent)
        self._conns = ThreadConnections(self.path, synchronous="FULL")
        # A claim or settle lost to a power cut (WAL + NORMAL still survives kill -9) only
        # sends its event round again, and the order write is exactly-once; an fsync on each
        # of them tripled the fsyncs per event, all queued on the one write lock with the adds.
        self._worker_conns = ThreadConnections(self.path, synchronous="NORMAL")
        # Adds arriving together share one transaction and one fsync (each fsync'd add held
        # the write lock alone, which capped the answers at one per fsync).
        self._adds = GroupCommit(self._conns, _insert)
        self._run(lambda conn: conn.executescript(SCHEMA))

    def _run(self, work, conns: ThreadConnections | None = None):
        """work(connection) with SQLite's errors as StoreError (on the FULL connections unless
        told otherwise)."""
        try:
            return work((conns or self._conns).get())
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite inbox {self.path}: {exc}") from exc

    def add(self, event_id, event_type, session_id, payload, now) -> bool:
        """Store the event unless its id is in already (INSERT OR IGNORE), committed with
        whatever other adds are waiting; returns once the commit is durable."""
        return self._run(lambda conn: self._adds.submit(
            (event_id, event_type, session_id, bytes(payload), _stamp(now), InboxState.RECEIVED,
             0, _stamp(now), "")))

    def add_claimed(self, event_id, event_type, session_id, payload, now, lease_seconds,
                    token) -> Claim | None:
        """The same group-committed insert, the row claimed by token until its lease ends."""
        until = now + timedelta(seconds=lease_seconds)
        new = self._run(lambda conn: self._adds.submit(
            (event_id, event_type, session_id, bytes(payload), _stamp(now), InboxState.CLAIMED,
             1, _stamp(until), token)))
        if not new:
            return None
        return Claim(InboxEvent(event_id, event_type, session_id, bytes(payload), now,
                                InboxState.CLAIMED, 1, until, "", None), token)

    def claim(self, now, lease_seconds, token) -> Claim | None:
        """One UPDATE ... RETURNING picks and leases the oldest due event, so two workers can
        never both win it; for a claimed event next_attempt_at is its lease's end. A claimed
        row that cannot be read is marked failed (and kept), and the next one claimed."""
        until = _stamp(now + timedelta(seconds=lease_seconds))
        while True:
            row = self._run(lambda conn: conn.execute(
                f"UPDATE inbox SET state=?, token=?, attempts=attempts+1, next_attempt_at=?"
                f" WHERE event_id = (SELECT event_id FROM inbox WHERE state IN (?,?,?)"
                f" AND next_attempt_at <= ? ORDER BY next_attempt_at, received_at LIMIT 1)"
                f" RETURNING {COLUMNS}",
                (InboxState.CLAIMED, token, until, InboxState.RECEIVED, InboxState.RETRYING,
                 InboxState.CLAIMED, _stamp(now))).fetchone(),
                self._worker_conns)
            if row is None:
                return None
            try:
                return Claim(_event(row), token)
            except UNREADABLE as exc:
                # Left claimed, it would come round again at every lease's end, for ever.
                if self._settle(row[0], token, InboxState.FAILED, unreadable_error("row", exc),
                                now, now):
                    LOG.error("inbox: marked unreadable row %r failed: %s", row[0], exc)

    def _settle(self, event_id: str, token: str, state: str, error: str, next_at: datetime,
                done_at: datetime | None) -> bool:
        """Move a claimed event on, only if this claim (its token) still holds its lease."""
        cursor = self._run(lambda conn: conn.execute(
            "UPDATE inbox SET state=?, last_error=?, next_attempt_at=?, done_at=?, token=''"
            " WHERE event_id=? AND state=? AND token=?",
            (state, error[:ERROR_LIMIT], _stamp(next_at), _stamp(done_at) if done_at else None,
             event_id, InboxState.CLAIMED, token)), self._worker_conns)
        return cursor.rowcount == 1

    def fulfilled(self, claim, now) -> bool:
        """Mark fulfilled (keeping the last error, if an earlier attempt had one)."""
        return self._settle(claim.event.event_id, claim.token, InboxState.FULFILLED,
                            claim.event.last_error, now, now)

    def retry(self, claim, error, next_attempt_at) -> bool:
        """Back for another attempt at next_attempt_at."""
        return self._settle(claim.event.event_id, claim.token, InboxState.RETRYING, error,
                            next_attempt_at, None)

    def failed(self, claim, error, now) -> bool:
        """Given up for good."""
        return self._settle(claim.event.event_id, claim.token, InboxState.FAILED, error, now, now)

    def get(self, event_id) -> InboxEvent | None:
        """The event with this id, or None."""
        row = self._run(lambda conn: conn.execute(
            f"SELECT {COLUMNS} FROM inbox WHERE event_id=?", (event_id,)).fetchone())
        found = _events([row] if row else [])
        return found[0] if found else None

    def many(self, event_ids) -> dict[str, InboxEvent]:
        """The held events among these ids, by id (one query per 500 ids)."""
        wanted = sorted({i for i in event_ids if i})
        found: dict[str, InboxEvent] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self._run(lambda conn, chunk=chunk: conn.execute(
                f"SELECT {COLUMNS} FROM inbox WHERE event_id IN ({','.join('?' * len(chunk))})",
                chunk).fetchall())
            found.update((event.event_id, event) for event in _events(rows))
        return found

    def recent(self, limit=50) -> list[InboxEvent]:
        """Up to limit events, the last received first."""
        rows = self._run(lambda conn: conn.execute(
            f"SELECT {COLUMNS} FROM inbox ORDER BY received_at DESC, rowid DESC LIMIT ?",
            (limit,)).fetchall())
        return _events(rows)

    def describe(self) -> str:
        """The file it lives in."""
        return f"SQLite inbox at {self.path}"

    def close(self) -> None:
        """Close every thread's connections."""
        self._conns.close_all()
        self._worker_conns.close_all()
