"""The storefront top bar in headless Chromium: brand, search, account and the basket count,
on a 1280x800 laptop and on a 390x844 phone, where the sidebar starts collapsed."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screen import save_screenshot
from tests.browser.shopper import open_app, sign_in_demo

MUGS = "saffron-glaze-mug-set"
PHONE = {"width": 390, "height": 844}


def top_bar(page: Page):
    """The bar at the top of the main area."""
    return page.locator(".st-key-top_bar")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_top_bar_shows_brand_account_and_basket_count(page: Page, storefront, size):
    """Adding from the shop updates the bar's Basket (n), visible on desktop and phone alike;
    a search typed in the bar of another page opens the shop with that search."""
    if size == "phone":
        page.set_viewport_size(PHONE)
    open_app(page, storefront.url)
    bar = top_bar(page)
    expect(bar.get_by_role("link", name=re.compile("Storefront"))).to_be_visible()
    expect(bar.get_by_role("link", name=re.compile("Sign in"))).to_be_visible()
    basket = bar.get_by_role("link", name=re.compile(r"Basket \(\d+\)"))
    expect(basket).to_be_in_viewport()
    before = int(re.search(r"\d+", basket.inner_text()).group())
    button = page.locator(f".st-key-add_{MUGS}").get_by_role("button", name="Add to basket")
    button.click()
    expect(basket).to_have_text(re.compile(rf"Basket \({before + 1}\)"))
    # Picture the page at rest, once the toast's few seconds are over.
    expect(page.get_by_test_id("stToast")).to_be_visible()
    expect(page.get_by_test_id("stToast")).to_have_count(0)
    # The click scrolled Streamlit's own scroll box; show the bar in the picture.
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    save_screenshot(page, f"top-bar-shop-{size}")
    basket.click()
    expect(page.get_by_role("heading", name="Your basket", level=1)).to_be_visible()
    search = bar.get_by_role("textbox", name="Search products")
    search.fill("mug")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Shop", level=1)).to_be_visible()
    expect(page.get_by_role("textbox", name="Search", exact=True)).to_have_value("mug")
    expect(page.locator(f".st-key-add_{MUGS}")).to_be_visible()


def wait_quiet(page: Page, frames: list, quiet_ms: int = 1_000, timeout: float = 60) -> None:
    """Wait until no WebSocket frame has arrived for quiet_ms (a busy machine sends a run's
    frames over a longer time, never fewer of them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = len(frames)
        page.wait_for_timeout(quiet_ms)
        if len(frames) == seen:
            return
    raise AssertionError(f"frames still arriving after {timeout}s")


def test_add_to_basket_redraws_only_its_button_and_the_count(page: Page, storefront):
    """A click on "Add to basket" reruns that card's fragment, not the page: the server sends the
    toast, the button and the bar's count, a handful of WebSocket frames, where the whole page
    (sidebar, bar, filters, 12 cards) is well over a hundred."""
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(1)))
    open_app(page, storefront.url)
    basket = top_bar(page).get_by_role("link", name=re.compile(r"Basket \(\d+\)"))
    expect(basket).to_be_visible()
    wait_quiet(page, frames)  # the first run's last frames
    whole_page = len(frames)
    before = int(re.search(r"\d+", basket.inner_text()).group())
    frames.clear()
    page.locator(f".st-key-add_{MUGS}").get_by_role("button", name="Add to basket").click()
    expect(basket).to_have_text(re.compile(rf"Basket \({before + 1}\)"))
    expect(page.get_by_test_id("stToast")).to_contain_text("Saffron Glaze Ceramic Mug Set")
    wait_quiet(page, frames)  # anything else the click would send
    assert whole_page > 100, whole_page
    assert 0 < len(frames) < 20, (len(frames), whole_page)
    # The other cards and the sidebar were not redrawn: they are still all there.
    expect(page.locator("[class*=st-key-add_] button")).to_have_count(12)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Basket")).to_be_visible()


def test_an_add_after_signing_out_in_another_tab_reruns_the_page_as_a_guest(
        page: Page, storefront):
    """The card's fragment refuses an add for a shopper who signed out in another tab, then
    reruns the whole page, which takes on a guest: the bar says Sign in and Basket (0)."""
    sign_in_demo(page, storefront.url, "Asha Rao", "two.tabs@example.com")
    open_app(page, storefront.url)
    other = page.context.new_page()
    open_app(other, storefront.url, "account", "Account")
    other.get_by_role("button", name=re.compile("Sign out")).click()
    expect(other.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.bring_to_front()
    page.locator(f".st-key-add_{MUGS}").get_by_role("button", name="Add to basket").click()
    expect(page.get_by_test_id("stToast")).to_contain_text("signed out in another tab")
    bar = top_bar(page)
    expect(bar.get_by_role("link", name=re.compile("Sign in"))).to_be_visible()
    expect(bar.get_by_role("link", name="Basket (0)")).to_be_visible()
