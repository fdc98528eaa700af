"""The Data explorer page through AppTest: stored documents at their paths, search, empty store."""
import json
from datetime import UTC, datetime, timedelta

import pytest

from lib.config.redaction import store_name
from lib.orders.model import OrderStatus
from tests.fixtures_firestore import unique_project
from tests.fixtures_pages import open_page
from tests.sample_orders import make_order

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def seed(store) -> list:
    """Three orders from two shoppers, an hour apart, oldest first."""
    orders = [make_order(email=email, timestamp=START + timedelta(hours=n), status=OrderStatus.PAID)
              for n, email in enumerate(["ada@example.com", "bob@example.com", "ada@example.com"])]
    for order in orders:
        assert store.create_order(order)
    return orders


def documents(at) -> list[dict]:
    """The stored documents on screen, in order."""
    return [json.loads(element.value) for element in at.json]


def locations(at) -> list[str]:
    """The paths (or rows) shown above the documents."""
    return [element.value for element in at.code]


@pytest.fixture
def sqlite_orders(app_env):
    """The SQLite store the app reads, in this test's DATA_DIR."""
    from lib.stores.sqlite.orders import SqliteOrderStore

    store = SqliteOrderStore(app_env / "orders.sqlite3")
    yield store
    store.close()


def test_every_row_newest_first_as_stored(sqlite_orders, app_env):
    orders = seed(sqlite_orders)
    at = open_page("pages/explorer.py")
    shown = documents(at)
    assert [d["session_id"] for d in shown] == [o.session_id for o in reversed(orders)]
    assert shown[0]["amount"] == orders[-1].amount and shown[0]["items"][0]["product_id"] == "mug"
    assert shown[0]["timestamp"] == "2026-03-01T11:30:00.000000+00:00"  # the column's own text
    assert all("table orders" in where for where in locations(at))
    assert store_name(sqlite_orders) in at.caption[0].value  # the kind and id, not the file
    assert "3 orders, newest first" in [c.value for c in at.caption]


def test_search_by_email_or_session_id(sqlite_orders):
    orders = seed(sqlite_orders)
    at = open_page("pages/explorer.py")
    at.text_input(key="explorer_search").input("BOB@example.com ").run()
    assert [d["email"] for d in documents(at)] == ["bob@example.com"]
    at.text_input(key="explorer_search").input(orders[0].session_id).run()
    assert [d["session_id"] for d in documents(at)] == [orders[0].session_id]
    at.text_input(key="explorer_search").input("nobody@example.com").run()
    assert documents(at) == [] and at.info[0].value == "No stored order matches."


def test_an_empty_store(sqlite_orders):
    at = open_page("pages/explorer.py")
    assert at.info[0].value == "No order is stored yet."


@pytest.mark.firestore
def test_firestore_documents_at_the_tutorials_path(app_env, monkeypatch, firestore_emulator):
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.orders import FirestoreOrderStore

    project = unique_project()
    monkeypatch.setenv("ORDER_STORE", "firestore")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator)
    store = FirestoreOrderStore(FirestoreConnection(project=project,
                                                    emulator_host=firestore_emulator),
                                owns_connection=True)
    try:
        orders = seed(store)
    finally:
        store.close()
    at = open_page("pages/explorer.py")
    assert locations(at) == [f"users/{o.email}/orders/{o.session_id}" for o in reversed(orders)]
    assert documents(at)[0]["shipping"]["address"]["city"] == "Pune"
    assert store_name(store) in at.caption[0].value and "users/{email}/orders/{session_id}" in \
        at.caption[0].value
