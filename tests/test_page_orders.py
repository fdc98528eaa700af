"""The Orders page through AppTest: newest first, paging, empty and guest states, privacy."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_firestore import raw_client, unique_project
from tests.fixtures_pages import open_page

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
BOB = demo_shopper("Bob", "bob@example.com")
START = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def orders(app_env):
    """The order store the app will read, in this test's own DATA_DIR."""
    store = SqliteOrderStore(app_env / "orders.sqlite3")
    yield store
    store.close()


def seed(store, email: str, count: int) -> list[str]:
    """count paid orders for email, one a day; their session ids, oldest first."""
    ids = []
    for n in range(count):
        session_id = f"cs_test_{n:010d}"
        store.create_order(Order(
            session_id=session_id, email=email, amount=134800 + n, amount_shipping=4900,
            currency="INR", status=OrderStatus.PAID, timestamp=START + timedelta(days=n),
            items=(OrderItem("pebblecell-power-bank", "Pebblecell 10000 mAh Power Bank", 1,
                             129900 + n, 129900 + n),),
            shipping={"name": "Ada", "rate": "Standard shipping",
                      "address": {"line1": "1 Analytical St", "city": "London",
                                  "country": "GB"}}))
        ids.append(session_id)
    return ids


def open_orders(shopper=None) -> AppTest:
    """A new session on the Orders page."""
    return open_page("pages/orders.py", shopper)


def shown(at) -> list[str]:
    """The (last ten characters of the) session ids of the orders on screen, in order."""
    return [m.group(1) for m in (re.match(r"\*\*Order (\S+)\*\*", md.value) for md in at.markdown)
            if m]


def test_orders_newest_first_with_items_and_totals(orders):
    ids = seed(orders, ADA.email, 3)
    at = open_orders(ADA)
    assert shown(at) == [i[-10:] for i in reversed(ids)]
    assert "3 orders" in [c.value for c in at.caption]
    text = " ".join(m.value for m in at.markdown)
    assert "Pebblecell 10000 mAh Power Bank" in text
    assert "**Total ₹1,348.02**" in text and "shipping ₹49.00" in text
    assert any("to Ada, 1 Analytical St, London, GB" in c.value for c in at.caption)
    assert "orders_older" not in [b.key for b in at.button]


def test_paging_through_25_orders(orders):
    ids = [i[-10:] for i in reversed(seed(orders, ADA.email, 25))]
    at = open_orders(ADA)
    assert "25 orders" in [c.value for c in at.caption]
    assert "Page 1 of 3" in [c.value for c in at.caption]
    assert shown(at) == ids[:10]
    assert at.button(key="orders_newer").disabled
    at.button(key="orders_older").click().run()
    assert shown(at) == ids[10:20] and "Page 2 of 3" in [c.value for c in at.caption]
    at.button(key="orders_older").click().run()
    assert shown(at) == ids[20:]
    assert at.button(key="orders_older").disabled
    at.button(key="orders_newer").click().run()
    assert shown(at) == ids[10:20]
    at.button(key="orders_newer").click().run()
    assert shown(at) == ids[:10]
    assert not at.exception


def test_no_orders_yet(orders):
    at = open_orders(ADA)
    assert [i.value for i in at.info] == ["You have no orders yet."]
    assert shown(at) == []


def test_guest_is_told_to_sign_in(orders):
    seed(orders, ADA.email, 2)
    at = open_orders()
    assert [i.value for i in at.info] == ["Sign in to see your orders."]
    assert shown(at) == []


def test_a_second_shopper_never_sees_the_first_ones_orders(orders):
    seed(orders, ADA.email, 3)
    at = open_orders(BOB)
    assert [i.value for i in at.info] == ["You have no orders yet."]
    assert shown(at) == []
    assert not any("ada@example.com" in m.value for m in at.markdown)


def test_an_order_with_a_promotion_code_says_what_it_took_off(orders):
    orders.create_order(Order(
        session_id="cs_test_workshop10", email=ADA.email, amount=121810, amount_shipping=4900,
        currency="INR", status=OrderStatus.PAID, timestamp=START,
        items=(OrderItem("pebblecell-power-bank", "Pebblecell 10000 mAh Power Bank", 1, 129900, 129900),),
        discount={"amount": 12990, "code": "WORKSHOP10", "coupon": "workshop10"}))
    text = " ".join(m.value for m in open_orders(ADA).markdown)
    assert "Subtotal ₹1,299.00 · discount WORKSHOP10 −₹129.90 · shipping ₹49.00" in text
    assert "**Total ₹1,218.10**" in text


@pytest.mark.firestore
def test_tutorial_orders_in_firestore_are_shown_and_broken_ones_noted(app_env, monkeypatch,
                                                                       firestore_emulator):
    project = unique_project()
    monkeypatch.setenv("ORDER_STORE", "firestore")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", project)
    client = raw_client(project, firestore_emulator)
    orders = client.collection("users").document(ADA.email).collection("orders")
    orders.document("cs_test_tutorial_1348").set(
        {"amount": 1348.5, "amount_shipping": 49, "timestamp": START,
         "images": ["https://fakestoreapi.com/img/71li-ujtlUL._AC_UX679_.jpg"]})
    orders.document("cs_test_broken_amount").set(
        {"amount": "1348.50", "amount_shipping": 49, "images": [], "timestamp": START})
    orders.document("cs_test_no_timestamp").set({"amount": 10, "amount_shipping": 0,
                                                 "images": []})
    client.close()
    at = open_orders(ADA)
    assert shown(at) == ["orial\\_1348"]  # md_text escapes the underscore
    text = " ".join(m.value for m in at.markdown)
    assert "**Total ₹1,348.50**" in text and "shipping ₹49.00" in text
    captions = [c.value for c in at.caption]
    assert "3 orders" in captions
    assert any("Recorded by the tutorial's webhook code" in c for c in captions)
    assert any("2 stored orders could not be read and are not shown here" in c
               for c in captions)
    assert [url for image in at.image for url in image.value] == [
        "https://fakestoreapi.com/img/71li-ujtlUL._AC_UX679_.jpg"]
