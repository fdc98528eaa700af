"""The Sales dashboard page through AppTest: figures beside charts, empty store, broken store."""
from datetime import UTC, datetime, timedelta

import pytest

from lib.orders.model import Order, OrderItem, OrderStatus
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
KETTLE = OrderItem("aurora-kettle", "Aurora Steel Electric Kettle", 1, 189900, 189900)
ROPE = OrderItem("comet-skipping-rope", "Comet Skipping Rope", 2, 52500, 105000)


@pytest.fixture
def orders(app_env):
    """The order store the app will read, in this test's own DATA_DIR."""
    store = SqliteOrderStore(app_env / "orders.sqlite3")
    yield store
    store.close()


def add(store, n: int, when: datetime, items, status=OrderStatus.PAID, email="ada@example.com",
        demo=False):
    """Store one order of items at when, shipping 49.00 (demo: marked by the generator)."""
    store.create_order(Order(
        session_id=f"cs_test_dash_{n:04d}", email=email, currency="INR", status=status,
        amount=sum(i.amount_total for i in items) + 4900, amount_shipping=4900,
        items=tuple(items), timestamp=when, demo=demo))


TABLES = ("revenue", "status", "category", "top_units", "top_revenue")  # in page order


def frame_rows(at, table: str) -> list[dict]:
    """The rows of one figures table."""
    return at.dataframe[TABLES.index(table)].value.to_dict("records")


def test_figures_beside_the_charts(orders):
    add(orders, 1, START, [KETTLE])
    add(orders, 2, START + timedelta(days=3), [KETTLE, ROPE], email="bob@example.com")
    add(orders, 3, START + timedelta(days=3, hours=2), [ROPE])
    add(orders, 4, START + timedelta(days=4), [KETTLE], status=OrderStatus.AWAITING_PAYMENT)
    at = open_page("pages/sales_dashboard.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Revenue": "₹6,045.00", "Paid orders": "3", "Average basket": "₹2,015.00"}
    assert [s.value for s in at.subheader][0] == "Revenue by day"
    days = frame_rows(at, "revenue")
    assert days == [{"day": "2026-03-04", "orders": 2, "revenue": "₹4,097.00"},
                    {"day": "2026-03-01", "orders": 1, "revenue": "₹1,948.00"}]
    assert frame_rows(at, "status") == [
        {"status": "Paid", "orders": 3, "amount": "₹6,045.00"},
        {"status": "Awaiting payment", "orders": 1, "amount": "₹1,948.00"}]
    categories = {row["category"]: row for row in frame_rows(at, "category")}
    assert list(categories) == ["Home & Kitchen", "Sports & Outdoors"]  # largest revenue first
    assert categories["Home & Kitchen"]["revenue"] == "₹3,798.00"
    assert categories["Sports & Outdoors"] == {"category": "Sports & Outdoors", "units": 4,
                                               "revenue": "₹2,100.00"}
    assert frame_rows(at, "top_units")[0] == {"product": "Comet Skipping Rope", "units": 4,
                                              "revenue": "₹2,100.00"}
    assert frame_rows(at, "top_revenue")[0]["product"] == "Aurora Steel Electric Kettle"
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5
    assert "revenue (INR)" in charts[0].proto.spec and '"day"' in charts[0].proto.spec


def test_a_single_afternoon_is_shown_by_hour(orders):
    add(orders, 1, START, [ROPE])
    add(orders, 2, START + timedelta(hours=3), [ROPE])
    at = open_page("pages/sales_dashboard.py")
    assert [s.value for s in at.subheader][0] == "Revenue by hour"
    assert [row["hour"] for row in frame_rows(at, "revenue")] == [
        "2026-03-01 12:00", "2026-03-01 09:00"]


def test_an_empty_store_says_how_to_fill_it(orders):
    at = open_page("pages/sales_dashboard.py")
    assert {m.label: m.value for m in at.metric}["Paid orders"] == "0"
    assert "No orders yet" in at.info[0].value
    assert not at.get("vega_lite_chart")


def test_a_broken_store_is_an_error_not_a_crash(app_env, monkeypatch):
    from lib.stores.errors import StoreError

    def fail(self, currency):
        raise StoreError("the disk is on fire")

    monkeypatch.setattr(SqliteOrderStore, "sales_summary", fail)
    at = open_page("pages/sales_dashboard.py")
    assert "the disk is on fire" in at.error[0].value


def test_generated_demo_orders_are_named_in_sandbox_mode(orders):
    add(orders, 1, START, [KETTLE])
    add(orders, 2, START, [ROPE], email="grace@generated.example.com", demo=True)
    add(orders, 3, START, [ROPE], status=OrderStatus.AWAITING_PAYMENT,
        email="ada@generated.example.com", demo=True)
    add(orders, 4, START, [ROPE], email="alan@generated.example.com")  # a real shopper's
    at = open_page("pages/sales_dashboard.py")
    captions = " ".join(c.value for c in at.caption)
    assert "2 of these orders are generated demo data" in captions
