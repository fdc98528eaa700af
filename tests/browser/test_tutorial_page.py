"""The tutorial page in headless Chromium at 1280x800 and 390x844: step 8's code box opens on
the function that creates the Checkout Session, and the page never scrolls sideways (a long
line of code scrolls inside its box)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screen import SCREENSHOTS, save_screenshot
from tests.browser.shopper import open_app

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_step_8_opens_on_its_code_and_the_page_fits_the_screen(page: Page, storefront, size):
    page.set_viewport_size(SIZES[size])
    open_app(page, storefront.url, "tutorial", "The tutorial, mapped to this code")
    box = page.get_by_test_id("stExpander").filter(
        has_text=re.compile(r"Code: start_checkout in lib/checkout/session\.py, lines \d+–\d+"))
    expect(box).to_have_count(1)
    box.locator("summary").click()
    code = box.get_by_test_id("stCode")
    expect(code).to_be_visible()
    expect(code).to_contain_text("client.v1.checkout.sessions.create(params")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    box.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"tutorial-step-8-{size}.png")
    save_screenshot(page, f"tutorial-{size}")
