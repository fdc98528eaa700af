"""fulfil_checkout and the webhook handler against a real sandbox: exactly once, whatever races."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from harness.waiting import wait_until
from harness.webhook_signing import checkout_event
from lib.checkout.fulfilment import UnknownSession, fulfil_checkout
from lib.checkout.session import start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.errors import StoreError
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.webhooks.events import handle_event
from tests.fixtures_sandbox import paid_session
from webhook_server import create_app, flush_log, shutdown
from webhook_server.routes import HTTP_STATUS

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")
FIXED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings(sandbox, tmp_path_factory):
    """App settings aimed at the module's sandbox."""
    return build_settings({"STRIPE_API_BASE": sandbox.url,
                           "DATA_DIR": str(tmp_path_factory.mktemp("fulfil")),
                           "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret})


@pytest.fixture(scope="module")
def client(settings):
    """The app's own Stripe client for the sandbox."""
    return make_stripe_client(settings)


@pytest.fixture(scope="module")
def catalog(settings):
    """The shipped catalog in the store currency."""
    return load_catalog(settings.catalog_path, settings.store_currency)


@pytest.fixture
def store(tmp_path):
    """A fresh SQLite order store."""
    return SqliteOrderStore(tmp_path / "orders.sqlite3")


def test_fulfil_records_once_with_integer_amounts(client, catalog, settings, store):
    session = paid_session(client, catalog, settings, 11)
    first = fulfil_checkout(session.id, client, store, clock=lambda: FIXED)
    second = fulfil_checkout(session.id, client, store, clock=lambda: FIXED)
    assert (first.kind, second.kind) == ("order_created", "already_recorded")
    order = store.get_order(SHOPPER.email, session.id)
    assert order.status == OrderStatus.PAID and order.timestamp == FIXED
    assert order.amount == first.order.amount and isinstance(order.amount, int)
    assert order.amount_subtotal == (catalog.get("aurora-kettle").price
                                     + 2 * catalog.get("meridian-cotton-tee").price)
    assert order.shipping["address"]["country"]


def test_open_session_records_nothing(client, catalog, settings, store):
    session = start_checkout(client, Basket({"aurora-kettle": 1}, 12), catalog, SHOPPER,
                             settings)
    outcome = fulfil_checkout(session.id, client, store)
    assert outcome.kind == "not_complete" and outcome.session_status == "open"
    assert store.count_orders(SHOPPER.email) == 0


def test_unknown_session_is_refused(client, store):
    with pytest.raises(UnknownSession):
        fulfil_checkout("cs_test_doesnotexist", client, store)


def test_twenty_concurrent_duplicate_deliveries_make_one_order(client, catalog, settings,
                                                                store, sandbox):
    session = paid_session(client, catalog, settings, 13)
    event = checkout_event(session.id, SHOPPER.email)

    def deliver(_):
        return handle_event(event, client, store).outcome

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(deliver, range(20)))
    assert outcomes.count("order_created") == 1
    assert outcomes.count("already_recorded") == 19
    assert store.count_orders(SHOPPER.email) == 1


def test_success_page_and_webhook_racing_make_one_order(client, catalog, settings, store,
                                                        sandbox):
    sessions = [paid_session(client, catalog, settings, 20 + i) for i in range(5)]
    barrier = threading.Barrier(10)

    def webhook(session):
        event = checkout_event(session.id, SHOPPER.email)
        barrier.wait()
        return handle_event(event, client, store).outcome

    def success_page(session):
        barrier.wait()
        return fulfil_checkout(session.id, client, store).kind

    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(fn, s) for s in sessions for fn in (webhook, success_page)]
        outcomes = [f.result() for f in futures]
    assert outcomes.count("order_created") == 5
    assert store.count_orders(SHOPPER.email) == 5


def test_duplicate_is_recognised_before_any_stripe_call(client, catalog, settings, store,
                                                        sandbox):
    session = paid_session(client, catalog, settings, 30)
    fulfil_checkout(session.id, client, store)

    class NoStripe:
        def __getattr__(self, name):
            raise AssertionError("a duplicate delivery called Stripe")

    verdict = handle_event(checkout_event(session.id, SHOPPER.email), NoStripe(), store)
    assert verdict.outcome == "already_recorded" and HTTP_STATUS[verdict.outcome] == 200


class FlakyStore(SqliteOrderStore):
    """A real SQLite store whose first writes fail, as a store outage would."""

    def __init__(self, path, failures):
        super().__init__(path)
        self.failures = failures

    def create_order(self, order):
        if self.failures > 0:
            self.failures -= 1
            raise StoreError("store is down for maintenance")
        return super().create_order(order)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def test_store_failure_is_retried_from_the_inbox_and_records_one_order(start_sandbox, tmp_path):
    """The answer is 200 once the event is inboxed; the order store's outage is the worker's to
    ride out: two failed attempts kept as retrying with their error, then one order."""
    server = make_server("127.0.0.1", 0, lambda e, s: app(e, s), handler_class=QuietHandler)
    port = server.server_address[1]
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL=f"http://127.0.0.1:{port}/webhook")
    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path),
                               "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret})
    store = FlakyStore(tmp_path / "orders.sqlite3", failures=2)
    client = make_stripe_client(settings)
    log = SqliteWebhookLog(tmp_path / "log.sqlite3")
    app = create_app(settings, store=store, stripe_client=client, event_log=log)
    inbox = app.extensions["storefront"].inbox
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        catalog = load_catalog(settings.catalog_path, settings.store_currency)
        session = paid_session(client, catalog, settings, 40)
        wait_until(lambda: any(e.session_id == session.id and e.state == "fulfilled"
                               for e in inbox.recent()), timeout=20)
        assert flush_log(app)
        outcomes = [e.outcome for e in log.recent(10) if e.session_id == session.id]
        assert outcomes == ["queued"] and log.recent(1)[0].status == 200
        event = next(e for e in inbox.recent() if e.session_id == session.id)
        assert event.attempts == 3 and "store is down" in event.last_error
        assert store.count_orders(SHOPPER.email) == 1
    finally:
        shutdown(app)
        server.shutdown()


def test_an_event_for_a_session_stripe_does_not_have_is_400(client, store, sandbox):
    verdict = handle_event(checkout_event("cs_test_neverexisted", SHOPPER.email), client, store)
    assert (HTTP_STATUS[verdict.outcome], verdict.outcome) == (400, "rejected")
    assert store.count_orders(SHOPPER.email) == 0


def test_confirm_payment_turns_an_unreachable_stripe_into_a_plain_error(tmp_path, store):
    from harness.processes import free_port
    from lib.checkout.fulfilment import PaymentNotConfirmed, confirm_payment

    nowhere = build_settings({"STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}",
                              "DATA_DIR": str(tmp_path)})
    with pytest.raises(PaymentNotConfirmed):
        confirm_payment("cs_test_anything", make_stripe_client(nowhere, timeout=2), store)
    assert store.count_orders(SHOPPER.email) == 0
