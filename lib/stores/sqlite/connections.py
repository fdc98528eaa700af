"""One SQLite connection per thread, for the stores that several threads and processes share."""
from __future__ import annotations

import sqlite3
import threading
import weakref
from pathlib import Path

from lib.config.private_files import private_file

BUSY_TIMEOUT_MS = 5000


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced, so close_all() finds those still open."""


class ThreadConnections:
    """Opens a connection per thread on first use (sqlite3 connections must not cross threads)
    in autocommit mode with a busy timeout; WAL so readers never wait for the writer."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 row_factory=None, synchronous: str = "FULL"):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.row_factory = row_factory
        self.synchronous = synchronous
        self._local = threading.local()
        # Threads come and go (Streamlit runs, request threads): a finished thread's connection
        # is collected, and so closed, with its thread-local; the weak set then forgets it.
        self._open: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._private = False

    def get(self) -> sqlite3.Connection:
        """This thread's connection (raises sqlite3.Error if the file cannot be opened)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if not self._private:
                private_file(self.path)  # before SQLite creates it 0644, with its -wal and -shm
                self._private = True
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None, check_same_thread=False,
                                   factory=_Connection)
            conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            if self.row_factory is not None:
                conn.row_factory = self.row_factory
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
        return conn

    def close_all(self) -> None:
        """Close every connection still open, from any thread."""
        with self._lock:
            conns = list(self._open)
            self._open.clear()
        for conn in conns:
            conn.close()
        self._local = threading.local()
