"""WORKSHOP10 at checkout: the shop's session takes codes, the order records the discount, the Orders page says so."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
import stripe

from lib.checkout.fulfilment import fulfil_checkout
from lib.checkout.session import build_session_params, start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_sandbox import complete_session
from tests.sample_orders import make_order

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")
FIXED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def settings(sandbox, tmp_path_factory):
    """App settings aimed at the module's sandbox."""
    return build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path_factory.mktemp("promo")),
                           "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret, "SANDBOX_API_KEY": sandbox.api_key})


def test_the_shops_sessions_take_promotion_codes(settings):
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    params = build_session_params(Basket({"aurora-kettle": 1}, 1), catalog, SHOPPER, settings)
    assert params["allow_promotion_codes"] is True


def test_workshop10_takes_ten_percent_and_the_order_records_it(settings, tmp_path):
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(client, Basket({"aurora-kettle": 2}, 7), catalog, SHOPPER, settings)
    complete_session(client, session.id, promotion_code="workshop10")
    store = SqliteOrderStore(tmp_path / "orders.sqlite3")
    fulfil_checkout(session.id, client, store, clock=lambda: FIXED)
    order = store.get_order(SHOPPER.email, session.id)
    items = 2 * catalog.get("aurora-kettle").price
    assert order.discount == {"amount": round(items / 10), "code": "WORKSHOP10", "coupon": "workshop10"}
    assert order.amount_subtotal == items
    assert order.amount == items - round(items / 10) + order.amount_shipping


def test_a_typed_code_the_session_cannot_take_is_refused(settings):
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(client, Basket({"aurora-kettle": 1}, 8), catalog, SHOPPER, settings)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        complete_session(client, session.id, promotion_code="NOT-A-CODE")
    assert caught.value.param == "promotion_code"


def test_an_orders_table_from_before_discounts_and_refunds_gets_the_columns(tmp_path):
    path = tmp_path / "orders.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE orders (email TEXT NOT NULL, session_id TEXT NOT NULL, timestamp TEXT NOT NULL, "
                 "status TEXT NOT NULL, amount INTEGER NOT NULL, amount_shipping INTEGER NOT NULL, currency TEXT "
                 "NOT NULL, items TEXT NOT NULL, images TEXT NOT NULL, shipping TEXT, payment_intent TEXT, "
                 "PRIMARY KEY (email, session_id))")
    conn.commit()
    conn.close()
    store = SqliteOrderStore(path)
    order = make_order(discount={"amount": 500, "code": "WORKSHOP10", "coupon": "workshop10"})
    assert store.create_order(order)
    assert store.get_order(order.email, order.session_id).discount == order.discount
    assert store.record_refund(order.email, order.session_id, 100) is False  # awaiting payment: no refund
    assert store.get_order(order.email, order.session_id).amount_refunded == 0
