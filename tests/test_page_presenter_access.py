"""Presenter pages: open to every learner in sandbox mode, closed with real keys except to
PRESENTER_EMAILS signed in for real; never a shopper's action on another shopper's checkout."""
import pytest

from lib.checkout.session import start_checkout
from lib.config.settings import build_settings, load_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper, oidc_shopper
from lib.shoppers.presenter_access import presenter_refusal
from tests.fixtures_pages import open_page
from ui.frame import PAGES

TEST_KEY = "sk_" + "test_51AbCdEf"
ADA = demo_shopper("Ada", "ada@example.com")
BOB = demo_shopper("Bob", "bob@example.com")
PRESENTER_PAGES = [page.path for page in PAGES if page.presenter]


@pytest.mark.parametrize("page", PRESENTER_PAGES)
@pytest.mark.parametrize("shopper", [None, ADA], ids=["guest", "demo-with-presenter-email"])
def test_with_real_keys_presenter_pages_are_closed_to_shoppers(app_env, monkeypatch, page,
                                                               shopper):
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_KEY)
    monkeypatch.setenv("DEMO_SIGN_IN", "1")
    monkeypatch.setenv("PRESENTER_EMAILS", ADA.email)  # typed into the demo form, it proves nothing
    at = open_page(page, shopper)
    assert [t.value for t in at.title] == ["Presenters only"]
    assert not at.dataframe and not at.get("selectbox") and not at.get("button")
    # Nor are they listed in the header's menus: tests/test_navigation.py.


def test_presenter_emails_signed_in_for_real_open_them(tmp_path):
    real = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_SECRET_KEY": TEST_KEY,
                           "PRESENTER_EMAILS": "Host@Example.com, other@example.com"})
    assert presenter_refusal(real, oidc_shopper("host@example.com")) == ""
    assert presenter_refusal(real, oidc_shopper("guest@example.com"))
    assert presenter_refusal(real, demo_shopper("Host", "host@example.com"))
    closed = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_SECRET_KEY": TEST_KEY})
    assert "PRESENTER_EMAILS" in presenter_refusal(closed, oidc_shopper("host@example.com"))
    sandbox = build_settings({"DATA_DIR": str(tmp_path)})
    assert presenter_refusal(sandbox, None) == ""


def test_in_sandbox_mode_the_inspector_is_open_but_pays_only_your_own_checkout(
        app_env, sandbox, monkeypatch):
    monkeypatch.setenv("STRIPE_API_BASE", sandbox.url)
    settings = load_settings({"DATA_DIR": str(app_env), "STRIPE_API_BASE": sandbox.url,
                              "STORE_CURRENCY": "INR"})
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    client = make_stripe_client(settings)
    adas = start_checkout(client, Basket({"aurora-kettle": 1}, 1), catalog, ADA, settings)
    bobs = start_checkout(client, Basket({"aurora-kettle": 2}, 1), catalog, BOB, settings)

    guest = open_page("pages/webhook_inspector.py")
    assert "Webhook inspector" in [t.value for t in guest.title]
    assert not guest.get("selectbox"), "a guest was offered someone's checkout to pay"
    bob = open_page("pages/webhook_inspector.py", BOB)
    offered = bob.selectbox(key="simulate_session").options
    assert [option.split(" · ")[-1] for option in offered] == [bobs.id]
    assert adas.id not in str(offered) and ADA.email not in str(offered)
