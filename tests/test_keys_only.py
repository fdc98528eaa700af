"""Keys-only mode (Streamlit Community Cloud runs only the app): test keys, no sidecar anywhere.
Only the app runs, against the sandbox playing Stripe in test mode, which delivers no webhook:
the success page records the order, and the Setup check says what is missing."""
from __future__ import annotations

import pytest

from harness.processes import free_port
from lib.checkout.session import start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.setup_check.runner import run_all
from lib.setup_check.service_checks import check_sidecar
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_basket_store, make_order_store
from tests.fixtures_pages import open_page
from tests.fixtures_sandbox import complete_session

ADA = demo_shopper("Ada Lovelace", "ada@example.com")


@pytest.fixture
def keys_only(sandbox, app_env, monkeypatch):
    """The app's settings with a test key, Stripe's API at the sandbox, and no sidecar."""
    env = {"STRIPE_SECRET_KEY": sandbox.api_key, "STRIPE_API_BASE": sandbox.url,
           "STRIPE_WEBHOOK_SECRET": "", "DATA_DIR": str(app_env), "ORDER_STORE": "sqlite",
           "WEBHOOK_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
           "DEMO_SIGN_IN": "1"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = build_settings(env)
    assert settings.stripe_mode == "test" and sandbox.api_key.startswith("sk_test_")
    return settings


def test_the_success_page_records_the_order_without_a_sidecar(keys_only):
    baskets, client = make_basket_store(keys_only), make_stripe_client(keys_only)
    basket = baskets.update(ADA.key, lambda _: {"aurora-kettle": 1})
    catalog = load_catalog(keys_only.catalog_path, keys_only.store_currency)
    session = start_checkout(client, basket, catalog, ADA, keys_only)
    complete_session(client, session.id)
    orders = make_order_store(keys_only)
    try:
        assert orders.count_orders(ADA.email) == 0  # no webhook reached anyone
        at = open_page("pages/success.py", ADA, query_params={"session_id": session.id})
        assert "confirmed" in at.title[0].value
        assert orders.count_orders(ADA.email) == 1
        # Coming back again (a refresh, a second tab) never records it twice.
        open_page("pages/success.py", ADA, query_params={"session_id": session.id})
        assert orders.count_orders(ADA.email) == 1
        assert orders.get_order(ADA.email, session.id).amount == session.amount_total
        shown = open_page("pages/orders.py", ADA)
        assert "1 order" in [c.value for c in shown.caption]
    finally:
        orders.close()
        baskets.close()


def test_the_setup_check_says_what_keys_only_mode_misses(keys_only):
    check = check_sidecar(keys_only)
    assert check.status == "amber"
    assert "keys-only mode" in check.message
    assert "closes the tab before returning gets no order" in check.message
    assert "docs/deploy.md" in check.fix and "Stripe Dashboard" in check.fix
    # The whole check, as `python run.py check` runs it (the Setup page, with real keys, is
    # for presenters only): the sidecar line is the keys-only one, and nothing crashed.
    checks = {c.name: c for c in run_all(keys_only)}
    assert checks["Webhook sidecar"].status == "amber"
    assert "keys-only mode" in checks["Webhook sidecar"].message


def test_in_sandbox_mode_a_missing_sidecar_stays_red(app_env):
    settings = build_settings({"DATA_DIR": str(app_env),
                               "WEBHOOK_URL": f"http://127.0.0.1:{free_port()}"})
    assert check_sidecar(settings).status == "red"
