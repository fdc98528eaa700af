"""A purchase on the sandbox's hosted checkout page with the keyboard alone, in Chromium: Tab
reaches every field in reading order, where the keyboard is is always visible, and Enter pays;
the shopper lands on the success page with the order (at 1280x800 and on a 390x844 phone)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screen import save_screenshot
from tests.browser.shopper import (
    add_from_card,
    inr,
    open_app,
    price,
    sign_in_demo,
    start_checkout,
    title,
)

MUGS = "saffron-glaze-mug-set"
EMAIL = "keyboard@example.com"
PHONE = {"width": 390, "height": 844}
# The element the keyboard is on: its id, or its tag and text (the Back link has no id).
FOCUSED_JS = """() => { const e = document.activeElement;
  return e.id || `${e.tagName.toLowerCase()}:${e.textContent.trim()}`; }"""
# Whether the focused element shows it: :focus-visible applies and draws an outline of 2 px or
# more, or a box shadow; and the outline's contrast with the white page (WCAG 2 formula; a focus
# indicator needs 3:1).
FOCUS_SHOWN_JS = """() => { const e = document.activeElement, s = getComputedStyle(e);
  const lum = c => c.match(/[\\d.]+/g).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  return {visible: e.matches(':focus-visible'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== 'none',
          contrast: 1.05 / (lum(s.outlineColor) + 0.05)}; }"""
# Tab order on the page, top to bottom, and what the shopper types where the keyboard lands.
TAB_ORDER = [
    ("a:← Back", None), ("promotion_code", None), ("apply-code", None),
    ("email", EMAIL), ("name", "Asha Rao"), ("line1", "12 MG Road"), ("city", "Bengaluru"),
    ("postal_code", "560001"), ("country", "India"), (re.compile(r"^rate-"), None),
    ("method-card", None), ("card_number", "4242 4242 4242 4242"), ("expiry", "12 / 34"),
    ("cvc", "123"), ("pay-button", None),
]


def press_each(page: Page, text: str) -> None:
    """Type text one key press at a time (the keyboard only, as a shopper types)."""
    for key in text:
        page.keyboard.press("Space" if key == " " else key)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_pay_on_the_hosted_page_with_the_keyboard_alone(page: Page, storefront, size):
    open_app(page, storefront.url)
    add_from_card(page, MUGS, 1)
    sign_in_demo(page, storefront.url, "Asha Rao", EMAIL)
    hosted = start_checkout(page)
    if size == "phone":
        hosted.set_viewport_size(PHONE)
    seen = []
    for expected, typed in TAB_ORDER:
        hosted.keyboard.press("Tab")
        focused = hosted.evaluate(FOCUSED_JS)
        seen.append(focused)
        matches = (expected.search(focused) if isinstance(expected, re.Pattern)
                   else focused == expected)
        assert matches, f"Tab went to {focused}, expected {expected}; order so far {seen}"
        shown = hosted.evaluate(FOCUS_SHOWN_JS)
        assert shown["visible"] and (shown["outline"] or shown["shadow"]), (focused, shown)
        assert shown["contrast"] >= 3, (focused, shown)
        if typed:
            press_each(hosted, typed)
    expect(hosted.locator("#country")).to_have_value("IN")
    save_screenshot(hosted, f"keyboard-checkout-pay-focused-{size}")
    # Back on the last field, Enter submits the form, as it does in any form with a submit button.
    hosted.keyboard.press("Shift+Tab")
    assert hosted.evaluate(FOCUSED_JS) == "cvc"
    hosted.keyboard.press("Enter")
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    assert hosted.url.startswith(f"{storefront.url}/success?session_id=cs_"), hosted.url
    expect(hosted.get_by_text(title(MUGS)).first).to_be_visible()
    expect(hosted.get_by_text(inr(price(MUGS))).first).to_be_visible()
