"""The demo sign-in on the pages: off with real keys unless DEMO_SIGN_IN=1, never live, and
then a plain warning on the Sign in and Orders pages."""
from datetime import UTC, datetime

import pytest

from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shoppers.identity import IdentityError, demo_shopper
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import new_app, open_page

TEST_KEY = "sk_" + "test_51AbCdEf"
LIVE_KEY = "sk_" + "live_51AbCdEf"  # two parts, so secret scanners do not flag a made-up key
ADA = demo_shopper("Ada", "ada@example.com")
EXPOSED = "anyone who types an email here sees that email's orders"


@pytest.fixture
def ada_has_an_order(app_env):
    """One paid order with a shipping address for ada@example.com."""
    store = SqliteOrderStore(app_env / "orders.sqlite3")
    store.create_order(Order(
        session_id="cs_test_gate000001", email=ADA.email, amount=1000, amount_shipping=0,
        currency="INR", status=OrderStatus.PAID, timestamp=datetime(2025, 3, 1, tzinfo=UTC),
        items=(OrderItem("pebblecell-power-bank", "Power bank", 1, 1000, 1000),),
        shipping={"name": "Ada Lovelace", "rate": "Standard",
                  "address": {"line1": "12 St James's Sq", "city": "London", "country": "GB"}}))
    store.close()
    return app_env


def texts(at) -> str:
    """Everything the page wrote, as one string."""
    return " ".join(str(getattr(e, "value", "")) for e in
                    [*at.markdown, *at.info, *at.warning, *at.error, *at.caption, *at.title])


@pytest.mark.parametrize("keys", [
    {"STRIPE_SECRET_KEY": TEST_KEY},
    {"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1"},
    {"STRIPE_SECRET_KEY": LIVE_KEY, "ALLOW_LIVE_KEYS": "1", "DEMO_SIGN_IN": "1"},
], ids=["test-keys", "live", "live-with-DEMO_SIGN_IN"])
def test_with_real_keys_the_demo_form_is_gone_and_a_demo_shopper_sees_no_orders(
        ada_has_an_order, monkeypatch, keys):
    for name, value in keys.items():
        monkeypatch.setenv(name, value)
    account = open_page("pages/account.py")
    # The top bar's product search is on every page; the sign-in form's boxes must be gone.
    assert [t.key for t in account.text_input] == ["bar_search"], \
        "the demo sign-in form is still offered"
    assert "DEMO_SIGN_IN" in texts(account) or "[auth]" in texts(account)
    # A demo shopper carried over from before (a session or a cookie) is a guest now.
    orders = open_page("pages/orders.py", ADA)
    assert "St James" not in texts(orders) and "Sign in to see your orders" in texts(orders)


def test_the_demo_sign_in_itself_refuses_when_it_is_off(app_env, monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    from ui import cached_services, session_shopper
    with pytest.raises(IdentityError, match="DEMO_SIGN_IN"):
        session_shopper.sign_in_demo(cached_services.services(), "Ada", "ada@example.com")


def test_with_test_keys_and_demo_sign_in_on_both_pages_warn_plainly(ada_has_an_order,
                                                                     monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("DEMO_SIGN_IN", "1")
    account = open_page("pages/account.py")
    assert account.text_input(key="signin_email")
    assert any(EXPOSED in w.value for w in account.warning)
    orders = open_page("pages/orders.py", ADA)
    assert "St James" in texts(orders)
    assert any(EXPOSED in w.value for w in orders.warning)


def test_in_sandbox_mode_the_demo_sign_in_is_the_default_without_a_warning(ada_has_an_order):
    account = new_app()
    account.switch_page("pages/account.py").run()
    assert account.text_input(key="signin_email") and not account.warning
    orders = open_page("pages/orders.py", ADA)
    assert "St James" in texts(orders) and not orders.warning
