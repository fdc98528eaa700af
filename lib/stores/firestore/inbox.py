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
from lib.stores.firestore.guarded_writes import DUE, guarded_update, put_aside, settle
from lib.stores.firestore.inbox_documents import document_event, readable_events
from lib.stores.firestore.orders import FirestoreOrderStore
from lib.stores.inbox import (
    ERROR_LIMIT,
    UNREADABLE,
    Claim,
    Inbox,
    InboxEvent,
    InboxState,
)

COLLECTION = "webhook_inbox"
CANDIDATES = 8  # due events read per claim query: rivals that win the first fall to the next
LOG = logging.getLogger("storefront.inbox")


class FirestoreInbox(FirestoreAdapter, Inbox):
    """One document per event id; every change after the insert is a compare-and-set on the
    document's last update time, so of two workers racing for an event exactly one wins."""

    # Each idle poll is a billed query per worker thread, so Firestore's workers poll less often
    # than SQLite's. Events this replica receives go to its workers in memory at once, so only
    # retries and crashed replicas' events wait up to this much longer.
    poll_seconds = 2.0
    # A claim here is a query and a guarded write, racing the other workers: a queue in memory
    # that holds a whole burst costs less than the claims a spill to the inbox brings, even
    # when one process's workers take more of the burst (bench/README.md).
    handoff_per_worker = 256

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._events = connection.client.collection(COLLECTION)

    def add(self, event_id, event_type, session_id, payload, now) -> bool:
        """Create the event's document; one that exists already means a duplicate."""
        return self._create(event_id, {
            "event_type": event_type, "session_id": session_id, "payload": bytes(payload),
            "received_at": now, "state": InboxState.RECEIVED, "attempts": 0, "next_attempt_at": now,
            "last_error": "", "done_at": None, "token": "", DUE: now}) is not None

    def add_claimed(self, event_id, event_type, session_id, payload, now, lease_seconds,
                    token) -> Claim | None:
        """The same single create(), the document claimed by token until its lease ends (due
        then, for anyone's claim); the create's update time is the claim's version."""
        until = now + timedelta(seconds=lease_seconds)
        created = self._create(event_id, {
            "event_type": event_type, "session_id": session_id, "payload": bytes(payload),
            "received_at": now, "state": InboxState.CLAIMED, "attempts": 1,
            "next_attempt_at": until, "last_error": "", "done_at": None, "token": token,
            DUE: until})
        if created is None:
            return None
        return Claim(InboxEvent(event_id, event_type, session_id, bytes(payload), now,
                                InboxState.CLAIMED, 1, until, "", None), token, created)

    def _create(self, event_id: str, fields: dict):
        """create() the event's document: its update time, or None when it exists already."""
        ref = self._events.document(document_id(event_id, "event id"))
        with self._conn.errors("store a webhook event"):
            try:
                return ref.create(fields, **self._conn.calls()).update_time
            except api_errors.AlreadyExists:
                return None

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
                    version = guarded_update(self._conn, snapshot.reference,
                                             snapshot.update_time, changes)
                    if version is not None:
                        return Claim(InboxEvent(
                            event.event_id, event.event_type, event.session_id, event.payload,
                            event.received_at, InboxState.CLAIMED, event.attempts + 1, until,
                            event.last_error, event.done_at), token, version)
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
                put_aside(self._conn, snapshot, exc, now)
        return readable

    def _settle(self, claim: Claim, changes: dict, due, action: str) -> bool:
        """guarded_writes.settle on the claimed event's document."""
        return settle(self._conn, self._events.document(claim.event.event_id), claim, changes,
                      due, action)

    def fulfilled(self, claim, now) -> bool:
        """Mark fulfilled (keeping the last error, if an earlier attempt had one)."""
        return self._settle(claim, {"state": InboxState.FULFILLED, "next_attempt_at": now,
                                    "done_at": now},
                            firestore.DELETE_FIELD, "mark a webhook event fulfilled")

    def fulfilled_with_order(self, claim, order, orders, now) -> bool | None:
        """One batch: the order's create() with its rollup, and this event's settle guarded by
        the claim's version. An existing order fails the create, and with it the batch; a
        document changed since the claim (its lease taken) fails the guard: None, then."""
        if claim.version is None or not isinstance(orders, FirestoreOrderStore) or \
                not orders.shares_database(self._conn):
            return None
        batch = self._conn.client.batch()
        orders.add_create(batch, order)
        batch.update(self._events.document(claim.event.event_id),
                     {"state": InboxState.FULFILLED, "next_attempt_at": now, "done_at": now,
                      "token": "", DUE: firestore.DELETE_FIELD},
                     option=self._conn.client.write_option(last_update_time=claim.version))
        with self._conn.errors("record an order and mark its webhook event fulfilled"):
            try:
                batch.commit(**self._conn.calls())
            except api_errors.AlreadyExists:
                return False
            except (api_errors.FailedPrecondition, api_errors.NotFound):
                return None
        return True

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
