"""Phase one of a delivery: verify it, store it in the inbox, answer; nothing else before that."""
from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from lib.clock import utc_now
from lib.stores.errors import StoreError
from lib.stores.inbox import Inbox
from lib.webhooks.events import (
    EXPIRED,
    HANDLED,
    NOT_HANDLED,
    Verdict,
    WebhookOutcome,
    checked_event,
    event_ids,
)
from lib.webhooks.handoff import Handoff
from lib.webhooks.refunds import CHARGE_REFUNDED

# The types a worker has something to do for (an expired session has nothing to record).
INBOXED = tuple(kind for kind in (*HANDLED, CHARGE_REFUNDED) if kind != EXPIRED)


class AnswersInFlight:
    """How many deliveries this process is answering right now; the workers wait on it (a
    condition, so a deferring worker sleeps until the last answer leaves, with no polling)."""

    def __init__(self):
        self._count = 0
        self._none_left = threading.Condition()

    def __enter__(self) -> AnswersInFlight:
        with self._none_left:
            self._count += 1
        return self

    def __exit__(self, *exc) -> None:
        with self._none_left:
            self._count -= 1
            if not self._count:
                self._none_left.notify_all()

    def __bool__(self) -> bool:
        return self._count > 0

    def wait_until_none(self, timeout: float) -> bool:
        """Wait at most timeout seconds for no delivery to be in flight; whether none is."""
        with self._none_left:
            return self._none_left.wait_for(lambda: not self._count, timeout)


class SeenEvents:
    """A bounded memory of event ids this process has put in the inbox, so a duplicate is
    answered without touching the store (ids never leave the inbox, so a hit is always true)."""

    def __init__(self, size: int = 20_000):
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, event_id: str) -> None:
        """Remember that the event is in the inbox."""
        with self._lock:
            self._ids[event_id] = None
            self._ids.move_to_end(event_id)
            while len(self._ids) > self.size:
                self._ids.popitem(last=False)

    def __contains__(self, event_id: str) -> bool:
        with self._lock:
            return event_id in self._ids


def accept_webhook(payload: bytes, header: str | None, secret: str, inbox: Inbox,
                   clock: Callable[[], datetime] = utc_now,
                   seen: SeenEvents | None = None, handoff: Handoff | None = None) -> Verdict:
    """Verify one delivery and store it durably, keyed by its event id: QUEUED when new,
    ALREADY_RECORDED for an event already inboxed (remembered by seen, or refused by the
    store's insert: another process's), ERROR (so Stripe resends) if the store fails. Given a
    handoff with room, a new event is stored already leased to this process and handed to its
    workers in memory; else it is stored for a poll, and the handoff woken."""
    event = checked_event(payload, header, secret, clock)
    if isinstance(event, Verdict):
        return event
    ids = event_ids(event)
    if ids["event_type"] == EXPIRED:
        return Verdict(WebhookOutcome.IGNORED, "session expired unpaid: nothing to record",
                       **ids)
    if ids["event_type"] not in INBOXED:
        return Verdict(WebhookOutcome.IGNORED, NOT_HANDLED, **ids)
    if not ids["event_id"]:
        return Verdict(WebhookOutcome.REJECTED, "event has no id", **ids)
    if seen is not None and ids["event_id"] in seen:
        return Verdict(WebhookOutcome.ALREADY_RECORDED, "duplicate: already in the inbox", **ids)
    stored = (ids["event_id"], ids["event_type"], ids["session_id"], payload, clock())
    claim = None
    try:
        if handoff is not None and handoff.has_room():
            claim = inbox.add_claimed(*stored, handoff.lease_seconds, uuid.uuid4().hex)
            new = claim is not None
        else:
            new = inbox.add(*stored)
    except StoreError as exc:
        return Verdict(WebhookOutcome.ERROR, f"inbox: {exc}", **ids)
    if seen is not None:
        seen.add(ids["event_id"])
    if not new:
        return Verdict(WebhookOutcome.ALREADY_RECORDED, "duplicate: already in the inbox", **ids)
    if claim is not None:
        handoff.hand(claim)
    elif handoff is not None:
        handoff.wake()
    return Verdict(WebhookOutcome.QUEUED, "stored in the inbox", **ids)
