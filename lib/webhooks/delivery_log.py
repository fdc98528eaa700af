"""What the webhook log (and the sidecar's console) keeps of each answered delivery: real events
one line each; refusals, and signed events of types the shop does not handle, counted per reason
per minute, so neither unsigned junk nor an endpoint subscribed to every type can push the real
events out of view; and the writer that keeps those writes off the answer's path."""
from __future__ import annotations

import logging
import threading
from collections import Counter, OrderedDict, deque
from datetime import datetime

from lib.stores.webhook_log import LoggedEvent, WebhookLog
from lib.webhooks.events import NOT_HANDLED, WebhookOutcome

# Outcomes anyone on the internet can cause without Stripe's secret; a correctly signed event
# that is rejected (a session Stripe does not have) is a real event and keeps its own line.
REFUSED_OUTCOMES = frozenset({WebhookOutcome.REJECTED, WebhookOutcome.TOO_LARGE})
# The count's reason for signed events of a type the shop has nothing to do with.
UNHANDLED_REASON = f"{WebhookOutcome.IGNORED}: {NOT_HANDLED}"
MAX_BATCH = 500  # lines handed to the log in one write
MAX_QUEUED = 10_000  # beyond this the answering thread writes its own line: nothing is dropped
LOG = logging.getLogger("storefront.webhook_log")


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


def log_deliveries(log: WebhookLog, events: list[LoggedEvent]) -> None:
    """Record each real delivery as a line and count the rest under their reason and minute,
    in as few writes as the log allows: the lines in one record_many, the counted ones one
    count per (minute, reason) carrying the last one's detail."""
    counts: Counter = Counter()
    last: dict = {}
    lines = []
    for event in events:
        if reason := counted_reason(event):
            key = (event.received_at.replace(second=0, microsecond=0), reason)
            counts[key] += 1
            last[key] = event
        else:
            lines.append(event)
    for (minute, reason), count in counts.items():
        log.count_rejected(minute, reason, last[(minute, reason)], count)
    if lines:
        log.record_many(lines)


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


class DeliveryLogWriter:
    """Writes answered deliveries to the webhook log from one background thread, so an answer
    waits on no log write: each write takes everything queued during the one before (up to
    MAX_BATCH). close() writes what is still queued, so a clean shutdown loses no line; a
    crash loses at most the lines not yet written (the log is a teaching aid, not the inbox)."""

    def __init__(self, log: WebhookLog, max_batch: int = MAX_BATCH,
                 max_queued: int = MAX_QUEUED):
        self.log, self.max_batch, self.max_queued = log, max_batch, max_queued
        self._queue: deque[LoggedEvent] = deque()
        self._cv = threading.Condition()
        self._queued = self._written = 0
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="webhook-log-writer",
                                        daemon=True)
        self._thread.start()

    def put(self, event: LoggedEvent) -> None:
        """Queue one delivery's line (written at once, here, when the queue is full)."""
        with self._cv:
            if len(self._queue) < self.max_queued and not self._closing:
                self._queue.append(event)
                self._queued += 1
                self._cv.notify_all()
                return
        self._write([event])

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every line queued before this call is written; False on timeout."""
        with self._cv:
            target = self._queued
            return self._cv.wait_for(lambda: self._written >= target, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread (safe to call more than once)."""
        with self._cv:
            self._closing = True
            self._cv.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        """Take what is queued, write it, repeat; end once closing and empty."""
        while True:
            with self._cv:
                self._cv.wait_for(lambda: self._queue or self._closing)
                if not self._queue:
                    return
                batch = [self._queue.popleft()
                         for _ in range(min(self.max_batch, len(self._queue)))]
            self._write(batch)
            with self._cv:
                self._written += len(batch)
                self._cv.notify_all()

    def _write(self, events: list[LoggedEvent]) -> None:
        """One write of events; a failing log costs a warning, never an answer or the thread."""
        try:
            log_deliveries(self.log, events)
        except Exception as exc:  # noqa: BLE001 - the log must never cost Stripe an order
            LOG.warning("could not log %d webhook deliveries: %s", len(events), exc)
