"""One contract for every order store, run against SQLite and the real Firestore emulator."""
from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.processes import free_port
from lib.config.settings import Settings
from lib.orders.model import OrderItem, OrderStatus
from lib.stores.errors import StoreError, StoreUnavailable
from lib.stores.factory import make_order_store
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_firestore import unique_project
from tests.sample_orders import EMAIL, make_order, orders_over_time


def test_create_then_get_round_trips_every_field(order_store):
    order = make_order(timestamp=datetime(2026, 5, 1, 12, 0, 0, 123456,
                                          tzinfo=timezone(timedelta(hours=5, minutes=30))))
    assert order_store.create_order(order) is True
    stored = order_store.get_order(order.email, order.session_id)
    assert stored == order
    assert stored.timestamp.utcoffset() == timedelta(0)
    assert stored.timestamp == datetime(2026, 5, 1, 6, 30, 0, 123456, tzinfo=UTC)
    assert stored.items == order.items and isinstance(stored.items, tuple)
    assert stored.shipping["address"]["city"] == "Pune"
    assert stored.images == ("https://example.com/img/mug.jpg",)
    assert isinstance(stored.amount, int) and stored.amount_subtotal == 169900


def test_optional_fields_may_be_empty(order_store):
    order = make_order(shipping=None, payment_intent=None, images=())
    assert order_store.create_order(order)
    assert order_store.get_order(order.email, order.session_id) == order


def test_the_demo_mark_round_trips_and_shows_in_the_stored_document(order_store):
    demo, real = make_order(demo=True), make_order()
    assert order_store.create_order(demo) and order_store.create_order(real)
    assert order_store.get_order(demo.email, demo.session_id).demo is True
    assert order_store.get_order(real.email, real.session_id).demo is False
    marks = {doc.document["session_id"]: doc.document["demo"]
             for doc in order_store.stored_orders()}
    assert marks == {demo.session_id: True, real.session_id: False}


def test_unknown_order_is_none(order_store):
    assert order_store.get_order(EMAIL, "cs_test_missing") is None


def test_second_create_returns_false_and_keeps_the_first(order_store):
    first = make_order()
    again = make_order(session_id=first.session_id, amount=1, status=OrderStatus.PAID)
    assert order_store.create_order(first) is True
    assert order_store.create_order(again) is False
    assert order_store.get_order(first.email, first.session_id) == first


def test_concurrent_creates_write_exactly_once(order_store):
    orders = [make_order(session_id="cs_test_race", amount=100000 + i) for i in range(20)]
    results: list[bool] = []
    start = threading.Barrier(len(orders))

    def create(order):
        start.wait()
        results.append(order_store.create_order(order))

    threads = [threading.Thread(target=create, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False] * 19 + [True]
    assert order_store.count_orders(EMAIL) == 1
    assert order_store.get_order(EMAIL, "cs_test_race") in orders


def test_advance_status_moves_once(order_store):
    order = make_order()
    order_store.create_order(order)
    awaiting = [OrderStatus.AWAITING_PAYMENT]
    assert order_store.advance_status(EMAIL, order.session_id, awaiting, OrderStatus.PAID) is True
    assert order_store.advance_status(EMAIL, order.session_id, awaiting, OrderStatus.PAID) is False
    assert order_store.get_order(EMAIL, order.session_id).status == OrderStatus.PAID


def test_paid_is_not_moved_back(order_store):
    order = make_order(status=OrderStatus.PAID)
    order_store.create_order(order)
    assert not order_store.advance_status(EMAIL, order.session_id, [OrderStatus.AWAITING_PAYMENT],
                                          OrderStatus.PAYMENT_FAILED)
    assert not order_store.advance_status(EMAIL, order.session_id, [], OrderStatus.AWAITING_PAYMENT)
    assert order_store.get_order(EMAIL, order.session_id) == order


def test_advance_status_of_missing_order_is_false(order_store):
    assert not order_store.advance_status(EMAIL, "cs_test_none", [OrderStatus.AWAITING_PAYMENT],
                                          OrderStatus.PAID)
    assert order_store.get_order(EMAIL, "cs_test_none") is None


def test_advance_status_refuses_unknown_status(order_store):
    order = make_order()
    order_store.create_order(order)
    with pytest.raises(ValueError):
        order_store.advance_status(EMAIL, order.session_id, [OrderStatus.AWAITING_PAYMENT],
                                   "shipped")


def test_concurrent_transitions_only_one_wins(order_store):
    order = make_order()
    order_store.create_order(order)
    targets = [OrderStatus.PAID, OrderStatus.PAYMENT_FAILED] * 4
    results: list[bool] = []
    start = threading.Barrier(len(targets))

    def move(to_status):
        start.wait()
        results.append(order_store.advance_status(EMAIL, order.session_id,
                                                  [OrderStatus.AWAITING_PAYMENT], to_status))

    threads = [threading.Thread(target=move, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False] * 7 + [True]


def test_list_is_newest_first_and_pages(order_store):
    orders = orders_over_time(25)
    for order in reversed(orders):  # insertion order must not matter
        order_store.create_order(order)
    newest_first = [o.session_id for o in reversed(orders)]
    pages, after = [], None
    for _ in range(3):
        page = order_store.page_orders(EMAIL, limit=10, after=after)
        pages.append(page)
        after = page.next_cursor
    assert [len(page.orders) for page in pages] == [10, 10, 5]
    assert [o.session_id for page in pages for o in page.orders] == newest_first
    assert [page.next_cursor is None for page in pages] == [False, False, True]
    assert all(page.skipped == () for page in pages)
    assert pages[0].next_cursor.key == newest_first[9]
    assert order_store.page_orders(EMAIL, limit=0).orders == ()
    assert order_store.list_orders(EMAIL, limit=0) == []
    assert order_store.list_orders(EMAIL)[0] == orders[-1]
    assert order_store.count_orders(EMAIL) == 25


ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                         timezone(timedelta(hours=-8))])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moments=st.lists(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31),
                                     timezones=ZONES), min_size=1, max_size=6),
       name=st.text(max_size=40))
def test_any_times_and_names_round_trip_in_order(order_store, moments, name):
    email = f"prop-{uuid.uuid4().hex[:10]}@example.com"  # a fresh shopper per example
    item = OrderItem("p1", name, 1, 500, 500)
    orders = [make_order(email=email, timestamp=moment, items=(item,), session_id=f"cs_{i}")
              for i, moment in enumerate(moments)]
    for order in orders:
        assert order_store.create_order(order)
    expected = sorted(orders, key=lambda o: (o.timestamp, o.session_id), reverse=True)
    assert order_store.list_orders(email, limit=len(orders)) == expected


def test_a_full_last_page_has_no_next_cursor(order_store):
    for order in orders_over_time(10):
        order_store.create_order(order)
    page = order_store.page_orders(EMAIL, limit=10)
    assert len(page.orders) == 10 and page.next_cursor is None


def test_a_page_starts_after_its_cursor_whatever_was_added_before_it(order_store):
    orders = orders_over_time(15)
    for order in orders:
        order_store.create_order(order)
    first = order_store.page_orders(EMAIL, limit=5)
    second = order_store.page_orders(EMAIL, limit=5, after=first.next_cursor)
    # Newer orders arrive while the shopper reads page one: an offset would shift page two by
    # them; a cursor (start after the last order shown) keeps it where it was.
    for order in orders_over_time(3):
        order_store.create_order(replace(order, timestamp=order.timestamp + timedelta(days=9)))
    again = order_store.page_orders(EMAIL, limit=5, after=first.next_cursor)
    assert again.orders == second.orders
    assert [o.session_id for o in again.orders] == [o.session_id for o in orders[9:4:-1]]


def test_shoppers_see_only_their_own_orders(order_store):
    mine = make_order(email="asha@example.com")
    theirs = make_order(email="ben@example.com")
    shared_id = make_order(email="ben@example.com", session_id=mine.session_id)
    for order in (mine, theirs, shared_id):
        assert order_store.create_order(order)
    assert order_store.list_orders("asha@example.com") == [mine]
    assert order_store.count_orders("asha@example.com") == 1
    assert order_store.count_orders("ben@example.com") == 2
    assert order_store.count_orders("nobody@example.com") == 0
    assert order_store.list_orders("nobody@example.com") == []
    assert order_store.get_order("asha@example.com", theirs.session_id) is None


def test_delete_order(order_store):
    keep, gone = make_order(), make_order()
    order_store.create_order(keep)
    order_store.create_order(gone)
    order_store.delete_order(EMAIL, gone.session_id)
    order_store.delete_order(EMAIL, "cs_test_never_existed")
    assert order_store.get_order(EMAIL, gone.session_id) is None
    assert order_store.list_orders(EMAIL) == [keep]
    assert order_store.create_order(gone) is True  # the id is free again


def test_ping_and_describe(order_store):
    order_store.ping()
    assert order_store.backend in order_store.describe().lower()


def test_sqlite_describe_names_the_file(sqlite_store, tmp_path):
    assert str(tmp_path / "orders.sqlite3") in sqlite_store.describe()


@pytest.mark.firestore
def test_firestore_describe_names_project_and_emulator(firestore_store, firestore_emulator):
    assert firestore_store.project in firestore_store.describe()
    assert firestore_emulator in firestore_store.describe()


def test_sqlite_stores_share_one_file(tmp_path):
    first = SqliteOrderStore(tmp_path / "orders.sqlite3")
    second = SqliteOrderStore(tmp_path / "orders.sqlite3")
    order = make_order()
    try:
        assert first.create_order(order)
        assert not second.create_order(order)
        assert second.get_order(EMAIL, order.session_id) == order
        assert first._connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        first.close()
        second.close()


def test_sqlite_unwritable_path_is_a_clear_store_error(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(StoreError, match="not-a-directory.*DATA_DIR"):
        SqliteOrderStore(blocker / "orders.sqlite3")


def test_sqlite_broken_file_is_a_store_error(tmp_path):
    path = tmp_path / "orders.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="orders.sqlite3"):
        SqliteOrderStore(path)


def test_firestore_missing_credentials_file_names_it(tmp_path):
    from lib.stores.firestore.connection import FirestoreConnection

    missing = tmp_path / "permissions.json"
    with pytest.raises(StoreUnavailable, match=r"permissions\.json does not exist.*"
                                               "FIREBASE_CREDENTIALS"):
        FirestoreConnection(credentials_path=str(missing))


@pytest.mark.parametrize("content, problem", [
    ("{not json", "is not valid JSON"),
    (json.dumps({"type": "authorized_user", "client_id": "x"}), "is not a service-account key"),
    (json.dumps({"type": "service_account", "project_id": "p", "client_email": "a@b.c",
                 "private_key": "not a key", "token_uri": "https://oauth2.googleapis.com/token"}),
     "is not a usable service-account key"),
])
def test_firestore_broken_credentials_file_names_it(tmp_path, content, problem):
    from lib.stores.firestore.connection import FirestoreConnection

    path = tmp_path / "permissions.json"
    path.write_text(content)
    with pytest.raises(StoreUnavailable, match=problem) as caught:
        FirestoreConnection(credentials_path=str(path))
    assert str(path) in str(caught.value) and "FIREBASE_CREDENTIALS" in str(caught.value)


def test_firestore_without_any_configuration_says_how():
    from lib.stores.firestore.connection import FirestoreConnection

    with pytest.raises(StoreUnavailable, match="FIRESTORE_EMULATOR_HOST"):
        FirestoreConnection()


def test_firestore_at_a_closed_port_is_unavailable_quickly():
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.orders import FirestoreOrderStore

    default = FirestoreOrderStore(FirestoreConnection(emulator_host=f"127.0.0.1:{free_port()}"),
                                  owns_connection=True)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="did not answer"):
        default.ping()
    assert time.monotonic() - started < 8  # the default timeout is a few seconds
    default.close()
    store = FirestoreOrderStore(FirestoreConnection(project=unique_project(),
                                                    emulator_host=f"127.0.0.1:{free_port()}",
                                                    timeout=1), owns_connection=True)
    try:
        for call in (store.ping, lambda: store.get_order(EMAIL, "cs_x"),
                     lambda: store.create_order(make_order()),
                     lambda: store.advance_status(EMAIL, "cs_x", [OrderStatus.AWAITING_PAYMENT],
                                                  OrderStatus.PAID)):
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="did not answer"):
                call()
            assert time.monotonic() - started < 4
    finally:
        store.close()


def test_factory_builds_sqlite_under_data_dir(tmp_path):
    store = make_order_store(Settings(store="sqlite", data_dir=tmp_path / "data"))
    try:
        assert isinstance(store, SqliteOrderStore)
        assert store.path == tmp_path / "data" / "orders.sqlite3"
    finally:
        store.close()


@pytest.mark.firestore
def test_factory_builds_firestore_for_the_emulator(firestore_emulator):
    project = unique_project()
    store = make_order_store(Settings(store="firestore", google_cloud_project=project,
                                      firestore_emulator_host=firestore_emulator))
    try:
        assert store.backend == "firestore" and project in store.describe()
        store.ping()
    finally:
        store.close()


def test_a_discount_round_trips(order_store):
    order = make_order(discount={"amount": 16990, "code": "WORKSHOP10", "coupon": "workshop10"})
    assert order_store.create_order(order)
    stored = order_store.get_order(order.email, order.session_id)
    assert stored.discount == order.discount and stored.amount_discount == 16990
    assert stored.amount_subtotal == order.amount - order.amount_shipping + 16990


def test_a_refund_is_recorded_once_and_never_shrinks(order_store):
    order = make_order(status=OrderStatus.PAID)
    assert order_store.create_order(order)
    assert order_store.record_refund(order.email, order.session_id, 1000) is True
    partly = order_store.get_order(order.email, order.session_id)
    assert (partly.status, partly.amount_refunded) == ("partially_refunded", 1000)
    assert order_store.record_refund(order.email, order.session_id, 1000) is False  # a duplicate
    assert order_store.record_refund(order.email, order.session_id, order.amount) is True
    assert order_store.record_refund(order.email, order.session_id, 1000) is False  # late, smaller
    done = order_store.get_order(order.email, order.session_id)
    assert (done.status, done.amount_refunded) == ("refunded", order.amount)


def test_a_refund_needs_a_paid_order(order_store):
    waiting = make_order(status=OrderStatus.AWAITING_PAYMENT)
    assert order_store.create_order(waiting)
    assert order_store.record_refund(waiting.email, waiting.session_id, 100) is False
    assert order_store.get_order(waiting.email, waiting.session_id).amount_refunded == 0
    assert order_store.record_refund(EMAIL, "cs_test_missing", 100) is False
