"""Exactly once under concurrency: 50 paid sessions, each event delivered 5 times from 10
threads, interleaved with the success page fulfilling the same sessions."""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.checkout.fulfilment import fulfil_checkout
from lib.checkout.session import start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shop.basket import Basket, subtotal
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.inbox import SqliteInbox
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from tests.fixtures_sandbox import complete_session
from webhook_server import create_app, shutdown

SHOPPERS = [demo_shopper(f"Shopper {n}", f"race{n}@example.com") for n in range(3)]
SESSIONS, COPIES, THREADS = 50, 5, 10


@pytest.fixture(scope="module")
def paid(sandbox, tmp_path_factory):
    """50 sessions created from varied baskets and paid, with their baskets and shoppers."""
    settings = build_settings({"STRIPE_API_BASE": sandbox.url,
                               "DATA_DIR": str(tmp_path_factory.mktemp("race")),
                               "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret})
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    ids = [p.id for p in catalog.products]
    rng = random.Random(7)

    def one(n):
        basket = Basket({pid: rng.randint(1, 10) for pid in rng.sample(ids, rng.randint(1, 4))},
                        1000 + n)
        shopper = SHOPPERS[n % len(SHOPPERS)]
        session = start_checkout(client, basket, catalog, shopper, settings)
        complete_session(client, session.id)
        return session.id, shopper, basket

    with ThreadPoolExecutor(5) as pool:
        sessions = list(pool.map(one, range(SESSIONS)))
    return settings, client, catalog, sessions


def test_fifty_sessions_five_deliveries_each_and_the_success_page(paid, order_store, sandbox,
                                                                   tmp_path):
    settings, client, catalog, sessions = paid
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    # Its own inbox: the module's sessions are replayed once per store backend, and the inbox
    # under the shared DATA_DIR would still hold the previous backend's events.
    app = create_app(settings, store=order_store, stripe_client=client, event_log=log,
                     inbox=SqliteInbox(tmp_path / "inbox.sqlite3"))
    work = []
    for session_id, shopper, _ in sessions:
        body, headers = signed(checkout_event(session_id, shopper.email), sandbox.webhook_secret)
        work += [("webhook", body, headers)] * COPIES
        work += [("success", session_id, None)]
    random.Random(11).shuffle(work)

    def do(item):
        kind, payload, headers = item
        if kind == "success":
            return fulfil_checkout(payload, client, order_store).kind
        response = app.test_client().post("/webhook", data=payload, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["outcome"]

    inbox = app.extensions["storefront"].inbox
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(do, work))
        # Each event is inboxed once, its copies answered as duplicates; the workers and the
        # success page race to record, and exactly one of them wins each session.
        wait_until(lambda: all(e.state == "fulfilled" for e in inbox.recent(200))
                   and len(inbox.recent(200)) == SESSIONS, timeout=60)
    finally:
        shutdown(app)
    assert outcomes.count("queued") == SESSIONS
    assert outcomes.count("already_recorded") == SESSIONS * (COPIES - 1) + (
        SESSIONS - outcomes.count("order_created"))
    assert sum(order_store.count_orders(s.email) for s in SHOPPERS) == SESSIONS
    for session_id, shopper, basket in sessions:
        order = order_store.get_order(shopper.email, session_id)
        session = client.v1.checkout.sessions.retrieve(session_id)
        assert order.status == OrderStatus.PAID
        assert order.amount == session.amount_total
        assert order.amount_subtotal == subtotal(basket, catalog)
        assert {(i.product_id, i.quantity, i.unit_amount) for i in order.items} == {
            (pid, qty, catalog.get(pid).price) for pid, qty in basket.lines.items()}
