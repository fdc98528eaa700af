"""A refund made on Stripe reaches the order through the real sidecar: partially refunded, then refunded, once."""
from __future__ import annotations

import re
import secrets
import time

import pytest
import requests

from harness.waiting import wait_until
from harness.webhook_signing import signed
from lib.checkout.session import start_checkout
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shop.money import format_money
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_order_store, make_webhook_log
from tests.fixtures_firestore import store_env
from tests.fixtures_pages import open_page
from tests.fixtures_sandbox import complete_session

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")


def paid_order(stack, version: int):
    """(client, store, order): a kettle bought through the stack's sandbox and recorded by its
    sidecar (version: the basket's, so each test's session is its own)."""
    settings = stack.settings
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(client, Basket({"aurora-kettle": 1}, version), catalog, SHOPPER,
                             settings)
    complete_session(client, session.id)
    store = make_order_store(settings)
    return client, store, wait_until(lambda: store.get_order(SHOPPER.email, session.id))


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)])
def test_refunds_move_the_order_exactly_once(kind, request, stack_factory, monkeypatch):
    stack = stack_factory(store_env(kind, request))
    client, store, order = paid_order(stack, 2)
    assert order.status == OrderStatus.PAID and order.amount_refunded == 0
    client.v1.refunds.create(params={"payment_intent": order.payment_intent, "amount": 1000})
    partly = wait_until(lambda: (o := store.get_order(SHOPPER.email, order.session_id)).amount_refunded and o)
    assert (partly.status, partly.amount_refunded) == (OrderStatus.PARTIALLY_REFUNDED, 1000)
    client.v1.refunds.create(params={"payment_intent": order.payment_intent})
    done = wait_until(lambda: (o := store.get_order(SHOPPER.email, order.session_id)).status
                      == OrderStatus.REFUNDED and o)
    assert done.amount_refunded == order.amount
    # Stripe delivering the first refund's charge.refunded again (or late) changes nothing.
    events = requests.get(f"{stack.sandbox.url}/_sandbox/events", params={"limit": 50},
                          auth=(stack.sandbox.api_key, "")).json()
    first = next(e for e in reversed(events) if e["type"] == "charge.refunded")
    log = make_webhook_log(stack.settings)
    before = len(log.recent(100))
    requests.post(f"{stack.sandbox.url}/_sandbox/events/{first['id']}/resend", auth=(stack.sandbox.api_key, ""))
    again = wait_until(lambda: len(log.recent(100)) > before and log.recent(1)[0])
    assert again.outcome == "already_recorded"
    assert store.get_order(SHOPPER.email, order.session_id) == done
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    text = " ".join(m.value for m in open_page("pages/orders.py", SHOPPER).markdown)
    assert f"Refunded {format_money(order.amount, order.currency)}" in text
    store.close()


def test_a_refund_made_on_the_sandbox_dashboard_shows_on_the_orders_page(stack_factory, monkeypatch):
    stack = stack_factory({"ORDER_STORE": "sqlite"})
    client, store, order = paid_order(stack, 4)
    browser = requests.Session()  # signed in through the Dashboard's own form, with the key
    page = browser.post(f"{stack.sandbox.url}/dashboard/sign-in", data={"key": stack.sandbox.api_key}).text
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    browser.post(f"{stack.sandbox.url}/dashboard/refunds",
                 data={"payment_intent": order.payment_intent, "amount": "", "form_token": token})
    done = wait_until(lambda: (o := store.get_order(SHOPPER.email, order.session_id)).status
                      == OrderStatus.REFUNDED and o)
    assert done.amount_refunded == order.amount
    for key, value in stack.env.items():
        monkeypatch.setenv(key, value)
    at = open_page("pages/orders.py", SHOPPER)
    text = " ".join(m.value for m in at.markdown)
    assert f"Refunded {format_money(order.amount, order.currency)}" in text and order.session_id[-10:] in text
    store.close()


def test_a_signed_refund_event_is_recorded_only_as_far_as_stripes_refunds_go(stack_factory):
    """A charge.refunded signed with the right secret but claiming more than Stripe refunded
    (here a billion on a paid order) is logged and not applied; Stripe's own refund then is."""
    stack = stack_factory({"ORDER_STORE": "sqlite"})
    client, store, order = paid_order(stack, 6)

    def forged(amount_refunded: int) -> str:
        event = {"id": "evt_" + secrets.token_hex(12), "object": "event", "type": "charge.refunded",
                 "created": int(time.time()), "data": {"object": {
                     "id": "ch_" + order.payment_intent[3:], "object": "charge",
                     "payment_intent": order.payment_intent, "amount": order.amount,
                     "amount_refunded": amount_refunded, "refunded": True}}}
        body, headers = signed(event, stack.settings.stripe_webhook_secret)
        assert requests.post(f"{stack.sidecar.url}/webhook", data=body, headers=headers,
                             timeout=5).status_code == 200
        wait_until(lambda: f"webhook => charge.refunded {event['id']}" in stack.sidecar.log())
        return event["id"]

    forged(1_000_000_000)
    forged(order.amount)  # a full refund Stripe never made
    assert store.get_order(SHOPPER.email, order.session_id) == order  # paid, nothing refunded
    assert "Not applied: charge.refunded" in stack.sidecar.log()
    client.v1.refunds.create(params={"payment_intent": order.payment_intent, "amount": 1000})
    partly = wait_until(lambda: (o := store.get_order(SHOPPER.email, order.session_id)).amount_refunded and o)
    assert (partly.status, partly.amount_refunded) == (OrderStatus.PARTIALLY_REFUNDED, 1000)
    store.close()
