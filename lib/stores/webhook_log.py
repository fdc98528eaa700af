"""The webhook log port: every delivery the sidecar answered, for the inspector and Setup check."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

DETAIL_LIMIT = 500  # characters of detail kept per line: enough for any error message
# Lines read for one Checkout Session: a session sees a few deliveries (its events and Stripe's
# retries), so a hundred is far more than any real one and still a bounded read.
SESSION_LIMIT = 100


@dataclass(frozen=True)
class LoggedEvent:
    """One answered delivery as the inspector shows it."""

    received_at: datetime
    event_id: str
    event_type: str
    session_id: str
    signature: str  # valid, invalid, missing, unchecked
    outcome: str  # a lib.webhooks.events.WebhookOutcome value
    status: int  # the HTTP status the sidecar answered
    latency_ms: float
    detail: str


@dataclass(frozen=True)
class RejectedCount:
    """Deliveries refused for one reason within one minute: how many, and the last one's detail."""

    minute: datetime  # the start of the minute, UTC
    reason: str  # e.g. "rejected: missing signature"
    count: int
    last_at: datetime
    last_detail: str


class WebhookLog(ABC):
    """An append-only log written by the sidecar and read by the app."""

    backend: str = "abstract"

    @abstractmethod
    def record(self, event: LoggedEvent) -> None:
        """Append one delivery (its detail cut to DETAIL_LIMIT characters)."""

    @abstractmethod
    def record_many(self, events: list[LoggedEvent]) -> None:
        """Append these deliveries in their order, in one write where the store allows (the
        sidecar's background writer hands over what queued up during its last write)."""

    @abstractmethod
    def recent(self, limit: int = 50) -> list[LoggedEvent]:
        """Up to limit deliveries, the last recorded first."""

    @abstractmethod
    def for_session(self, session_id: str, limit: int = SESSION_LIMIT) -> list[LoggedEvent]:
        """One Checkout Session's deliveries in the order they were recorded (the first first),
        the first limit of them, however many other sessions' lines came since."""

    @abstractmethod
    def count_rejected(self, minute: datetime, reason: str, event: LoggedEvent,
                       count: int = 1) -> None:
        """Add count refused deliveries to their (minute, reason) count, keeping event's detail
        as the last one's: a flood of junk costs one row per reason per minute, not one per
        request (and, written in batches, one write per reason per batch)."""

    @abstractmethod
    def rejected(self, limit: int = 20) -> list[RejectedCount]:
        """Up to limit (minute, reason) counts, the latest minute first."""

    def last_received_at(self) -> datetime | None:
        """When the last recorded delivery arrived, or None if none has."""
        latest = self.recent(1)
        return latest[0].received_at if latest else None

    @abstractmethod
    def describe(self) -> str:
        """Where the log lives, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
