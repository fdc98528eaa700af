"""The Firestore webhook log: webhook_log/{auto id} lines and webhook_rejections/{minute, reason}
counts, so the app's inspector reads what any sidecar replica answered."""
from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection, key_document_id
from lib.stores.webhook_log import (
    DETAIL_LIMIT,
    SESSION_LIMIT,
    LoggedEvent,
    RejectedCount,
    WebhookLog,
)

LINES = "webhook_log"
REJECTIONS = "webhook_rejections"
# Every document carries expire_at, so a TTL policy on that field (docs/deploy.md) can delete
# old lines; without one the log grows, as the SQLite log does.
KEEP_FOR = timedelta(days=30)
BATCH_LIMIT = 500  # writes Firestore takes in one commit
LOG = logging.getLogger("storefront.webhook_log")


def _utc(value: datetime) -> datetime:
    """A plain datetime in UTC (the client returns its own subclass)."""
    return datetime.fromtimestamp(value.timestamp(), UTC)


def _line(data: dict) -> LoggedEvent:
    """A stored line as a LoggedEvent (KeyError, TypeError or ValueError when it is not one)."""
    return LoggedEvent(
        received_at=_utc(data["received_at"]), event_id=str(data["event_id"]),
        event_type=str(data["event_type"]), session_id=str(data["session_id"]),
        signature=str(data["signature"]), outcome=str(data["outcome"]),
        status=int(data["status"]), latency_ms=float(data["latency_ms"]),
        detail=str(data["detail"]))


def _fields(event: LoggedEvent) -> dict:
    """A line's document: the delivery, the server's time of recording, and when to expire."""
    return {"received_at": event.received_at, "event_id": event.event_id,
            "event_type": event.event_type, "session_id": event.session_id,
            "signature": event.signature, "outcome": str(event.outcome),
            "status": event.status, "latency_ms": event.latency_ms,
            "detail": event.detail[:DETAIL_LIMIT], "recorded_at": firestore.SERVER_TIMESTAMP,
            "expire_at": event.received_at + KEEP_FOR}


def _count(data: dict) -> RejectedCount:
    """A stored (minute, reason) count as a RejectedCount."""
    return RejectedCount(minute=_utc(data["minute"]), reason=str(data["reason"]),
                         count=int(data["count"]), last_at=_utc(data["last_at"]),
                         last_detail=str(data["last_detail"]))


class FirestoreWebhookLog(FirestoreAdapter, WebhookLog):
    """Lines ordered by the server's commit time, so replicas' clocks cannot reorder them."""

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._lines = connection.client.collection(LINES)
        self._rejections = connection.client.collection(REJECTIONS)

    def record(self, event: LoggedEvent) -> None:
        """Create one line under a fresh id, stamped with the server's time of recording."""
        self.record_many([event])

    def record_many(self, events: list[LoggedEvent]) -> None:
        """Create the lines in batches of BATCH_LIMIT, each batch stamped with its commit time;
        within a batch the ids share a random prefix and count up, so a query ordered by
        recorded_at (ties broken by document id) keeps them in the order given."""
        for start in range(0, len(events), BATCH_LIMIT):
            prefix = uuid.uuid4().hex
            batch = self._conn.client.batch()
            for n, event in enumerate(events[start:start + BATCH_LIMIT]):
                batch.create(self._lines.document(f"{prefix}{n:03d}"), _fields(event))
            with self._conn.errors("record webhook deliveries"):
                try:
                    batch.commit(**self._conn.calls())
                except api_errors.AlreadyExists:
                    pass  # a retry after a lost reply met its own lines: they are recorded once

    def recent(self, limit: int = 50) -> list[LoggedEvent]:
        """Up to limit lines, the last recorded first (a line no one can read is skipped)."""
        if limit <= 0:
            return []
        query = (self._lines.order_by("recorded_at", direction=firestore.Query.DESCENDING)
                 .limit(limit))
        return self._read_lines(query)

    def for_session(self, session_id: str, limit: int = SESSION_LIMIT) -> list[LoggedEvent]:
        """The session's lines by recording time, the first first: reads only those documents."""
        if limit <= 0:
            return []
        # Equality on session_id ordered by recorded_at needs the composite index
        # (session_id, recorded_at) in firestore.indexes.json on real Firestore, which refuses
        # the query without it; the emulator builds indexes as needed, so tests cannot see this.
        # Sorting in Python after an equality-only query would need no index, but its limit
        # would keep arbitrary lines (document id order), not the first ones.
        query = (self._lines.where(filter=firestore.FieldFilter("session_id", "==", session_id))
                 .order_by("recorded_at").limit(limit))
        return self._read_lines(query)

    def _read_lines(self, query) -> list[LoggedEvent]:
        """The query's lines in its order, skipping (and naming) any no one can read."""
        with self._conn.errors("read the webhook log"):
            snapshots = list(query.stream(**self._conn.calls()))
        lines = []
        for snapshot in snapshots:
            try:
                lines.append(_line(snapshot.to_dict() or {}))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                LOG.warning("skipped unreadable webhook log line %s: %r", snapshot.reference.path,
                            exc)
        return lines

    def count_rejected(self, minute: datetime, reason: str, event: LoggedEvent,
                       count: int = 1) -> None:
        """One merge write with a server-side increment on the (minute, reason) document."""
        minute = _utc(minute)
        ref = self._rejections.document(
            key_document_id(f"{minute:%Y-%m-%dT%H:%MZ} {reason}", "rejection count"))
        with self._conn.errors("count a refused webhook delivery"):
            ref.set({"minute": minute, "reason": reason, "count": firestore.Increment(count),
                     "last_at": event.received_at, "last_detail": event.detail[:DETAIL_LIMIT],
                     "expire_at": minute + KEEP_FOR}, merge=True, **self._conn.calls())

    def rejected(self, limit: int = 20) -> list[RejectedCount]:
        """The latest minutes first; within a minute, the latest refusal first."""
        if limit <= 0:
            return []
        query = (self._rejections.order_by("minute", direction=firestore.Query.DESCENDING)
                 .order_by("last_at", direction=firestore.Query.DESCENDING).limit(limit))
        with self._conn.errors("read the refused webhook counts"):
            snapshots = list(query.stream(**self._conn.calls()))
        counts = []
        for snapshot in snapshots:
            try:
                counts.append(_count(snapshot.to_dict() or {}))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                LOG.warning("skipped unreadable refusal count %s: %r", snapshot.reference.path,
                            exc)
        return counts

    def describe(self) -> str:
        """The Firestore project (and emulator) holding the log's collections."""
        return f"{self._conn.describe()}, collections {LINES} and {REJECTIONS}"
