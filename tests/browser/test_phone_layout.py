"""The shop on a 390x844 phone in headless Chromium: one or two products a row, readable prices,
buttons that fit, no sideways scrolling; and after "Add to basket" the bar's basket count stays
in view, uncovered by the toast (on a 1280x800 laptop too)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screen import save_screenshot
from tests.browser.shopper import (
    CLIPPED_JS,
    add_from_card,
    fill_hosted_page,
    open_app,
    sign_in_demo,
    start_checkout,
)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
# How wide the page is: the document and Streamlit's own scroll box (stMain), which would hide a
# too-wide element from the document's measure.
WIDTHS_JS = """() => [document.documentElement.scrollWidth,
  document.querySelector('[data-testid=stMain]')?.scrollWidth ?? 0]"""
# Each "Add to basket" button's box, rounded, in page order.
ADD_BOXES_JS = """() => [...document.querySelectorAll('[class*=st-key-add_] button')]
  .map(b => b.getBoundingClientRect()).map(r => [Math.round(r.top), Math.round(r.left),
  Math.round(r.right)])"""
# What covers the middle of an element, and whether that is the element itself.
COVERED_JS = """e => { const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {rect: [r.top, r.right, r.bottom, r.left], own: !!hit && e.contains(hit),
          hit: hit ? hit.outerHTML.slice(0, 120) : null}; }"""


def expect_fits(page: Page, what: str) -> None:
    """Nothing scrolls sideways and no button or link label is cut short."""
    assert max(page.evaluate(WIDTHS_JS)) <= PHONE["width"], (what, page.evaluate(WIDTHS_JS))
    assert page.evaluate(CLIPPED_JS) == [], (what, page.evaluate(CLIPPED_JS))


def basket_in_bar(page: Page):
    """The storefront bar's Basket (n) link."""
    return page.locator(".st-key-top_bar").get_by_role("link", name=re.compile(r"Basket \(\d+\)"))


def test_on_a_phone_the_shop_has_readable_prices_and_buttons_that_fit(page: Page, storefront):
    page.set_viewport_size(PHONE)
    open_app(page, storefront.url)
    expect(page.locator("[class*=st-key-add_] button")).to_have_count(12)
    boxes = page.evaluate(ADD_BOXES_JS)
    assert len(boxes) == 12
    per_row = max(sum(1 for b in boxes if b[0] == top) for top, _, _ in boxes)
    assert 1 <= per_row <= 2, boxes
    assert all(left >= 0 and right <= PHONE["width"] for _, left, right in boxes), boxes
    prices = page.locator("[data-testid=stMain] h4")
    expect(prices.first).to_have_text(re.compile(r"^₹[\d,]+\.\d\d"))
    sizes = prices.evaluate_all("hs => hs.map(h => parseFloat(getComputedStyle(h).fontSize))")
    assert len(sizes) == 12 and min(sizes) >= 18, sizes
    expect_fits(page, "shop")
    save_screenshot(page, "phone-shop")

    add_from_card(page, "saffron-glaze-mug-set", 1)
    sign_in_demo(page, storefront.url, "Asha Rao", "phone@example.com")
    expect_fits(page, "basket")
    save_screenshot(page, "phone-basket")
    hosted = start_checkout(page)
    hosted.set_viewport_size(PHONE)
    fill_hosted_page(hosted, "phone@example.com")
    assert hosted.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(hosted, "phone-hosted-checkout")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_after_add_to_basket_the_count_is_in_view_and_uncovered(page: Page, storefront, size):
    page.set_viewport_size(PHONE if size == "phone" else LAPTOP)
    open_app(page, storefront.url)
    basket = basket_in_bar(page)
    expect(page.locator("[class*=st-key-add_] button")).to_have_count(12)
    before = int(re.search(r"\d+", basket.inner_text()).group())
    # The last card of the first page: the click scrolls far down, and the bar must follow.
    button = page.locator("[class*=st-key-add_] button").last
    button.click()
    expect(basket).to_have_text(re.compile(rf"Basket \({before + 1}\)"))
    toast = page.get_by_test_id("stToast")
    expect(toast).to_be_visible()
    expect(basket).to_be_in_viewport()
    seen = basket.evaluate(COVERED_JS)
    assert seen["own"], f"the basket count is covered by {seen['hit']}"
    top, right, bottom, left = seen["rect"]
    box = toast.bounding_box()
    apart = (box["x"] >= right or box["x"] + box["width"] <= left
             or box["y"] >= bottom or box["y"] + box["height"] <= top)
    assert apart, (seen["rect"], box)
    save_screenshot(page, f"toast-and-basket-{size}")
