"""The Basket page through AppTest: quantities, subtotal, removal, the sign-in gate, persistence."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.config.settings import build_settings
from lib.shop.money import format_money
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_sign_out_store
from lib.stores.sqlite.baskets import SqliteBasketStore
from tests.fixtures_pages import new_app, open_page
from ui.markdown_text import md_text


@pytest.fixture
def bank(shipped_catalog):
    """The power bank (₹1,299.00) from the shipped catalog in INR."""
    return shipped_catalog("INR").get("pebblecell-power-bank")


@pytest.fixture
def mug(shipped_catalog):
    """The mug set (₹899.00) from the shipped catalog in INR."""
    return shipped_catalog("INR").get("saffron-glaze-mug-set")


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


ADA = demo_shopper("Ada Lovelace", "ada@example.com")


def test_empty_basket(data_dir):
    at = open_basket(ADA)
    assert [i.value for i in at.info] == ["Your basket is empty."]
    assert not at.subheader
    assert not [b for b in at.button if b.key == "checkout"]


def test_lines_subtotal_and_quantity_change(bank, mug, baskets):
    baskets.update(ADA.key, lambda lines: {bank.id: 1, mug.id: 2})
    at = open_basket(ADA)
    assert subtotal_text(at) == "Subtotal (3 items): ₹3,097.00"
    assert f"**{format_money(2 * mug.price, 'INR')}**" in [m.value for m in at.markdown]

    at.number_input(key=f"qty_{bank.id}").set_value(3).run()
    assert not at.exception
    assert subtotal_text(at) == f"Subtotal (5 items): {format_money(3 * bank.price + 2 * mug.price, 'INR')}"
    assert baskets.load(ADA.key).lines == {bank.id: 3, mug.id: 2}
    assert at.number_input(key=f"qty_{bank.id}").value == 3


def test_remove_then_empty_state(bank, mug, baskets):
    baskets.update(ADA.key, lambda lines: {bank.id: 1, mug.id: 2})
    at = open_basket(ADA)
    at.button(key=f"remove_{bank.id}").click().run()
    assert f"Removed {bank.title}" in at.toast[0].value
    assert subtotal_text(at) == "Subtotal (2 items): ₹1,798.00"
    assert baskets.load(ADA.key).lines == {mug.id: 2}
    at.button(key=f"remove_{mug.id}").click().run()
    assert [i.value for i in at.info] == ["Your basket is empty."]


def test_guest_is_asked_to_sign_in_and_has_no_checkout_button(bank, data_dir):
    at = new_app().run()
    at.button(key=f"add_{bank.id}").click().run()
    at.switch_page("pages/basket.py").run()
    assert subtotal_text(at) == "Subtotal (1 item): ₹1,299.00"
    assert [w.value for w in at.warning] == ["Sign in to checkout."]
    assert "checkout" not in [b.key for b in at.button]


def test_signed_in_shopper_gets_the_checkout_button(bank, baskets):
    baskets.update(ADA.key, lambda lines: {bank.id: 1})
    at = open_basket(ADA)
    assert not at.warning
    assert at.button(key="checkout").label == "Proceed to checkout"


def test_basket_persists_across_sessions_for_the_same_shopper(bank, mug, data_dir):
    first = new_app()
    first.session_state["shopper"] = ADA
    first.run()
    first.button(key=f"add_{bank.id}").click().run()
    first.button(key=f"add_{mug.id}").click().run()

    # A second tab (a new Streamlit session) for the same shopper sees the same basket.
    second = open_basket(demo_shopper("Ada Lovelace", "ADA@example.com"))
    assert subtotal_text(second) == "Subtotal (2 items): ₹2,198.00"
    second.number_input(key=f"qty_{mug.id}").set_value(4).run()

    first.switch_page("pages/basket.py").run()
    assert subtotal_text(first) == f"Subtotal (5 items): {format_money(bank.price + 4 * mug.price, 'INR')}"
    # Another shopper's basket is their own.
    assert [i.value for i in open_basket(demo_shopper("Bob", "bob@example.com")).info] == [
        "Your basket is empty."]


def test_guest_basket_is_merged_on_demo_sign_in(bank, mug, baskets):
    baskets.update(ADA.key, lambda lines: {bank.id: 9})
    at = new_app().run()
    guest = at.session_state["shopper"]
    at.button(key=f"add_{bank.id}").click().run()
    at.button(key=f"add_{bank.id}").click().run()
    at.button(key=f"add_{mug.id}").click().run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="signin_name").input("Ada Lovelace")
    at.text_input(key="signin_email").input("ada@example.com")
    next(b for b in at.button if b.label == "Sign in (demo)").click().run()
    assert not at.exception
    # Sign-in leads to the basket: the guest's lines are added, capped at 10 each.
    assert [t.value for t in at.title] == ["Your basket"]
    assert subtotal_text(at) == f"Subtotal (11 items): {format_money(10 * bank.price + mug.price, 'INR')}"
    assert not at.warning and at.button(key="checkout")
    assert baskets.load(guest.key).lines == {}


def test_proceed_to_checkout_creates_one_session_and_offers_the_pay_link(bank, baskets, sandbox,
                                                                         monkeypatch):
    monkeypatch.setenv("STRIPE_API_BASE", sandbox.url)
    baskets.update(ADA.key, lambda lines: {bank.id: 2})
    at = open_basket(ADA)
    at.button(key="checkout").click().run()
    assert not at.exception and not at.error
    first = at.session_state["checkout_started"]["url"]
    assert first.startswith(sandbox.url + "/pay/cs_test_")
    at.button(key="checkout").click().run()  # a double click makes no second session
    assert at.session_state["checkout_started"]["url"] == first
    link = at.get("link_button")[0].proto
    assert (link.label, link.url) == ("Pay with Stripe Checkout", first)


def test_checkout_error_is_a_readable_message(bank, baskets, monkeypatch):
    from harness.processes import free_port

    monkeypatch.setenv("STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    baskets.update(ADA.key, lambda lines: {bank.id: 1})
    at = open_basket(ADA)
    at.button(key="checkout").click().run()
    assert not at.exception
    assert "Could not reach Stripe" in at.error[0].value


@pytest.mark.parametrize("edit", ["quantity", "remove"])
def test_an_edit_after_a_sign_out_elsewhere_changes_nothing(bank, mug, baskets, data_dir, edit):
    """A basket tab left open while its demo shopper signs out in another: a quantity change
    or a removal there leaves the signed-out shopper's basket as it was and says why."""
    baskets.update(ADA.key, lambda lines: {bank.id: 1, mug.id: 2})
    at = open_basket(ADA)
    settings = build_settings({"DATA_DIR": str(data_dir), "ORDER_STORE": "sqlite"})
    make_sign_out_store(settings).sign_out(ADA.key)  # "Sign out" in another tab
    if edit == "quantity":
        at.number_input(key=f"qty_{bank.id}").set_value(3).run()
    else:
        at.button(key=f"remove_{bank.id}").click().run()
    assert not at.exception
    assert baskets.load(ADA.key).lines == {bank.id: 1, mug.id: 2}
    assert [e.value for e in at.error] == [md_text(
        "You were signed out in another tab or browser, so nothing was changed.")]
    assert at.session_state["shopper"].kind == "guest"
    assert [i.value for i in at.info] == ["Your basket is empty."]  # the guest's
