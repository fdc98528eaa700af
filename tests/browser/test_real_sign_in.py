"""Real sign-in: Streamlit's st.login() against a local OpenID Connect provider, a purchase under
that identity, another shopper who never sees it, and a log-out that ends the session."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.processes import launch_oidc_provider, launch_storefront
from tests.browser.screen import offline
from tests.browser.shopper import (
    add_from_card,
    expect_basket_count,
    expect_guest,
    expect_signed_in,
    fill_hosted_page,
    go,
    inr,
    open_app,
    pay,
    price,
    start_checkout,
    title,
)

MUGS = "saffron-glaze-mug-set"


@pytest.fixture(scope="module")
def oidc_storefront(tmp_path_factory):
    """The demo with [auth] configured against oidc-provider-mock, opened at exactly the host of
    its redirect_uri (localhost: the callback's cookie is set for that host)."""
    base = tmp_path_factory.mktemp("oidc")
    provider = launch_oidc_provider(base)
    try:
        shop = launch_storefront(base, base / "data", host="localhost", oidc_url=provider.url)
    except Exception:
        provider.stop()
        raise
    yield shop
    shop.stop()
    provider.stop()


def sign_in_with_provider(page: Page, url: str, email: str) -> None:
    """Sign in on the account page through the provider's login page, which takes any email."""
    open_app(page, url, "account", "Sign in")
    page.get_by_role("button", name="Sign in with your identity provider").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    expect_signed_in(page, email)


def test_sign_in_buy_and_stay_apart_then_log_out(page: Page, new_context, oidc_storefront):
    """OIDC shopper buys; the order is filed under that email; another shopper sees none of it;
    log out goes through the provider's end-session page and leaves a guest."""
    url, email = oidc_storefront.url, "mira@example.org"
    open_app(page, url, "account", "Sign in")
    expect(page.get_by_role("button", name="Sign in with your identity provider")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in (demo)")).to_have_count(0)
    expect(page.get_by_label("Name")).to_have_count(0)

    open_app(page, url)
    add_from_card(page, MUGS, 2)  # as a guest: the basket comes along at sign-in
    sign_in_with_provider(page, url, email)
    expect_basket_count(page, 2)

    go(page, "Basket", "Your basket")
    hosted = start_checkout(page)
    expect(hosted.get_by_label("Email", exact=True)).to_have_value(email)
    fill_hosted_page(hosted, email)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    expect_signed_in(hosted, email)
    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    expect(hosted.get_by_text(title(MUGS))).to_be_visible()
    expect(hosted.get_by_text(f"Total {inr(2 * price(MUGS))}")).to_be_visible()
    hosted.close()

    other = offline(new_context()).new_page()
    sign_in_with_provider(other, url, "noor@example.org")
    go(other, "Orders", "Your orders")
    expect(other.get_by_text("You have no orders yet.")).to_be_visible()
    expect(other.get_by_text(title(MUGS))).to_have_count(0)

    go(page, "Account", "Your account")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    page.get_by_role("button", name="End session").click()
    expect_guest(page)
    go(page, "Orders", "Your orders")
    expect(page.get_by_text("Sign in to see your orders.")).to_be_visible()
    page.reload()  # the identity cookie is gone too: a fresh session is still a guest
    expect(page.get_by_text("Sign in to see your orders.")).to_be_visible()
    expect_guest(page)
