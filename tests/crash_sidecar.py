"""A test-only sidecar that stops dead between the inbox insert and the answer.

`python -m tests.crash_sidecar` serves the real `create_app` on the settings' port, with one
change injected through its `inbox` argument: after the real insert of a new event has
committed, the request writes the event id to CRASH_MARKER and blocks, so the answer never
leaves. A test waits for the marker and kill -9s the process at exactly that point.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from waitress import serve

from lib.config.settings import load_settings
from lib.stores.factory import make_inbox
from lib.stores.inbox import Inbox
from webhook_server import create_app, shutdown
from webhook_server.__main__ import SERVER_LIMITS


class HaltingInbox(Inbox):
    """The real inbox, except that a request which stored a new event never returns."""

    def __init__(self, inner: Inbox, marker: Path):
        self.inner, self.marker = inner, marker
        self.backend = inner.backend

    def add(self, event_id, event_type, session_id, payload, now) -> bool:
        """The real insert, then the marker, then a wait that only kill -9 ends."""
        new = self.inner.add(event_id, event_type, session_id, payload, now)
        if new:
            self.marker.write_text(event_id)
            threading.Event().wait()
        return new

    def claim(self, now, lease_seconds, token):
        """As the real inbox."""
        return self.inner.claim(now, lease_seconds, token)

    def fulfilled(self, claim, now):
        """As the real inbox."""
        return self.inner.fulfilled(claim, now)

    def retry(self, claim, error, next_attempt_at):
        """As the real inbox."""
        return self.inner.retry(claim, error, next_attempt_at)

    def failed(self, claim, error, now):
        """As the real inbox."""
        return self.inner.failed(claim, error, now)

    def get(self, event_id):
        """As the real inbox."""
        return self.inner.get(event_id)

    def many(self, event_ids):
        """As the real inbox."""
        return self.inner.many(event_ids)

    def recent(self, limit=50):
        """As the real inbox."""
        return self.inner.recent(limit)

    def describe(self):
        """As the real inbox."""
        return self.inner.describe()


if __name__ == "__main__":
    settings = load_settings(os.environ)
    inbox = HaltingInbox(make_inbox(settings), Path(os.environ["CRASH_MARKER"]))
    app = create_app(settings, inbox=inbox, worker_threads=1)
    # Its worker stops before any delivery, so at the kill the event is exactly stored: not
    # answered, not claimed (the points after the answer are tests/test_inbox_crash.py's other
    # test, against the unchanged sidecar).
    shutdown(app)
    serve(app, host="127.0.0.1", port=settings.webhook_port, ident="crash-sidecar",
          **SERVER_LIMITS)
