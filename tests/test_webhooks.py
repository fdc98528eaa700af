"""lib/webhooks/events.py: the remembered settled orders answer duplicates without the store."""
from __future__ import annotations

from harness.webhook_signing import checkout_event
from lib.orders.model import OrderStatus
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.webhooks.events import ASYNC_SUCCEEDED, COMPLETED, SettledOrders, handle_event
from tests.sample_orders import make_order


class CountingStore(SqliteOrderStore):
    """A real SQLite store that counts reads, to show which deliveries skipped it."""

    reads = 0

    def get_order(self, email, session_id):
        self.reads += 1
        return super().get_order(email, session_id)


class NoStripe:
    """Fails the test if Stripe is called."""

    def __getattr__(self, name):
        raise AssertionError("Stripe was called for a duplicate")


def deliver(store, order, settled, event_type=COMPLETED):
    """One verified event of event_type for the order's session, as a worker handles it."""
    return handle_event(checkout_event(order.session_id, order.email, event_type), NoStripe(),
                        store, settled=settled)


def test_second_duplicate_is_answered_from_memory(tmp_path):
    store = CountingStore(tmp_path / "orders.sqlite3")
    order = make_order(status=OrderStatus.PAID)
    store.create_order(order)
    settled = SettledOrders()
    assert deliver(store, order, settled).outcome == "already_recorded"
    assert store.reads == 1
    for _ in range(3):
        assert deliver(store, order, settled).outcome == "already_recorded"
    assert store.reads == 1


def test_a_remembered_awaiting_order_does_not_settle_the_success_event(tmp_path):
    store = CountingStore(tmp_path / "orders.sqlite3")
    order = make_order(status=OrderStatus.AWAITING_PAYMENT)
    store.create_order(order)
    settled = SettledOrders()
    settled.remember(order.email, order.session_id, OrderStatus.AWAITING_PAYMENT)
    store.advance_status(order.email, order.session_id, [OrderStatus.AWAITING_PAYMENT],
                         OrderStatus.PAID)
    # The memory is behind (awaiting), so the store is asked, and it says paid already.
    assert deliver(store, order, settled, ASYNC_SUCCEEDED).outcome == "already_recorded"
    assert store.reads == 1
    assert settled.status(order.email, order.session_id) == OrderStatus.PAID


def test_memory_is_bounded():
    settled = SettledOrders(size=3)
    for n in range(5):
        settled.remember("ada@example.com", f"cs_test_{n}", OrderStatus.PAID)
    assert settled.status("ada@example.com", "cs_test_0") is None
    assert settled.status("ada@example.com", "cs_test_4") == OrderStatus.PAID
