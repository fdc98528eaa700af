"""What the webhook log (and the sidecar's console) keeps of each answered delivery: real events
one line each; refusals, and signed events of types the shop does not handle, counted per reason
per minute, so neither unsigned junk nor an endpoint subscribed to every type can push the real
events out of view."""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from lib.stores.webhook_log import LoggedEvent, WebhookLog
from lib.webhooks.events import NOT_HANDLED, WebhookOutcome

# Outcomes anyone on the internet can cause without Stripe's secret; a correctly signed event
# that is rejected (a session Stripe does not have) is a real event and keeps its own line.
REFUSED_OUTCOMES = frozenset({WebhookOutcome.REJECTED, WebhookOutcome.TOO_LARGE})
# The count's reason for signed events of a type the shop has nothing to do with.
UNHANDLED_REASON = f"{WebhookOutcome.IGNORED}: {NOT_HANDLED}"


def counted_reason(event: LoggedEvent) -> str:
    """The reason a delivery is counted under rather than logged, from a small fixed set (never
    the request's own text), e.g. 'rejected: signature missing'; "" for a real event's line."""
    if event.outcome in REFUSED_OUTCOMES and event.signature != "valid":
        return f"{event.outcome}: signature {event.signature}"
    if event.outcome == WebhookOutcome.IGNORED and event.detail == NOT_HANDLED:
        return UNHANDLED_REASON
    return ""


def is_refusal(reason: str) -> bool:
    """Whether a count's reason is a refused delivery (not a signed event that was ignored)."""
    return reason != UNHANDLED_REASON


def log_delivery(log: WebhookLog, event: LoggedEvent) -> None:
    """Record a real delivery as one line; count the rest under their reason and minute."""
    if reason := counted_reason(event):
        log.count_rejected(event.received_at.replace(second=0, microsecond=0), reason, event)
    else:
        log.record(event)


class FirstPerMinute:
    """Which counted deliveries the console still shows: the first of each reason each minute."""

    def __init__(self, size: int = 1000):
        self.size = size
        self._seen: OrderedDict[tuple[datetime, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def shows(self, event: LoggedEvent) -> bool:
        """True for a real event, and for the first counted delivery of its reason this minute."""
        reason = counted_reason(event)
        if not reason:
            return True
        key = (event.received_at.replace(second=0, microsecond=0), reason)
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return True
