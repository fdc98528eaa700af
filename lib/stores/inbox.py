"""The webhook inbox port: verified events stored before the sidecar answers, fulfilled later."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lib.orders.model import Order
from lib.stores.orders import OrderStore


class InboxState(StrEnum):
    """Where an inboxed event stands. An event is received until a worker claims it; a claim is
    a lease, so a worker that dies mid-fulfilment loses it when the lease runs out, not the
    event. The values are what the stores hold."""

    RECEIVED = "received"
    CLAIMED = "claimed"
    RETRYING = "retrying"
    FULFILLED = "fulfilled"
    FAILED = "failed"


ERROR_LIMIT = 500  # characters of the last error kept: enough for any message
# What reading a stored record that is not an event raises (a field missing or of the wrong
# type: written by another version, by hand, or cut short). Adapters put such a record aside
# as failed rather than let it stop the queue, and leave it in place for a person to look at.
UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


def readable(records: Iterable, read: Callable[[object], InboxEvent],
             name: Callable[[object], str], log: logging.Logger) -> list[InboxEvent]:
    """The events read(record) gives, in order, skipping any record it cannot read (UNREADABLE)
    with a log line naming it by name(record), e.g. "row 'evt_1'" or "document <path>"."""
    events = []
    for record in records:
        try:
            events.append(read(record))
        except UNREADABLE as exc:
            log.warning("skipped unreadable inbox %s: %s", name(record), exc)
    return events


def unreadable_error(record: str, exc: Exception) -> str:
    """The last error kept on an inbox record put aside because it cannot be read."""
    why = str(exc) or exc.__class__.__name__
    return f"unreadable inbox {record}: {why}"[:ERROR_LIMIT]


@dataclass(frozen=True)
class InboxEvent:
    """One verified event as the inbox holds it."""

    event_id: str
    event_type: str
    session_id: str
    payload: bytes  # the raw signed body, so fulfilment sees exactly what Stripe sent
    received_at: datetime
    state: str  # an InboxState value, as the store holds it
    attempts: int
    next_attempt_at: datetime
    last_error: str
    done_at: datetime | None  # when it was fulfilled or failed


@dataclass(frozen=True)
class Claim:
    """A worker's lease on one event: only the holder of this token may settle it."""

    event: InboxEvent
    token: str
    # The adapter's mark of the write that took the lease (Firestore: the document's update
    # time then), so a settle can be one write guarded by it instead of a read and a write.
    version: object = None


class Inbox(ABC):
    """Durable, idempotent event storage shared by every sidecar worker and replica."""

    backend: str = "abstract"
    # How often an idle worker looks for events it was not woken for (retries coming due,
    # another replica's leftovers); an adapter whose every query is billed polls less often.
    poll_seconds: float = 0.25
    # How many claims may wait in a process's memory per worker thread before new events go
    # to the inbox unleased for any process's poll: a claim here is one local UPDATE, so a
    # burst should not wait on one process's workers while another's are free.
    handoff_per_worker: int = 1

    @abstractmethod
    def add(self, event_id: str, event_type: str, session_id: str, payload: bytes,
            now: datetime) -> bool:
        """Store the event durably unless one with this id is already in; True if it is new."""

    @abstractmethod
    def add_claimed(self, event_id: str, event_type: str, session_id: str, payload: bytes,
                    now: datetime, lease_seconds: float, token: str) -> Claim | None:
        """add(), the event stored already leased to token for lease_seconds with one attempt
        counted, so the process that stored it can fulfil it at once, with no claim; None when
        an event with this id is in already (a duplicate). Should that process die, the lease
        runs out and any worker's claim() takes the event."""

    @abstractmethod
    def claim(self, now: datetime, lease_seconds: float, token: str) -> Claim | None:
        """Lease the oldest event due now (received, retrying past its next attempt, or claimed
        with an expired lease), counting one attempt; None when nothing is due. A due record
        that cannot be read is marked failed with the reason (and kept) on the way."""

    @abstractmethod
    def fulfilled(self, claim: Claim, now: datetime) -> bool:
        """Mark the claimed event fulfilled; False if the lease was lost to another worker."""

    @abstractmethod
    def retry(self, claim: Claim, error: str, next_attempt_at: datetime) -> bool:
        """Put the claimed event back for another attempt at next_attempt_at, with its error;
        False if the lease was lost."""

    @abstractmethod
    def failed(self, claim: Claim, error: str, now: datetime) -> bool:
        """Give the claimed event up for good (its final state), with its error; False if the
        lease was lost."""

    def fulfilled_with_order(self, claim: Claim, order: Order, orders: OrderStore,
                             now: datetime) -> bool | None:
        """Create the order and mark the claimed event fulfilled in one atomic write, where
        this inbox and the order store share a database that allows it: True when both are
        written, False when the order exists already (nothing written, the event still
        claimed). None, the default, when they cannot be written together (or the lease
        changed hands): the caller creates the order alone, then settles the event."""
        return None

    @abstractmethod
    def get(self, event_id: str) -> InboxEvent | None:
        """The event with this id, or None (also, with a log line, for an unreadable record)."""

    @abstractmethod
    def many(self, event_ids: Iterable[str]) -> dict[str, InboxEvent]:
        """The events with these ids that the inbox holds, by id, read in one round trip (the
        inspector asks for up to 50 at every refresh)."""

    @abstractmethod
    def recent(self, limit: int = 50) -> list[InboxEvent]:
        """Up to limit events, the last received first (unreadable records skipped and
        logged, here and in many)."""

    @abstractmethod
    def describe(self) -> str:
        """Where the inbox lives, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
