"""A test-only sidecar that stops dead between the inbox insert and the hand-off (and so the
answer).

`python -m tests.crash_sidecar` serves the real `create_app` on the settings' port, with one
change injected through its `inbox` argument: after the real insert of a new event has
committed (leased to this process, as the sidecar stores new events), the request writes the
event id to CRASH_MARKER and blocks, so the claim never reaches a worker and the answer never
leaves; and its workers' polls never return, so nothing here fulfils the event. A test waits
for the marker and kill -9s the process at exactly that point.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from waitress import serve

from lib.config.settings import load_settings
from lib.stores.factory import make_inbox
from lib.stores.inbox import Inbox
from webhook_server import create_app
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
            self.halt(event_id)
        return new

    def add_claimed(self, event_id, event_type, session_id, payload, now, lease_seconds,
                    token):
        """The real leased insert, then the marker, then a wait that only kill -9 ends."""
        claim = self.inner.add_claimed(event_id, event_type, session_id, payload, now,
                                       lease_seconds, token)
        if claim is not None:
            self.halt(event_id)
        return claim

    def halt(self, event_id: str) -> None:
        """Say which event is stored, then never return."""
        self.marker.write_text(event_id)
        threading.Event().wait()

    def claim(self, now, lease_seconds, token):
        """Never returns: this process's workers take nothing from the store."""
        threading.Event().wait()

    def fulfilled_with_order(self, claim, order, orders, now):
        """As the real inbox."""
        return self.inner.fulfilled_with_order(claim, order, orders, now)

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
    # Its worker's polls never return and the claim never reaches it, so at the kill the
    # event is exactly stored: not answered, not fulfilled (the points after the answer are
    # tests/test_inbox_crash.py's other test, against the unchanged sidecar).
    app = create_app(settings, inbox=inbox, worker_threads=1)
    serve(app, host="127.0.0.1", port=settings.webhook_port, ident="crash-sidecar",
          **SERVER_LIMITS)
