"""The purchase at either loopback name: APP_URL says localhost, and a shopper who opens
http://127.0.0.1 (or localhost) pays and comes back to the same address, signed in, with the
order shown and the basket emptied (cookies are per host, so any other return would lose them)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.processes import launch_storefront
from tests.browser.screen import LOCAL_HOSTS
from tests.browser.shopper import (
    add_from_card,
    expect_basket_count,
    expect_signed_in,
    fill_hosted_page,
    go,
    open_app,
    pay,
    sign_in_demo,
    start_checkout,
)

MUGS = "saffron-glaze-mug-set"


@pytest.fixture(scope="module")
def localhost_shop(tmp_path_factory):
    """The demo with APP_URL=http://localhost:PORT, as `python run.py` prints it by default."""
    base = tmp_path_factory.mktemp("addresses")
    shop = launch_storefront(base, base / "data", host="localhost")
    yield shop
    shop.stop()


def origins_seen(page: Page) -> set[str]:
    """Record the origin of every request and WebSocket the browser makes to this machine from
    now on (the offline context aborts anything else, such as a font from the internet)."""
    seen: set[str] = set()

    def note(url: str) -> None:
        parts = urlsplit(url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        if scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
            seen.add(f"{scheme}://{parts.netloc}")

    page.context.on("request", lambda request: note(request.url))
    page.context.on("page", lambda new: new.on("websocket", lambda ws: note(ws.url)))
    page.on("websocket", lambda ws: note(ws.url))
    return seen


def buy_and_come_back(page: Page, url: str, email: str) -> Page:
    """Add to the basket, sign in, pay on the hosted page; return the tab Stripe sent back,
    checked to be at url, signed in, showing the order and an empty basket."""
    open_app(page, url)
    add_from_card(page, MUGS, 1)
    sign_in_demo(page, url, "Asha Rao", email)
    hosted = start_checkout(page)
    fill_hosted_page(hosted, email)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    assert hosted.url.startswith(f"{url}/success?session_id=cs_"), hosted.url
    expect_signed_in(hosted, email)
    expect(hosted.get_by_text("This order belongs to another account")).to_have_count(0)
    expect_basket_count(hosted, 0)
    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    return hosted


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_bought_at_either_loopback_name_comes_back_there_signed_in(page: Page, localhost_shop,
                                                                   name: str):
    """APP_URL is http://localhost:PORT; the shopper uses http://{name}:PORT throughout."""
    port = urlsplit(localhost_shop.url).port
    url = f"http://{name}:{port}"
    seen = origins_seen(page)
    hosted = buy_and_come_back(page, url, f"asha.{name.replace('.', '-')}@example.com")
    page.reload()  # the first tab agrees: the basket is empty there too
    expect_basket_count(page, 0)
    sandbox = localhost_shop.servers[0].url  # the hosted page, at SANDBOX_PUBLIC_URL
    assert seen == {url, sandbox}, f"the browser talked to {seen}"
    hosted.close()
