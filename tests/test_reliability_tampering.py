"""Price tampering: no shopper-controlled value changes an amount sent to Stripe. Baskets hold
ids and quantities; whatever a basket row says, the session's amounts are catalog prices."""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.checkout.session import CheckoutError, build_session_params
from lib.config.settings import build_settings
from lib.shop.basket import MAX_QUANTITY, Basket, BasketError, add_item, set_quantity
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.baskets import SqliteBasketStore
from tests.fixtures_catalog import shipped_catalog_in

SETTINGS = build_settings({"STORE_CURRENCY": "INR"})
SHOPPER = demo_shopper("Eve", "eve@example.com")
KETTLE = "aurora-kettle"
# The shipped product ids, read when hypothesis first draws one rather than at import.
KNOWN_IDS = st.deferred(lambda: st.sampled_from([p.id for p in shipped_catalog_in("INR").products]))


@pytest.fixture(scope="module")
def catalog(shipped_catalog):
    """The shipped catalog in INR, the store currency of these tests."""
    return shipped_catalog("INR")


def charged(params: dict) -> list[tuple[str, int, int]]:
    """(product id, quantity, unit amount) of every line item a session would charge."""
    return [(item["price_data"]["product_data"]["metadata"]["product_id"], item["quantity"],
             item["price_data"]["unit_amount"]) for item in params["line_items"]]


def assert_catalog_priced(params: dict, catalog) -> None:
    """Every line charges the catalog price, a whole quantity from 1 to 10, in our currency."""
    for product_id, quantity, unit_amount in charged(params):
        assert unit_amount == catalog.get(product_id).price
        assert type(quantity) is int and 1 <= quantity <= MAX_QUANTITY
    assert {item["price_data"]["currency"] for item in params["line_items"]} == {"inr"}


FORGED = {
    "negative quantity": {KETTLE: -3, "comet-skipping-rope": 5},
    "zero quantity": {KETTLE: 0, "comet-skipping-rope": 1},
    "huge quantity": {KETTLE: 10**9},
    "eleven": {KETTLE: 11},
    "fractional quantity": {KETTLE: 2.5},
    "boolean quantity": {KETTLE: True},
    "quantity as text": {KETTLE: "2"},
    "forged price field": {KETTLE: {"quantity": 1, "price": 1, "unit_amount": 1}},
    "forged price list": {KETTLE: [1, 100]},
}


@pytest.mark.parametrize("case", list(FORGED))
def test_forged_basket_rows_are_refused_at_checkout(case, catalog):
    with pytest.raises(CheckoutError):
        build_session_params(Basket(FORGED[case], 1), catalog, SHOPPER, SETTINGS)


def test_unknown_ids_never_reach_stripe(catalog):
    params = build_session_params(Basket({"free-tv": 1, KETTLE: 1, "": 2}, 1), catalog,
                                  SHOPPER, SETTINGS)
    assert charged(params) == [(KETTLE, 1, catalog.get(KETTLE).price)]
    with pytest.raises(CheckoutError, match="empty"):
        build_session_params(Basket({"free-tv": 1}, 1), catalog, SHOPPER, SETTINGS)


@pytest.mark.parametrize("change", [
    lambda lines, catalog: add_item(lines, catalog, "free-tv", 1),
    lambda lines, catalog: add_item(lines, catalog, KETTLE, -1),
    lambda lines, catalog: add_item(lines, catalog, KETTLE, 10**6),
    lambda lines, catalog: add_item(lines, catalog, KETTLE, 1.5),
    lambda lines, catalog: set_quantity(lines, catalog, KETTLE, 0),
    lambda lines, catalog: set_quantity(lines, catalog, KETTLE, {"price": 1}),
])
def test_the_basket_store_refuses_forged_changes_and_keeps_the_row(tmp_path, change,
                                                                   catalog):
    baskets = SqliteBasketStore(tmp_path / "baskets.sqlite3")
    baskets.update("user:eve@example.com", lambda lines: add_item(lines, catalog, KETTLE, 2))
    with pytest.raises(BasketError):
        baskets.update("user:eve@example.com", lambda lines: change(lines, catalog))
    assert baskets.load("user:eve@example.com").lines == {KETTLE: 2}


def test_a_row_forged_in_the_basket_database_is_refused_at_checkout(tmp_path,
                                                                     catalog):
    baskets = SqliteBasketStore(tmp_path / "baskets.sqlite3")
    baskets.update("user:eve@example.com", lambda lines: add_item(lines, catalog, KETTLE, 1))
    with sqlite3.connect(tmp_path / "baskets.sqlite3") as conn:
        conn.execute("UPDATE baskets SET lines = ? WHERE shopper = ?",
                     (json.dumps({KETTLE: {"quantity": 1, "unit_amount": 1}}),
                      "user:eve@example.com"))
    with pytest.raises(CheckoutError):
        build_session_params(baskets.load("user:eve@example.com"), catalog, SHOPPER, SETTINGS)


junk = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(),
                 st.none(), st.text(max_size=5),
                 st.dictionaries(st.sampled_from(["price", "unit_amount", "amount", "quantity"]),
                                 st.integers(-10**6, 10**6), max_size=3))


@settings(max_examples=300, deadline=None)
@given(lines=st.dictionaries(KNOWN_IDS | st.text(max_size=20),
                             st.integers(1, MAX_QUANTITY) | junk, max_size=6))
def test_whatever_the_basket_holds_stripe_is_asked_for_catalog_prices(catalog, lines):
    try:
        params = build_session_params(Basket(lines, 1), catalog, SHOPPER, SETTINGS)
    except CheckoutError:
        return
    assert_catalog_priced(params, catalog)
    assert {pid: qty for pid, qty, _ in charged(params)} == {
        pid: qty for pid, qty in lines.items() if catalog.get(pid) is not None}
