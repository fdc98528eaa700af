"""Writes to one webhook_inbox document that land only if it is as the writer last saw it (its
update time then), so of two workers racing for an event exactly one wins."""
from __future__ import annotations

import logging

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.stores.firestore.connection import FirestoreConnection
from lib.stores.inbox import Claim, InboxState, unreadable_error

# Only events a worker may still take carry due_at (a received event's receipt, a retry's next
# attempt, a claim's lease end); settling deletes it, so the claim query's automatic
# single-field index holds the pending events only, however long the history grows.
DUE = "due_at"
LOG = logging.getLogger("storefront.inbox")


def guarded_update(conn: FirestoreConnection, ref, update_time, changes: dict):
    """Write changes only if the document was last written at update_time: the write's own
    update time, or None when the document has changed (or gone) since."""
    option = conn.client.write_option(last_update_time=update_time)
    try:
        return ref.update(changes, option=option, **conn.calls()).update_time
    except (api_errors.FailedPrecondition, api_errors.NotFound):
        return None


def settle(conn: FirestoreConnection, ref, claim: Claim, changes: dict, due, action: str) -> bool:
    """Apply changes (and due_at, DELETE_FIELD once settled for good) if this claim still holds
    the event's lease: one write guarded by the claim's version when it has one (no other
    writer touches a leased document), else, or if that guard fails, a read that checks the
    token and state and a write guarded by what it read, so a rival's claim between the two
    fails the write and the next read sees it."""
    changes = {**changes, "token": "", DUE: due}
    with conn.errors(action):
        if claim.version is not None and guarded_update(conn, ref, claim.version,
                                                        changes) is not None:
            return True
        while True:
            snapshot = ref.get(**conn.calls())
            data = snapshot.to_dict() if snapshot.exists else {}
            if data.get("state") != InboxState.CLAIMED or data.get("token") != claim.token:
                return False
            if guarded_update(conn, ref, snapshot.update_time, changes) is not None:
                return True


def put_aside(conn: FirestoreConnection, snapshot, exc: Exception, now) -> None:
    """Mark an unreadable due document failed, with why, out of the claim query (no due_at) and
    kept for a person to read; it writes only fields that need no reading, and a rival's change
    since the read wins (the next read sees it)."""
    changes = {"state": InboxState.FAILED, "last_error": unreadable_error("document", exc),
               "next_attempt_at": now, "done_at": now, "token": "", DUE: firestore.DELETE_FIELD}
    if guarded_update(conn, snapshot.reference, snapshot.update_time, changes) is not None:
        LOG.error("inbox: marked unreadable document %s failed: %s", snapshot.reference.path,
                  exc)
