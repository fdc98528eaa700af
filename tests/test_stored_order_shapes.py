"""Orders already in a store: the tutorial's documents shown, malformed ones skipped and named.

Firestore cases write the documents with the plain client into the real emulator, as the
tutorial's webhook (or a hand edit in the console) would; SQLite cases write raw rows.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from lib.orders.model import OrderStatus, OrderWriter
from lib.stores.errors import UnreadableStoredOrder
from tests.fixtures_firestore import raw_client
from tests.sample_orders import EMAIL, TUTORIAL_DOC, make_order, orders_over_time

START = datetime(2026, 2, 1, tzinfo=UTC)
# The malformed documents, each under its own id, dated in turn after START.
BROKEN_DOCS = {
    "cs_test_no_amount": {"amount_shipping": 49, "images": [], "timestamp": START},
    "cs_test_amount_text": {**TUTORIAL_DOC, "amount": "181.25"},
    "cs_test_timestamp_text": {**TUTORIAL_DOC, "timestamp": "yesterday"},
    "cs_test_items_not_objects": {"session_id": "cs_test_items_not_objects", "email": EMAIL,
                                  "amount": 100, "amount_shipping": 0, "currency": "inr",
                                  "status": OrderStatus.PAID, "items": ["mug"], "timestamp": START},
    "cs_test_no_timestamp": {k: v for k, v in TUTORIAL_DOC.items() if k != "timestamp"},
}


def walk(store, email=EMAIL, limit=3):
    """Every page of the shopper's orders, following the cursors."""
    pages, after = [], None
    while True:
        page = store.page_orders(email, limit=limit, after=after)
        pages.append(page)
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


@pytest.fixture
def firestore_docs(firestore_store, firestore_emulator):
    """The shopper's orders collection in the store's project, through the plain client."""
    client = raw_client(firestore_store.project, firestore_emulator)
    yield client.collection("users").document(EMAIL).collection("orders")
    client.close()


@pytest.mark.firestore
def test_the_tutorials_document_is_listed_as_an_order(firestore_store, firestore_docs):
    firestore_docs.document("cs_test_tutorial").set(
        {**TUTORIAL_DOC, "timestamp": firestore_server_timestamp()})
    [order] = firestore_store.list_orders(EMAIL)
    assert order.written_by == OrderWriter.TUTORIAL and order.session_id == "cs_test_tutorial"
    assert (order.amount, order.amount_shipping, order.currency) == (18125, 4900, "inr")
    assert order.images == tuple(TUTORIAL_DOC["images"])
    assert abs(order.timestamp - datetime.now(UTC)) < timedelta(minutes=5)
    assert firestore_store.get_order(EMAIL, "cs_test_tutorial") == order
    assert firestore_store.count_orders(EMAIL) == 1


def firestore_server_timestamp():
    """The sentinel the tutorial's admin.firestore.FieldValue.serverTimestamp() stands for."""
    from google.cloud import firestore

    return firestore.SERVER_TIMESTAMP


@pytest.mark.firestore
def test_malformed_documents_are_skipped_named_and_counted(firestore_store, firestore_docs,
                                                           caplog):
    good = orders_over_time(3)
    for order in good:
        assert firestore_store.create_order(order)
    firestore_docs.document("cs_test_tutorial").set({**TUTORIAL_DOC, "timestamp": START})
    for n, (doc_id, fields) in enumerate(BROKEN_DOCS.items()):
        if isinstance(fields.get("timestamp"), datetime):
            fields = {**fields, "timestamp": START + timedelta(hours=n + 1)}
        firestore_docs.document(doc_id).set(fields)
    with caplog.at_level(logging.WARNING, logger="storefront.orders"):
        pages = walk(firestore_store)
    listed = [o.session_id for page in pages for o in page.orders]
    skipped = {s.where.rsplit("/", 1)[1]: s.reason for page in pages for s in page.skipped}
    assert listed == ["cs_test_tutorial"] + [o.session_id for o in reversed(good)]
    assert set(skipped) == set(BROKEN_DOCS)
    assert "no timestamp" in skipped["cs_test_no_timestamp"]
    assert "not an amount" in skipped["cs_test_amount_text"]
    assert "not a date" in skipped["cs_test_timestamp_text"]
    assert "not an object" in skipped["cs_test_items_not_objects"]
    assert "no amount" in skipped["cs_test_no_amount"]
    # The count and the list agree: every stored document is shown or named, once.
    assert firestore_store.count_orders(EMAIL) == len(listed) + len(skipped) == 9
    logged = caplog.text
    for doc_id in BROKEN_DOCS:
        assert f"users/{EMAIL}/orders/{doc_id}" in logged


@pytest.mark.firestore
def test_reading_one_malformed_document_names_it(firestore_store, firestore_docs):
    firestore_docs.document("cs_test_amount_text").set(BROKEN_DOCS["cs_test_amount_text"])
    with pytest.raises(UnreadableStoredOrder, match=f"users/{EMAIL}/orders/cs_test_amount_text"):
        firestore_store.get_order(EMAIL, "cs_test_amount_text")


@pytest.mark.firestore
def test_a_deep_page_is_fetched_with_a_cursor_never_an_offset(firestore_store):
    for order in orders_over_time(35):
        firestore_store.create_order(order)
    pages = walk(firestore_store, limit=10)
    calls = QueryRecorder.around(firestore_store)
    deep = firestore_store.page_orders(EMAIL, limit=10, after=pages[2].next_cursor)
    assert [o.session_id for o in deep.orders] == [o.session_id for o in pages[3].orders]
    assert len(deep.orders) == 5
    assert "start_after" in calls and "offset" not in calls
    assert calls.count("limit") == 1


class QueryRecorder:
    """Wraps the store's Firestore client and records the name of every query method called."""

    BUILDERS = {"collection", "document", "order_by", "start_after", "start_at", "offset",
                "limit", "where", "select", "end_before", "end_at", "count"}

    def __init__(self, target, calls: list[str]):
        self._target, self._calls = target, calls

    @classmethod
    def around(cls, store) -> list[str]:
        """Start recording the store's queries; the list fills as it queries."""
        calls: list[str] = []
        store._client = cls(store._client, calls)
        return calls

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if name not in self.BUILDERS:
            return value

        def build(*args, **kwargs):
            self._calls.append(name)
            return QueryRecorder(value(*args, **kwargs), self._calls)

        return build


def test_malformed_sqlite_rows_are_skipped_named_and_counted(sqlite_store, caplog):
    good = orders_over_time(2)
    for order in good:
        sqlite_store.create_order(order)
    rows = {"cs_test_amount_text": {"amount": "lots"},
            "cs_test_timestamp_text": {"timestamp": "yesterday"},
            "cs_test_items_not_objects": {"items": json.dumps(["mug"])},
            "cs_test_items_not_json": {"items": "[{"},
            "cs_test_status_unknown": {"status": "shipped"}}
    for session_id in rows:
        sqlite_store.create_order(make_order(session_id=session_id))
    with closing(sqlite3.connect(sqlite_store.path)) as conn, conn:
        for session_id, change in rows.items():
            for column, value in change.items():
                conn.execute(f"UPDATE orders SET {column} = ? WHERE session_id = ?",
                             (value, session_id))
    with caplog.at_level(logging.WARNING, logger="storefront.orders"):
        pages = walk(sqlite_store, limit=2)
    listed = [o.session_id for page in pages for o in page.orders]
    skipped = [s.where for page in pages for s in page.skipped]
    assert sorted(listed) == sorted(o.session_id for o in good)
    assert len(skipped) == len(rows)
    assert sqlite_store.count_orders(EMAIL) == len(listed) + len(skipped)
    for session_id in rows:
        assert f"session_id={session_id!r}" in caplog.text
    with pytest.raises(UnreadableStoredOrder, match="cs_test_amount_text"):
        sqlite_store.get_order(EMAIL, "cs_test_amount_text")
