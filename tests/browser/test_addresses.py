"""The purchase at either loopback name: APP_URL says localhost, and a shopper who opens
http://127.0.0.1 (or localhost) pays and comes back to the same address, signed in, with the
order shown and the basket emptied (cookies are per host, so any other return would lose them)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.processes import launch_storefront
from tests.browser.screen import origins_seen
from tests.browser.shopper import buy_and_come_back, expect_basket_count


@pytest.fixture(scope="module")
def localhost_shop(tmp_path_factory):
    """The demo with APP_URL=http://localhost:PORT, as `python run.py` prints it by default."""
    base = tmp_path_factory.mktemp("addresses")
    shop = launch_storefront(base, base / "data", host="localhost")
    yield shop
    shop.stop()


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
