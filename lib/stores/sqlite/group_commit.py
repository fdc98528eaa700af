"""Group commit for SQLite: writes that several threads make at the same moment share one
transaction, so one fsync makes them all durable and each caller still returns only after it."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from lib.stores.sqlite.connections import ThreadConnections

MAX_BATCH = 64  # writes per transaction: bounds how long the write lock is held


class _Slot:
    """One caller's write: its parameters, then its result or error."""

    __slots__ = ("params", "result", "error", "done")

    def __init__(self, params: tuple):
        self.params, self.result, self.error, self.done = params, None, None, False


class GroupCommit:
    """Runs write(connection, params) for every waiting caller inside one BEGIN IMMEDIATE ...
    COMMIT: the first caller leads (alone, if nobody else is writing, so one write waits for
    nothing); whoever arrives during its commit is in the next one."""

    def __init__(self, conns: ThreadConnections, write: Callable[[sqlite3.Connection, tuple], object],
                 max_batch: int = MAX_BATCH):
        self._conns, self._write, self.max_batch = conns, write, max_batch
        self._cv = threading.Condition()
        self._queue: list[_Slot] = []
        self._leading = False
        self.commits = 0  # transactions run, for tests and profiles

    @property
    def waiting(self) -> int:
        """Writes queued for a coming transaction (not the one running), for tests and profiles."""
        with self._cv:
            return len(self._queue)

    def submit(self, params: tuple):
        """write(connection, params)'s result once it is committed (raises what the write or
        the commit raised: sqlite3.Error for the store's own failures)."""
        slot = _Slot(params)
        with self._cv:
            self._queue.append(slot)
            while not slot.done:
                if self._leading:
                    self._cv.wait()
                    continue
                self._leading = True
                batch = self._queue[:self.max_batch]
                del self._queue[:self.max_batch]
                self._cv.release()
                try:
                    self._commit(batch)
                finally:
                    self._cv.acquire()
                    self._leading = False
                    self._cv.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _commit(self, batch: list[_Slot]) -> None:
        """One transaction for the batch; on any failure none of it is kept and every caller
        in it gets the error."""
        try:
            conn = self._conns.get()
            conn.execute("BEGIN IMMEDIATE")
            try:
                results = [self._write(conn, slot.params) for slot in batch]
                conn.execute("COMMIT")
            except BaseException:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite already rolled it back
                raise
            self.commits += 1
        except Exception as exc:  # noqa: BLE001 - handed to each caller, who raises it
            for slot in batch:
                slot.error, slot.done = exc, True
            return
        for slot, result in zip(batch, results, strict=True):
            slot.result, slot.done = result, True
