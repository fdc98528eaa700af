"""The Firestore basket store: baskets/{shopper} documents, each change atomic (a guarded
write for one basket, a transaction for a merge of two)."""
from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.shop.basket import Basket
from lib.stores.baskets import BasketStore
from lib.stores.errors import StoreError
from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection, key_document_id

COLLECTION = "baskets"
CONTENTION_TIMEOUT = 60.0  # seconds of retrying transactions aborted by other writers


class _ChangeFailed(Exception):  # noqa: N818 - a carrier, never seen outside this module
    """The caller's change (or combine) raised: abort without retrying, re-raise it outside."""

    def __init__(self, original: BaseException):
        super().__init__(str(original))
        self.original = original


def _basket(snapshot) -> Basket:
    """A basket from its document (empty, version 0, when there is none)."""
    if not snapshot.exists:
        return Basket({}, 0)
    data = snapshot.to_dict() or {}
    return Basket(dict(data.get("lines") or {}), int(data.get("version") or 0))


class FirestoreBasketStore(FirestoreAdapter, BasketStore):
    """One document per shopper key; update is a guarded write, merge a transaction."""

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._baskets = connection.client.collection(COLLECTION)

    def _ref(self, shopper: str):
        """The shopper's basket document."""
        return self._baskets.document(key_document_id(shopper, "basket"))

    def load(self, shopper: str) -> Basket:
        """The shopper's basket (empty, version 0, when there is none)."""
        with self._conn.errors("read a basket"):
            return _basket(self._ref(shopper).get(**self._conn.calls()))

    def _transact(self, action: str, body) -> Basket:
        """Run body(transaction) as one transaction, retried with a growing random pause while
        other writers abort it; the caller's own exceptions abort it and are raised as they are."""
        transactional = firestore.transactional(body)
        deadline = time.monotonic() + CONTENTION_TIMEOUT
        with self._conn.errors(action):
            for attempt in itertools.count():
                try:
                    # The library retries an aborted attempt at once under the same transaction
                    # id, which Firestore favours; this loop adds pauses when that is not enough.
                    return transactional(self._conn.client.transaction(max_attempts=10))
                except _ChangeFailed as failed:
                    raise failed.original from None
                except (ValueError, api_errors.Aborted) as exc:
                    if time.monotonic() > deadline:
                        raise StoreError(f"Firestore could not {action} under contention: "
                                         f"{exc}") from exc
                time.sleep(random.uniform(0, min(0.5, 0.01 * 2 ** attempt)))
        raise AssertionError("unreachable")

    @staticmethod
    def _write(transaction, ref, lines: dict, version: int) -> None:
        """Store lines at version inside the transaction."""
        transaction.set(ref, {"lines": lines, "version": version,
                              "updated_at": firestore.SERVER_TIMESTAMP})

    def update(self, shopper: str, change: Callable[[dict], dict]) -> Basket:
        """Apply change to the shopper's lines atomically; its exceptions abort the change.

        A compare-and-set on the one document: the write carries the read's update time as a
        precondition (or must create the document), so a change made by another tab or
        process in between fails the write and this one is re-read and re-applied. It is
        used rather than a transaction, whose locks make many writers to one basket wait
        (bench/basket_updates.py measures both).
        """
        ref = self._ref(shopper)
        deadline = time.monotonic() + CONTENTION_TIMEOUT
        with self._conn.errors("change a basket"):
            for attempt in itertools.count():
                snapshot = ref.get(**self._conn.calls())
                current = _basket(snapshot)
                lines = change(dict(current.lines))
                fields = {"lines": lines, "version": current.version + 1,
                          "updated_at": firestore.SERVER_TIMESTAMP}
                try:
                    if snapshot.exists:
                        option = self._conn.client.write_option(
                            last_update_time=snapshot.update_time)
                        # update() replaces each named field whole, the lines map included.
                        ref.update(fields, option=option, **self._conn.calls())
                    else:
                        ref.create(fields, **self._conn.calls())
                    return Basket(lines, current.version + 1)
                except (api_errors.FailedPrecondition, api_errors.AlreadyExists) as exc:
                    if time.monotonic() > deadline:
                        raise StoreError("Firestore could not change a basket under "
                                         f"contention: {exc}") from exc
                time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** attempt)))
        raise AssertionError("unreachable")

    def merge(self, source: str, target: str, combine: Callable[[dict, dict], dict]) -> Basket:
        """Empty source and write combine(target, source) into target in one transaction."""
        source_ref, target_ref = self._ref(source), self._ref(target)

        def body(transaction) -> Basket:
            # Both reads come before any write, as Firestore transactions require.
            taken = _basket(source_ref.get(transaction=transaction))
            current = _basket(target_ref.get(transaction=transaction))
            if source == target or not taken.lines:
                return current
            try:
                lines = combine(dict(current.lines), dict(taken.lines))
            except Exception as exc:
                raise _ChangeFailed(exc) from exc
            self._write(transaction, source_ref, {}, taken.version + 1)
            self._write(transaction, target_ref, lines, current.version + 1)
            return Basket(lines, current.version + 1)

        return self._transact("merge baskets", body)

    def describe(self) -> str:
        """The Firestore project (and emulator) holding the baskets collection."""
        return f"{self._conn.describe()}, collection {COLLECTION}"
