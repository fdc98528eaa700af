"""Small counting wrappers around the real stores, for tests that count what a path costs: an
inbox counting each port call by method, and a Firestore connection counting each request the
adapters make through it by the thread that made it."""
from __future__ import annotations

import threading
from collections import Counter

from lib.stores.firestore.connection import FirestoreConnection
from lib.stores.inbox import Inbox


class CountingInbox(Inbox):
    """The real inbox; `calls` counts each port method once it has returned."""

    def __init__(self, inner: Inbox):
        self.inner, self.backend, self.poll_seconds = inner, inner.backend, inner.poll_seconds
        self.handoff_per_worker = inner.handoff_per_worker
        self.calls: Counter = Counter()
        self._lock = threading.Lock()

    def _counted(self, name: str, result):
        """Count one call of name; its result."""
        with self._lock:
            self.calls[name] += 1
        return result

    def add(self, *args):
        """As the real inbox."""
        return self._counted("add", self.inner.add(*args))

    def add_claimed(self, *args):
        """As the real inbox."""
        return self._counted("add_claimed", self.inner.add_claimed(*args))

    def claim(self, *args):
        """As the real inbox; "claim_taken" counts the claims that leased an event."""
        claim = self._counted("claim", self.inner.claim(*args))
        return claim if claim is None else self._counted("claim_taken", claim)

    def fulfilled(self, *args):
        """As the real inbox."""
        return self._counted("fulfilled", self.inner.fulfilled(*args))

    def fulfilled_with_order(self, *args):
        """As the real inbox."""
        return self._counted("fulfilled_with_order", self.inner.fulfilled_with_order(*args))

    def retry(self, *args):
        """As the real inbox."""
        return self._counted("retry", self.inner.retry(*args))

    def failed(self, *args):
        """As the real inbox."""
        return self._counted("failed", self.inner.failed(*args))

    def get(self, *args):
        """As the real inbox."""
        return self._counted("get", self.inner.get(*args))

    def many(self, *args):
        """As the real inbox."""
        return self._counted("many", self.inner.many(*args))

    def recent(self, *args):
        """As the real inbox."""
        return self._counted("recent", self.inner.recent(*args))

    def describe(self):
        """As the real inbox."""
        return self.inner.describe()

    def close(self):
        """As the real inbox."""
        self.inner.close()


def thread_kind(name: str) -> str:
    """'worker', 'log' or 'request': which part of the sidecar a thread belongs to."""
    if name.startswith("inbox-worker-"):
        return "worker"
    return "log" if name == "webhook-log-writer" else "request"


class CountingConnection(FirestoreConnection):
    """A real Firestore connection; `requests` counts, by thread_kind, each request an adapter
    sends through it (every one passes calls())."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests: Counter = Counter()
        self._lock = threading.Lock()

    def calls(self) -> dict:
        """Count one request, then the real timeout and retry."""
        with self._lock:
            self.requests[thread_kind(threading.current_thread().name)] += 1
        return super().calls()
