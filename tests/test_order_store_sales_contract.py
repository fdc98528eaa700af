"""The order store's aggregation and raw-document contract, over SQLite and the real emulator."""
from __future__ import annotations

from datetime import UTC, datetime

from lib.orders.model import OrderItem, OrderStatus
from lib.orders.sales import UNKNOWN_PRODUCT, HourTotal, ProductTotal, StatusTotal
from tests.sample_orders import make_order

NINE = datetime(2026, 4, 2, 9, 15, tzinfo=UTC)
TEN = datetime(2026, 4, 2, 10, 59, 59, tzinfo=UTC)
NEXT_DAY = datetime(2026, 4, 3, 0, 0, 1, tzinfo=UTC)
MUG = OrderItem("mug", "Enamel mug", 2, 450, 900)
TEE = OrderItem("tee", "Cotton tee", 1, 799, 799)
LOOSE = OrderItem("", "Gift wrap", 1, 100, 100)


def sale(email: str, when: datetime, status: str = OrderStatus.PAID, items=(MUG,), currency="INR",
         shipping: int = 50, demo: bool = False):
    """An order of items at when, its amount their total plus shipping (demo: the generator's)."""
    amount = sum(item.amount_total for item in items) + shipping
    return make_order(email=email, timestamp=when, status=status, items=items, currency=currency,
                      amount=amount, amount_shipping=shipping, demo=demo)


def seed(store) -> list:
    """Six orders: four paid INR over two days and two hours, one awaiting, one failed, one USD."""
    orders = [
        sale("asha@example.com", NINE),                       # 950, mug x2
        sale("ben@example.com", NINE, items=(MUG, TEE)),      # 1749, mug x2, tee
        sale("asha@example.com", TEN, items=(TEE, LOOSE)),    # 949, tee, gift wrap
        sale("cleo@example.com", NEXT_DAY, items=(TEE,)),     # 849, tee
        sale("dev@example.com", TEN, status=OrderStatus.AWAITING_PAYMENT),
        sale("eve@example.com", TEN, status=OrderStatus.PAYMENT_FAILED, items=(TEE,)),
        sale("finn@example.com", TEN, currency="USD"),
    ]
    for order in orders:
        assert store.create_order(order)
    return orders


def test_an_empty_store_has_no_sales(order_store):
    summary = order_store.sales_summary("INR")
    assert (summary.by_status, summary.by_hour, summary.by_product) == ((), (), ())
    assert summary.status(OrderStatus.PAID) == StatusTotal(OrderStatus.PAID, 0, 0)


def test_totals_by_status_hour_and_product(order_store):
    seed(order_store)
    summary = order_store.sales_summary("inr")
    assert summary.currency == "INR"
    assert sorted(summary.by_status, key=lambda t: t.status) == [
        StatusTotal(OrderStatus.AWAITING_PAYMENT, 1, 950),
        StatusTotal(OrderStatus.PAID, 4, 950 + 1749 + 949 + 849),
        StatusTotal(OrderStatus.PAYMENT_FAILED, 1, 849)]
    assert list(summary.by_hour) == [
        HourTotal(datetime(2026, 4, 2, 9, tzinfo=UTC), 2, 950 + 1749),
        HourTotal(datetime(2026, 4, 2, 10, tzinfo=UTC), 1, 949),
        HourTotal(datetime(2026, 4, 3, 0, tzinfo=UTC), 1, 849)]
    assert sorted(summary.by_product, key=lambda p: p.product_id) == [
        ProductTotal(UNKNOWN_PRODUCT, "Gift wrap", 1, 100),
        ProductTotal("mug", "Enamel mug", 4, 1800),
        ProductTotal("tee", "Cotton tee", 3, 2397)]
    usd = order_store.sales_summary("USD")
    assert list(usd.by_status) == [StatusTotal(OrderStatus.PAID, 1, 950)]
    assert list(usd.by_product) == [ProductTotal("mug", "Enamel mug", 2, 900)]


def test_a_duplicate_create_is_not_counted_twice(order_store):
    order = sale("asha@example.com", NINE)
    assert order_store.create_order(order)
    assert not order_store.create_order(order)
    summary = order_store.sales_summary("INR")
    assert list(summary.by_status) == [StatusTotal(OrderStatus.PAID, 1, 950)]
    assert list(summary.by_product) == [ProductTotal("mug", "Enamel mug", 2, 900)]


def test_a_payment_arriving_later_moves_the_order_into_revenue(order_store):
    order = sale("asha@example.com", TEN, status=OrderStatus.AWAITING_PAYMENT, items=(TEE,))
    order_store.create_order(order)
    before = order_store.sales_summary("INR")
    assert list(before.by_status) == [StatusTotal(OrderStatus.AWAITING_PAYMENT, 1, 849)]
    assert before.by_hour == () and before.by_product == ()
    assert order_store.advance_status(order.email, order.session_id,
                                      [OrderStatus.AWAITING_PAYMENT], OrderStatus.PAID)
    after = order_store.sales_summary("INR")
    assert list(after.by_status) == [StatusTotal(OrderStatus.PAID, 1, 849)]
    assert list(after.by_hour) == [HourTotal(datetime(2026, 4, 2, 10, tzinfo=UTC), 1, 849)]
    assert list(after.by_product) == [ProductTotal("tee", "Cotton tee", 1, 799)]


def test_a_deleted_order_leaves_the_figures(order_store):
    keep, gone = sale("asha@example.com", NINE), sale("ben@example.com", NINE, items=(TEE,))
    order_store.create_order(keep)
    order_store.create_order(gone)
    order_store.delete_order(gone.email, gone.session_id)
    order_store.delete_order(gone.email, gone.session_id)  # a second delete changes nothing
    summary = order_store.sales_summary("INR")
    assert list(summary.by_status) == [StatusTotal(OrderStatus.PAID, 1, 950)]
    assert list(summary.by_hour) == [HourTotal(datetime(2026, 4, 2, 9, tzinfo=UTC), 1, 950)]
    assert list(summary.by_product) == [ProductTotal("mug", "Enamel mug", 2, 900)]


def test_generated_demo_orders_are_counted_with_the_summary(order_store):
    seed(order_store)
    ada = sale("ada@generated.example.com", NINE, demo=True)
    grace = sale("grace@generated.example.com", TEN, status=OrderStatus.AWAITING_PAYMENT,
                 items=(TEE,), demo=True)
    other = sale("linus@generated.example.com", TEN, currency="USD", demo=True)
    # A real shopper who signed in at the generated domain: their order has no mark.
    lookalike = sale("alan@generated.example.com", TEN)
    for order in (ada, grace, other, lookalike):
        assert order_store.create_order(order)
    assert not order_store.create_order(ada)  # a duplicate create is not counted again
    assert order_store.sales_summary("INR").generated_orders == 2
    assert order_store.sales_summary("USD").generated_orders == 1
    assert order_store.advance_status(grace.email, grace.session_id,
                                      [OrderStatus.AWAITING_PAYMENT], OrderStatus.PAID)
    assert order_store.sales_summary("INR").generated_orders == 2  # a status change keeps it
    order_store.delete_order(ada.email, ada.session_id)
    order_store.delete_order(ada.email, ada.session_id)
    assert order_store.sales_summary("INR").generated_orders == 1
    assert order_store.sales_summary("EUR").generated_orders == 0


def test_stored_orders_are_the_documents_newest_first_at_their_paths(order_store):
    orders = seed(order_store)
    stored = order_store.stored_orders()
    assert len(stored) == len(orders)
    times = [doc.document["timestamp"] for doc in stored]
    assert times == sorted(times, reverse=True)
    newest = stored[0].document
    assert newest["email"] == "cleo@example.com" and newest["status"] == OrderStatus.PAID
    assert newest["items"][0]["product_id"] == "tee" and newest["amount"] == 849
    assert newest["timestamp"].startswith("2026-04-03T00:00:01")
    expected_path = f"users/cleo@example.com/orders/{newest['session_id']}"
    if order_store.backend == "firestore":
        assert stored[0].location == expected_path
    else:
        assert "table orders" in stored[0].location
        assert "cleo@example.com" in stored[0].location and newest["session_id"] in stored[0].location
    assert len(order_store.stored_orders(limit=2)) == 2


def test_stored_orders_search_by_email_or_session_id(order_store):
    orders = seed(order_store)
    asha = order_store.stored_orders("  Asha@Example.com ")
    assert sorted(doc.document["session_id"] for doc in asha) == sorted(
        o.session_id for o in orders if o.email == "asha@example.com")
    one = order_store.stored_orders(orders[3].session_id)
    assert [doc.document["email"] for doc in one] == ["cleo@example.com"]
    assert order_store.stored_orders("nobody@example.com") == []
    assert order_store.stored_orders("cs_test_unknown") == []
    assert order_store.stored_orders("a/b") == []


def test_sqlite_rollup_is_built_from_orders_stored_before_it(tmp_path):
    import sqlite3
    import threading

    from lib.stores.sqlite.orders import SqliteOrderStore

    path = tmp_path / "orders.sqlite3"
    first = SqliteOrderStore(path)
    seed(first)
    first.close()
    with sqlite3.connect(path) as conn:  # as a database from before the dashboard looked
        conn.executescript("DROP TABLE product_sales; DROP TRIGGER product_sales_insert; "
                           "DROP TRIGGER product_sales_delete; DROP TRIGGER product_sales_status;")
    stores, start = [], threading.Barrier(4)

    def open_store():
        start.wait()
        stores.append(SqliteOrderStore(path))

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert len(stores) == 4
        assert sorted(stores[0].sales_summary("INR").by_product, key=lambda p: p.product_id) == [
            ProductTotal(UNKNOWN_PRODUCT, "Gift wrap", 1, 100),
            ProductTotal("mug", "Enamel mug", 4, 1800),
            ProductTotal("tee", "Cotton tee", 3, 2397)]
    finally:
        for store in stores:
            store.close()
