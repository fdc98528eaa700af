"""Waiting for the sidecar's inbox to drain, read through the inbox port the factory builds
(SQLite or Firestore, whatever the settings choose), and what the drained inbox says."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from lib.config.settings import build_settings
from lib.stores.inbox import InboxState

POLL_SECONDS = 0.5  # the drain is timed from the inbox's own timestamps, not by this poll


@dataclass
class Drained:
    """The inbox once nothing was left to do: states, and when it received and finished."""

    states: Counter = field(default_factory=Counter)
    first_received: datetime | None = None
    last_done: datetime | None = None
    lags_ms: list = field(default_factory=list)  # receipt to fulfilment, per fulfilled event
    done_at: dict = field(default_factory=dict)  # event id -> when it was fulfilled or failed
    waited_s: float = 0.0

    @property
    def span_s(self) -> float:
        """Seconds from the first receipt to the last fulfilment."""
        if self.first_received is None or self.last_done is None:
            return 0.0
        return (self.last_done - self.first_received).total_seconds()

    @property
    def fulfilled(self) -> int:
        """Events fulfilled."""
        return self.states[InboxState.FULFILLED]


def wait_drained(store_env: dict, event_ids: set[str], timeout: float = 180) -> Drained:
    """Poll the inbox until every one of event_ids is fulfilled or failed (raises on timeout)."""
    from lib.stores.factory import make_inbox

    inbox = make_inbox(build_settings(store_env))
    start = time.perf_counter()
    try:
        while True:
            mine = list(inbox.many(event_ids).values())  # one round trip
            done = [e for e in mine if e.state in (InboxState.FULFILLED, InboxState.FAILED)]
            if len(done) == len(event_ids):
                break
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"inbox not drained after {timeout:.0f} s:"
                                   f" {len(done)} of {len(event_ids)} done, {len(mine)} stored")
            time.sleep(POLL_SECONDS)
    finally:
        inbox.close()
    out = Drained(Counter(e.state for e in mine), waited_s=time.perf_counter() - start)
    out.first_received = min(e.received_at for e in mine)
    out.last_done = max(e.done_at for e in done)
    out.done_at = {e.event_id: e.done_at for e in done}
    out.lags_ms = [(e.done_at - e.received_at).total_seconds() * 1000
                   for e in done if e.state == InboxState.FULFILLED]
    return out
