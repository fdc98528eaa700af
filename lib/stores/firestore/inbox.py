"""The Firestore webhook inbox: webhook_inbox/{event_id} documents, created once, claimed with
a lease by a write guarded by the document's update time, so replicas share it safely."""
from __future__ import annotations

import logging
import random
import time
from datetime import timedelta

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection, document_id
from lib.stores.firestore.inbox_documents import document_event, readable_events
from lib.stores.inbox import (
    ERROR_LIMIT,
    UNREADABLE,
    Claim,
    Inbox,
    InboxEvent,
    InboxState,
    unreadable_error,
)

COLLECTION = "webhook_inbox"
# Only events a worker may still take carry due_at (a received event's receipt, a retry's next
# attempt, a claim's lease end); settling deletes it, so the claim query's automatic
# single-field index holds the pending events only, however long the history grows.
DUE = "due_at"
CANDIDATES = 8  # due events read per claim query: rivals that win the first fall to the next
LOG = logging.getLogger("storefront.inbox")


class FirestoreInbox(FirestoreAdapter, Inbox):
    """One document per event id; every change after the insert is a compare-and-set on the
    document's last update time, so of two workers racing for an event exactly one wins."""

    # Each idle poll is a billed query per worker thread, so Firestore's workers poll less often
    # than SQLite's. Events this replica receives wake a worker at once, so only retries and
    # crashed replicas' events wait up to this much longer.
    poll_seconds = 2.0

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._events = connection.client.collection(COLLECTION)

    def add(self, event_id, event_type, session_id, payload, now) -> bool:
        """Create the event's document; one that exists already means a duplicate."""
        ref = self._events.document(document_id(event_id, "event id"))
        fields = {"event_type": event_type, "session_id": session_id, "payload": bytes(payload),
                  "received_at": now, "state": InboxState.RECEIVED, "attempts": 0,
                  "next_attempt_at": now, "last_error": "", "done_at": None, "token": "",
                  DUE: now}
        with self._conn.errors("store a webhook event"):
            try:
                ref.create(fields, **self._conn.calls())
            except api_errors.AlreadyExists:
                return False
        return True

    def claim(self, now, lease_seconds, token) -> Claim | None:
        """Lease the oldest due event: read a few due ones, then take the first whose document
        has not changed since it was read (another worker's claim changes it)."""
        until = now + timedelta(seconds=lease_seconds)
        query = self._events.where(filter=firestore.FieldFilter(DUE, "<=", now)) \
            .order_by(DUE).limit(CANDIDATES)
        with self._conn.errors("claim a webhook event"):
            while True:
                candidates = list(query.stream(**self._conn.calls()))
                if not candidates:
                    return None
                readable = self._readable(candidates, now)
                # The oldest first (a lone worker takes events in order), then the rest in
                # this worker's own order: in one shared order every worker that lost the
                # oldest raced for the next one too, and all but one lost again.
                rest = readable[1:]
                random.shuffle(rest)
                for snapshot, event in readable[:1] + rest:
                    changes = {"state": InboxState.CLAIMED, "token": token,
                               "attempts": event.attempts + 1, "next_attempt_at": until,
                               DUE: until}
                    if self._guarded_update(snapshot, changes):
                        return Claim(InboxEvent(
                            event.event_id, event.event_type, event.session_id, event.payload,
                            event.received_at, InboxState.CLAIMED, event.attempts + 1, until,
                            event.last_error, event.done_at), token)
                if readable:
                    # Every candidate went to a rival between the read and the write: read again.
                    time.sleep(random.uniform(0, 0.02))

    def _readable(self, candidates: list, now) -> list:
        """(snapshot, event) for each due document that holds an event; the others are put
        aside, so one bad document cannot stop every event behind it."""
        readable = []
        for snapshot in candidates:
            try:
                readable.append((snapshot, document_event(snapshot)))
            except UNREADABLE as exc:
                self._put_aside(snapshot, exc, now)
        return readable

    def _put_aside(self, snapshot, exc: Exception, now) -> None:
        """Mark an unreadable due document failed, with why, out of the claim query (no due_at)
        and kept for a person to read; it writes only fields that need no reading, and a
        rival's change since the read wins (the next read sees it)."""
        changes = {"state": InboxState.FAILED, "last_error": unreadable_error("document", exc),
                   "next_attempt_at": now, "done_at": now, "token": "",
                   DUE: firestore.DELETE_FIELD}
        if self._guarded_update(snapshot, changes):
            LOG.error("inbox: marked unreadable document %s failed: %s",
                      snapshot.reference.path, exc)

    def _guarded_update(self, snapshot, changes: dict) -> bool:
        """Write changes only if the document is still as snapshot saw it."""
        option = self._conn.client.write_option(last_update_time=snapshot.update_time)
        try:
            snapshot.reference.update(changes, option=option, **self._conn.calls())
        except (api_errors.FailedPrecondition, api_errors.NotFound):
            return False
        return True

    def _settle(self, claim: Claim, changes: dict, due, action: str) -> bool:
        """Apply changes (and due_at, DELETE_FIELD once settled for good) if this claim still
        holds the event's lease: its token on the document, state claimed. The guard makes a
        rival's claim between the read and the write fail the write, and the read then sees it."""
        ref = self._events.document(claim.event.event_id)
        with self._conn.errors(action):
            while True:
                snapshot = ref.get(**self._conn.calls())
                data = snapshot.to_dict() if snapshot.exists else {}
                if data.get("state") != InboxState.CLAIMED or data.get("token") != claim.token:
                    return False
                if self._guarded_update(snapshot, {**changes, "token": "", DUE: due}):
                    return True

    def fulfilled(self, claim, now) -> bool:
        """Mark fulfilled (keeping the last error, if an earlier attempt had one)."""
        return self._settle(claim, {"state": InboxState.FULFILLED, "next_attempt_at": now,
                                    "done_at": now},
                            firestore.DELETE_FIELD, "mark a webhook event fulfilled")

    def retry(self, claim, error, next_attempt_at) -> bool:
        """Back for another attempt at next_attempt_at (due again then)."""
        return self._settle(claim, {"state": InboxState.RETRYING, "last_error": error[:ERROR_LIMIT],
                                    "next_attempt_at": next_attempt_at},
                            next_attempt_at, "schedule a webhook event's retry")

    def failed(self, claim, error, now) -> bool:
        """Given up for good."""
        return self._settle(claim, {"state": InboxState.FAILED, "last_error": error[:ERROR_LIMIT],
                                    "next_attempt_at": now, "done_at": now},
                            firestore.DELETE_FIELD, "mark a webhook event failed")

    def get(self, event_id) -> InboxEvent | None:
        """The event with this id, or None (None too for a document no one can read)."""
        with self._conn.errors("read a webhook event"):
            snapshot = self._events.document(document_id(event_id, "event id")).get(
                **self._conn.calls())
        found = readable_events([snapshot] if snapshot.exists else [])
        return found[0] if found else None

    def many(self, event_ids) -> dict[str, InboxEvent]:
        """The held events among these ids, by id, in one batched read (ids that cannot be
        document ids, such as the empty id of a refused delivery, are held by no one)."""
        refs = []
        for event_id in sorted(set(event_ids)):
            try:
                refs.append(self._events.document(document_id(event_id, "event id")))
            except ValueError:
                continue
        if not refs:
            return {}
        with self._conn.errors("read webhook events"):
            snapshots = list(self._conn.client.get_all(refs, **self._conn.calls()))
        held = readable_events(snapshot for snapshot in snapshots if snapshot.exists)
        return {event.event_id: event for event in held}

    def recent(self, limit=50) -> list[InboxEvent]:
        """Up to limit events, the last received first."""
        query = self._events.order_by("received_at", direction=firestore.Query.DESCENDING) \
            .limit(limit)
        with self._conn.errors("list webhook events"):
            snapshots = list(query.stream(**self._conn.calls()))
        return readable_events(snapshots)

    def describe(self) -> str:
        """The Firestore project (and emulator) holding the inbox collection."""
        return f"{self._conn.describe()}, collection {COLLECTION}"
