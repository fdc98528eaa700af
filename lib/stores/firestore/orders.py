"""The Firestore order store: the tutorial's users/{email}/orders/{session_id} (firebase-admin)."""
from __future__ import annotations

from collections.abc import Iterable

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.orders.model import REFUNDABLE, STATUSES, Order, refund_status
from lib.orders.sales import SalesSummary
from lib.orders.stored import MalformedStoredOrder, StoredOrder, read_order, skip
from lib.stores.errors import StoreError, UnreadableStoredOrder
from lib.stores.firestore import sales as firestore_sales
from lib.stores.firestore import stored_orders as firestore_stored_orders
from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection, document_id
from lib.stores.orders import OrderPage, OrderStore, PageCursor

# Guarded writes an update tries before it gives up: each failed guard is another writer's
# landed write, so only a document rewritten this often between a read and a write exhausts it.
MAX_GUARDED_PASSES = 50


class FirestoreOrderStore(FirestoreAdapter, OrderStore):
    """Orders in Cloud Firestore (or its emulator) under users/{email}/orders/{session_id}."""

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False,
                 tutorial_currency: str = "INR"):
        super().__init__(connection, owns_connection)
        self._client = connection.client
        # The tutorial's webhook records amounts without a currency; read them in this one.
        self.tutorial_currency = tutorial_currency

    def _order_ref(self, email: str, session_id: str):
        """The document reference users/{email}/orders/{session_id}."""
        return self._orders(email).document(document_id(session_id, "session_id"))

    def _orders(self, email: str):
        """The shopper's orders subcollection."""
        return (self._client.collection("users").document(document_id(email, "email"))
                .collection("orders"))

    def _errors(self, action: str):
        """Google API errors as StoreUnavailable or StoreError naming the action."""
        return self._conn.errors(action)

    def _calls(self) -> dict:
        """Keyword arguments giving every request a short timeout and retry."""
        return self._conn.calls()

    def create_order(self, order: Order) -> bool:
        """Create the document unless it exists (Firestore create()); True if this call did."""
        # A create retried after a lost reply meets its own write and reports False
        # ("already recorded"); there is still exactly one document.
        batch = self._client.batch()
        self.add_create(batch, order)
        with self._errors("record an order"):
            try:
                batch.commit(**self._calls())
            except api_errors.AlreadyExists:
                return False
        return True

    def add_create(self, batch, order: Order) -> None:
        """Add the order's create() and its day's sales rollup to batch (a batch of a client
        on this store's database), so they are written together or not at all."""
        record = order.to_record()
        batch.create(self._order_ref(order.email, order.session_id), record)
        batch.set(*firestore_sales.rollup_write(self._client, [(record, 1)]), merge=True)

    def shares_database(self, connection: FirestoreConnection) -> bool:
        """Whether connection reaches the database this store writes to (one batch can then
        hold both's writes)."""
        return self._conn.same_database(connection)

    def get_order(self, email: str, session_id: str) -> Order | None:
        """The order for this shopper and session, or None."""
        ref = self._order_ref(email, session_id)
        with self._errors("read an order"):
            snapshot = ref.get(**self._calls())
        if not snapshot.exists:
            return None
        try:
            return self._to_order(email, snapshot)
        except MalformedStoredOrder as exc:
            raise UnreadableStoredOrder(f"The stored order {ref.path} cannot be read: "
                                        f"{exc}") from exc

    def advance_status(self, email: str, session_id: str, from_statuses: Iterable[str],
                       to_status: str) -> bool:
        """Move the status to to_status if it is one of from_statuses (rollup moved too), in one
        batch guarded by the order's update time, so of racing writers exactly one moves it."""
        allowed = set(from_statuses)
        if to_status not in STATUSES:
            raise ValueError(f"unknown order status {to_status!r}")
        ref = self._order_ref(email, session_id)
        with self._errors("update an order's status"):
            # No transaction: the emulator's and Firestore's transactions lock the document, and
            # racers (webhook retries, the success page) can abort one another until the
            # deadline. A guarded write takes no lock; each failed guard means another writer's
            # write landed, so every pass reads a newer document and the loop ends.
            for _ in range(MAX_GUARDED_PASSES):
                snapshot = ref.get(**self._calls())
                if not snapshot.exists or snapshot.get("status") not in allowed:
                    return False
                record = snapshot.to_dict()
                batch = self._client.batch()
                batch.update(ref, {"status": to_status},
                             option=self._client.write_option(
                                 last_update_time=snapshot.update_time))
                batch.set(*firestore_sales.rollup_write(
                    self._client, [(record, -1), ({**record, "status": to_status}, 1)]),
                    merge=True)
                try:
                    batch.commit(**self._calls())
                    return True
                except (api_errors.FailedPrecondition, api_errors.NotFound):
                    continue  # another writer changed or deleted the order: read it again
            raise StoreError(f"Firestore could not update the status of {session_id}: it changed "
                             f"{MAX_GUARDED_PASSES} times while being read")

    def record_refund(self, email: str, session_id: str, amount_refunded: int) -> bool:
        """In a transaction, record a larger refunded total and the status it gives (rollup moved too)."""
        ref = self._order_ref(email, session_id)

        @firestore.transactional
        def refund(transaction) -> bool:
            snapshot = ref.get(transaction=transaction, **self._calls())
            if not snapshot.exists:
                return False
            record = snapshot.to_dict()
            if record.get("status") not in REFUNDABLE or int(record.get("amount_refunded") or 0) >= amount_refunded:
                return False
            status = refund_status(int(record["amount"]), amount_refunded)
            transaction.update(ref, {"status": status, "amount_refunded": amount_refunded})
            if status != record["status"]:
                transaction.set(*firestore_sales.rollup_write(
                    self._client, [(record, -1), ({**record, "status": status}, 1)]), merge=True)
            return True

        with self._errors("record a refund"):
            # Refunds are rare and come one delivery at a time: the library's own retries suffice.
            return refund(self._client.transaction())

    def _newest_first(self, email: str):
        """The shopper's orders by timestamp, newest first, ties broken by document id."""
        return (self._orders(email)
                .order_by("timestamp", direction=firestore.Query.DESCENDING)
                .order_by("__name__", direction=firestore.Query.DESCENDING))

    def page_orders(self, email: str, limit: int = 10,
                    after: PageCursor | None = None) -> OrderPage:
        """Up to limit orders, newest first, from just after the cursor (start_after).

        An offset would read, and bill, every document it skips; a cursor reads only the
        page. The last page also names the documents that have no timestamp at all, which
        an ordered query can never return.
        """
        if limit < 0:
            raise ValueError("limit must not be negative")
        if limit == 0:
            return OrderPage(())
        query = self._newest_first(email)
        if after is not None:
            query = query.start_after({"timestamp": after.sort_value, "__name__": after.key})
        with self._errors("list orders"):
            # One document more than asked says whether there is a next page.
            snapshots = list(query.limit(limit + 1).get(**self._calls()))
        more, snapshots = len(snapshots) > limit, snapshots[:limit]
        orders, skipped = [], []
        for snapshot in snapshots:
            try:
                orders.append(self._to_order(email, snapshot))
            except MalformedStoredOrder as exc:
                skipped.append(skip(snapshot.reference.path, str(exc)))
        if more:
            last = snapshots[-1]
            return OrderPage(tuple(orders), tuple(skipped),
                             PageCursor(last.get("timestamp"), last.id))
        return OrderPage(tuple(orders), tuple(skipped + self._undated(email)))

    def _undated(self, email: str) -> list:
        """The shopper's documents with no timestamp field, each logged and described.

        Two count aggregations tell whether there are any; only then are the ids read.
        """
        with self._errors("count orders"):
            everything = self._count(self._orders(email))
            dated = self._count(self._newest_first(email))
            if everything == dated:
                return []
            undated = [snap for snap in self._orders(email).select(["timestamp"])
                       .get(**self._calls()) if "timestamp" not in (snap.to_dict() or {})]
        return [skip(snap.reference.path, "it has no timestamp") for snap in undated]

    def _count(self, query) -> int:
        """How many documents the query matches (an aggregation, not a read of each)."""
        results = query.count(alias="n").get(**self._calls())
        return int(results[0][0].value) if results else 0

    def count_orders(self, email: str) -> int:
        """How many orders the shopper has (an aggregation query, not a read of each)."""
        with self._errors("count orders"):
            return self._count(self._orders(email))

    def delete_order(self, email: str, session_id: str) -> None:
        """Remove one order if it exists."""
        ref = self._order_ref(email, session_id)

        @firestore.transactional
        def remove(transaction) -> None:
            snapshot = ref.get(transaction=transaction, **self._calls())
            if snapshot.exists:
                transaction.delete(ref)
                transaction.set(*firestore_sales.rollup_write(
                    self._client, [(snapshot.to_dict(), -1)]), merge=True)

        with self._errors("delete an order"):
            remove(self._client.transaction())

    def sales_summary(self, currency: str) -> SalesSummary:
        """The sales rollup's day documents added up (one read per day with orders)."""
        with self._errors("read the sales rollup"):
            days = self._client.collection(firestore_sales.ROLLUP_COLLECTION).get(**self._calls())
        return firestore_sales.summary_from_days([day.to_dict() for day in days], currency)

    def stored_orders(self, search: str = "", limit: int = 50) -> list[StoredOrder]:
        """Documents newest first across users/*/orders (exact email or session id if given)."""
        with self._errors("read stored orders"):
            return firestore_stored_orders.stored_orders(self._client, search, limit, self._calls())

    def ping(self) -> None:
        """Raise StoreUnavailable unless a one-document read answers within the timeout."""
        with self._errors("answer a ping"):
            self._client.collection("storefront").document("ping").get(**self._calls())

    def describe(self) -> str:
        """The project, and the emulator's address when there is one."""
        return self._conn.describe()

    def _to_order(self, email: str, snapshot) -> Order:
        """An Order from a document (ours or the tutorial's), or MalformedStoredOrder saying why
        not."""
        return read_order(email, snapshot.id, snapshot.to_dict(), self.tutorial_currency)
