"""The success page: confirms with Stripe, shows the order, empties the paid-for basket only."""
from __future__ import annotations

import pytest

from harness.counting_sandbox import session_retrieves
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_basket_store
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page
from tests.fixtures_sandbox import session_from_basket

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
EVE = demo_shopper("Eve", "eve@example.com")


@pytest.fixture
def shop(slow_transfer_sandbox, tmp_path, monkeypatch):
    """Environment for the app against the module's sandbox: its settings, client and basket
    store."""
    env = {"STRIPE_API_BASE": slow_transfer_sandbox.url, "DATA_DIR": str(tmp_path),
           "STRIPE_WEBHOOK_SECRET": slow_transfer_sandbox.webhook_secret}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = build_settings(env)
    return settings, make_stripe_client(settings), make_basket_store(settings)


def success_page(session_id, shopper):
    """Run the success page for shopper with session_id in the query string."""
    return open_page("pages/success.py", shopper, query_params={"session_id": session_id})


def test_paid_session_shows_order_and_empties_basket(shop):
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 2})
    at = success_page(session.id, ADA)
    assert not at.exception
    assert "confirmed" in at.title[0].value
    assert any("Aurora Steel Electric Kettle" in m.value for m in at.markdown)
    settings, _, baskets = shop
    assert baskets.load(ADA.key).lines == {}
    orders = SqliteOrderStore(settings.data_dir / "orders.sqlite3")
    assert orders.get_order(ADA.email, session.id) is not None


def test_basket_changed_after_checkout_is_kept(shop):
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 1})
    _, _, baskets = shop
    baskets.update(ADA.key, lambda lines: {**lines, "meridian-cotton-tee": 1})
    at = success_page(session.id, ADA)
    assert not at.exception
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1, "meridian-cotton-tee": 1}


def test_unpaid_session_keeps_basket_and_says_so(shop):
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 1}, pay=False)
    at = success_page(session.id, ADA)
    assert "not complete" in at.error[0].value
    assert shop[2].load(ADA.key).lines == {"aurora-kettle": 1}


def test_delayed_payment_says_awaiting_payment(shop):
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 1},
                                  payment_method="bank_transfer")
    at = success_page(session.id, ADA)
    assert not at.exception
    assert any("Awaiting payment" in w.value for w in at.warning)


@pytest.mark.parametrize("session_id", ["cs_test_forged000000000000", "nonsense", ""])
def test_unknown_or_forged_id_is_a_friendly_error(shop, session_id):
    at = success_page(session_id, ADA)
    assert not at.exception
    assert at.error and "Traceback" not in at.error[0].value


def test_another_shoppers_session_is_not_shown(shop):
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 1})
    at = success_page(session.id, EVE)
    assert "another account" in at.error[0].value
    assert not any("Aurora Steel Electric Kettle" in m.value for m in at.markdown)
    assert shop[2].load(ADA.key).lines == {"aurora-kettle": 1}


def test_one_stripe_retrieve_per_load_and_the_sidebar_counts_the_emptied_basket(
        counting_sandbox, tmp_path, monkeypatch):
    env = {"STRIPE_API_BASE": counting_sandbox.url, "DATA_DIR": str(tmp_path),
           "STRIPE_WEBHOOK_SECRET": counting_sandbox.env["STRIPE_WEBHOOK_SECRET"]}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = build_settings(env)
    shop = (settings, make_stripe_client(settings), make_basket_store(settings))
    session = session_from_basket(*shop, ADA, {"aurora-kettle": 2})
    before = session_retrieves(counting_sandbox.url)
    at = success_page(session.id, ADA)
    assert not at.exception and "confirmed" in at.title[0].value
    assert session_retrieves(counting_sandbox.url) - before == 1
    assert "Basket (0)" in [link.label for link in at.main.get("page_link")]
    # A reload (the shopper pressing F5) asks Stripe once more, and only once.
    at.run()
    assert session_retrieves(counting_sandbox.url) - before == 2
    assert "confirmed" in at.title[0].value
