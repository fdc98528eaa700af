"""The sidecar's console: one line per answered delivery and per fulfilment attempt, as
`stripe listen` prints them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lib.clock import utc_now
from lib.stores.inbox import InboxEvent, InboxState
from lib.stores.webhook_log import LoggedEvent
from lib.webhooks.delivery_log import FirstPerMinute
from lib.webhooks.events import Verdict


def delivery_line(verdict: Verdict, status: int, latency_ms: float) -> str:
    """The line for one answered delivery: its ids, the HTTP status, the outcome, the time."""
    return (f"webhook <- {verdict.event_type or '-'} {verdict.event_id or '-'}"
            f" {verdict.session_id or '-'}: {status} {verdict.outcome}"
            f" in {latency_ms:.1f} ms")


def fulfilment_line(event: InboxEvent, verdict: Verdict, state: InboxState,
                    now: datetime) -> str:
    """The line for one fulfilment attempt, with the lag from receipt."""
    lag_ms = (now - event.received_at).total_seconds() * 1000
    return (f"webhook => {event.event_type} {event.event_id} {event.session_id}:"
            f" {verdict.outcome} ({state}, attempt {event.attempts})"
            f" {lag_ms:.0f} ms after receipt"
            + (f": {verdict.detail}" if state != InboxState.FULFILLED else ""))


class Console:
    """Where the sidecar's lines go: say (print, by default), one write per line."""

    def __init__(self, say: Callable = print, clock: Callable[[], datetime] = utc_now):
        self.say, self.clock = say, clock
        self.counted = FirstPerMinute()

    def shows(self, entry: LoggedEvent) -> bool:
        """Whether a delivery gets its line: every real one; of those the log counts rather than
        lists (refusals, types the shop does not handle), the first of each reason each minute."""
        return self.counted.shows(entry)

    def tell(self, line: str) -> None:
        """One line; a closed console must not stop the sidecar."""
        try:
            # The line and its end in one write, so two threads' lines cannot run together.
            self.say(line + "\n", end="", flush=True)
        except (OSError, ValueError):
            pass

    def delivery(self, verdict: Verdict, status: int, latency_ms: float) -> None:
        """Tell one answered delivery."""
        self.tell(delivery_line(verdict, status, latency_ms))

    def fulfilment(self, event: InboxEvent, verdict: Verdict, state: InboxState) -> None:
        """Tell one fulfilment attempt (the workers' report)."""
        self.tell(fulfilment_line(event, verdict, state, self.clock()))
