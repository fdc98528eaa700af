"""Isolation: two shoppers' orders never cross on the Orders page, on any page of it; and in
OIDC mode the demo sign-in cannot be used, even by a session that already holds a demo shopper."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from lib.config.settings import build_settings
from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shoppers.identity import IdentityError, demo_shopper
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page
from ui.session_shopper import sign_in_demo

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
BOB = demo_shopper("Bob", "bob@example.com")
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
        "client_id": "c", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def orders(tmp_path, monkeypatch):
    """The order store the app reads, seeded with 13 orders each for Ada and Bob, interleaved
    in time; returns {email: {session_id suffix shown on the page}}."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_WEBHOOK_SECRET",
                 "STRIPE_API_BASE", "STRIPE_SHIPPING_RATE", "APP_URL", "CATALOG_PATH"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("STORE_CURRENCY", "INR")
    monkeypatch.setenv("ORDER_STORE", "sqlite")
    store = SqliteOrderStore(tmp_path / "orders.sqlite3")
    start = datetime(2026, 5, 1, tzinfo=UTC)
    owned: dict[str, set[str]] = {ADA.email: set(), BOB.email: set()}
    for n in range(26):
        email = (ADA, BOB)[n % 2].email
        session_id = f"cs_test_{email[:3]}{n:07d}"
        store.create_order(Order(
            session_id=session_id, email=email, amount=199900, amount_shipping=0,
            currency="INR", status=OrderStatus.PAID, timestamp=start + timedelta(minutes=n),
            items=(OrderItem("aurora-kettle", "Aurora Steel Electric Kettle", 1, 199900,
                             199900),)))
        owned[email].add(session_id[-10:])
    yield owned
    store.close()


def orders_page(shopper, secrets: dict | None = None) -> AppTest:
    """The Orders page in a new session for shopper, with the app's secrets if given."""
    return open_page("pages/orders.py", shopper, secrets=secrets)


def shown(at) -> set[str]:
    """Session id suffixes of the orders on screen."""
    return {m.value.split("**Order ", 1)[1].split("**")[0] for m in at.markdown
            if m.value.startswith("**Order ")}


@pytest.mark.parametrize("shopper, other", [(ADA, BOB), (BOB, ADA)])
def test_every_page_of_orders_shows_only_the_shoppers_own(orders, shopper, other):
    at = orders_page(shopper)
    seen = shown(at)
    at.button(key="orders_older").click().run()
    seen |= shown(at)
    assert "13 orders" in [c.value for c in at.caption]
    assert seen == orders[shopper.email]
    assert not seen & orders[other.email]
    assert not any(other.email in m.value for m in at.markdown)


def test_in_oidc_mode_a_demo_shopper_in_the_session_sees_no_orders(orders):
    at = orders_page(ADA, {"auth": AUTH})
    assert shown(at) == set()
    assert [i.value for i in at.info] == ["Sign in to see your orders."]
    assert not at.session_state["shopper"].signed_in


def test_in_oidc_mode_sign_in_demo_refuses(tmp_path):
    svc = SimpleNamespace(settings=build_settings({"DATA_DIR": str(tmp_path)}, {"auth": AUTH}))
    assert svc.settings.oidc_configured
    with pytest.raises(IdentityError, match="switched off"):
        sign_in_demo(svc, "Ada Lovelace", "ada@example.com")


def test_in_oidc_mode_the_demo_form_is_absent(orders):
    at = open_page("pages/account.py", secrets={"auth": AUTH})
    assert not {"signin_name", "signin_email"} & {t.key for t in at.text_input}
    assert "Sign in (demo)" not in [b.label for b in at.button]
