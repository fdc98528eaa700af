"""The Basket page through AppTest: quantities, subtotal, removal, the sign-in gate, persistence."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.catalog import load_catalog
from lib.identity import demo_sign_in
from lib.money import format_money
from lib.stores.sqlite_baskets import SqliteBasketStore
from tests.fixtures_pages import new_app, open_page

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT / "catalog" / "products.json", "INR")
BANK = CATALOG.get("pebblecell-power-bank")     # ₹1,299.00
MUG = CATALOG.get("saffron-glaze-mug-set")      # ₹899.00


@pytest.fixture
def data_dir(app_env):
    """A data directory of its own, with the app in sandbox mode and INR."""
    return app_env


@pytest.fixture
def baskets(data_dir):
    return SqliteBasketStore(data_dir / "baskets.sqlite3")


def open_basket(shopper=None) -> AppTest:
    """A new session (a new tab) on the basket page, signed in as shopper if given."""
    return open_page("pages/basket.py", shopper)


def subtotal_text(at) -> str:
    return " ".join(s.value for s in at.subheader)


ADA = demo_sign_in("Ada Lovelace", "ada@example.com")


def test_empty_basket(data_dir):
    at = open_basket(ADA)
    assert [i.value for i in at.info] == ["Your basket is empty."]
    assert not at.subheader
    assert not [b for b in at.button if b.key == "checkout"]


def test_lines_subtotal_and_quantity_change(baskets):
    baskets.update(ADA.key, lambda lines: {BANK.id: 1, MUG.id: 2})
    at = open_basket(ADA)
    assert subtotal_text(at) == "Subtotal (3 items): ₹3,097.00"
    assert f"**{format_money(2 * MUG.price, 'INR')}**" in [m.value for m in at.markdown]

    at.number_input(key=f"qty_{BANK.id}").set_value(3).run()
    assert not at.exception
    assert subtotal_text(at) == f"Subtotal (5 items): {format_money(3 * BANK.price + 2 * MUG.price, 'INR')}"
    assert baskets.load(ADA.key).lines == {BANK.id: 3, MUG.id: 2}
    assert at.number_input(key=f"qty_{BANK.id}").value == 3


def test_remove_then_empty_state(baskets):
    baskets.update(ADA.key, lambda lines: {BANK.id: 1, MUG.id: 2})
    at = open_basket(ADA)
    at.button(key=f"remove_{BANK.id}").click().run()
    assert f"Removed {BANK.title}" in at.toast[0].value
    assert subtotal_text(at) == "Subtotal (2 items): ₹1,798.00"
    assert baskets.load(ADA.key).lines == {MUG.id: 2}
    at.button(key=f"remove_{MUG.id}").click().run()
    assert [i.value for i in at.info] == ["Your basket is empty."]


def test_guest_is_asked_to_sign_in_and_has_no_checkout_button(data_dir):
    at = new_app().run()
    at.button(key=f"add_{BANK.id}").click().run()
    at.switch_page("pages/basket.py").run()
    assert subtotal_text(at) == "Subtotal (1 items): ₹1,299.00"
    assert [w.value for w in at.warning] == ["Sign in to checkout."]
    assert "checkout" not in [b.key for b in at.button]


def test_signed_in_shopper_gets_the_checkout_button(baskets):
    baskets.update(ADA.key, lambda lines: {BANK.id: 1})
    at = open_basket(ADA)
    assert not at.warning
    assert at.button(key="checkout").label == "Proceed to checkout"


def test_basket_persists_across_sessions_for_the_same_shopper(data_dir):
    first = new_app()
    first.session_state["shopper"] = ADA
    first.run()
    first.button(key=f"add_{BANK.id}").click().run()
    first.button(key=f"add_{MUG.id}").click().run()

    # A second tab (a new Streamlit session) for the same shopper sees the same basket.
    second = open_basket(demo_sign_in("Ada Lovelace", "ADA@example.com"))
    assert subtotal_text(second) == "Subtotal (2 items): ₹2,198.00"
    second.number_input(key=f"qty_{MUG.id}").set_value(4).run()

    first.switch_page("pages/basket.py").run()
    assert subtotal_text(first) == f"Subtotal (5 items): {format_money(BANK.price + 4 * MUG.price, 'INR')}"
    # Another shopper's basket is their own.
    assert [i.value for i in open_basket(demo_sign_in("Bob", "bob@example.com")).info] == [
        "Your basket is empty."]


def test_guest_basket_is_merged_on_demo_sign_in(baskets):
    baskets.update(ADA.key, lambda lines: {BANK.id: 9})
    at = new_app().run()
    guest = at.session_state["shopper"]
    at.button(key=f"add_{BANK.id}").click().run()
    at.button(key=f"add_{BANK.id}").click().run()
    at.button(key=f"add_{MUG.id}").click().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="signin_name").input("Ada Lovelace")
    at.text_input(key="signin_email").input("ada@example.com")
    next(b for b in at.button if b.label == "Sign in (demo)").click().run()
    assert not at.exception
    # Sign-in leads to the basket: the guest's lines are added, capped at 10 each.
    assert [t.value for t in at.title] == ["Your basket"]
    assert subtotal_text(at) == f"Subtotal (11 items): {format_money(10 * BANK.price + MUG.price, 'INR')}"
    assert not at.warning and at.button(key="checkout")
    assert baskets.load(guest.key).lines == {}


def test_proceed_to_checkout_creates_one_session_and_offers_the_pay_link(baskets, sandbox,
                                                                       monkeypatch):
    monkeypatch.setenv("STRIPE_API_BASE", sandbox.url)
    baskets.update(ADA.key, lambda lines: {BANK.id: 2})
    at = open_basket(ADA)
    at.button(key="checkout").click().run()
    assert not at.exception and not at.error
    first = at.session_state["checkout_started"]["url"]
    assert first.startswith(sandbox.url + "/pay/cs_test_")
    at.button(key="checkout").click().run()  # a double click makes no second session
    assert at.session_state["checkout_started"]["url"] == first
    link = at.get("link_button")[0].proto
    assert (link.label, link.url) == ("Pay with Stripe Checkout", first)


def test_checkout_error_is_a_readable_message(baskets, monkeypatch):
    from tests.servers import free_port

    monkeypatch.setenv("STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    baskets.update(ADA.key, lambda lines: {BANK.id: 1})
    at = open_basket(ADA)
    at.button(key="checkout").click().run()
    assert not at.exception
    assert "Could not reach Stripe" in at.error[0].value
