"""The header's Learn and Presenter menus in headless Chromium: on a 1280x800 laptop they are
Streamlit's top navigation beside the storefront bar; on a 390x844 phone Streamlit moves them
into the sidebar, one tap away."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.screen import save_screenshot
from tests.browser.shopper import go_menu, open_app, sidebar

PHONE = {"width": 390, "height": 844}
# (menu, page title in it, the page's heading)
MENU_PAGES = [
    ("Learn", "Setup check", "Setup check"),
    ("Learn", "Webhook inspector", "Webhook inspector"),
    ("Learn", "The tutorial, mapped", "The tutorial, mapped to this code"),
    ("Presenter", "Sales dashboard", "Sales dashboard"),
    ("Presenter", "Data explorer", "Data explorer"),
    ("Presenter", "Demo data", "Demo data"),
    ("Presenter", "Last purchase", "The last purchase, step by step"),
]


def expect_heading(page: Page, heading: str) -> None:
    """The page's h1 is shown, and the storefront bar's basket above it."""
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    bar = page.locator(".st-key-top_bar")
    expect(bar.get_by_role("link", name=re.compile(r"Basket \(\d+\)"))).to_be_visible()


def test_on_a_laptop_the_header_menus_open_every_learn_and_presenter_page(page: Page,
                                                                         storefront):
    open_app(page, storefront.url)
    menus = page.get_by_test_id("stTopNav").get_by_test_id("stTopNavSection")
    expect(menus).to_have_text(["Learn", "Presenter"])
    menus.filter(has_text="Learn").click()
    # (each item's text starts with its icon's ligature name, e.g. "checklist")
    expect(page.get_by_role("menuitem")).to_have_text(
        [re.compile(f"{title}$") for menu, title, _ in MENU_PAGES if menu == "Learn"])
    save_screenshot(page, "navigation-learn-desktop")
    page.keyboard.press("Escape")
    for menu, title, heading in MENU_PAGES:
        go_menu(page, menu, title, heading)
        expect_heading(page, heading)
    # The shop's own pages are in the storefront bar, not in the header's menus.
    expect(page.get_by_test_id("stTopNav").get_by_role("link")).to_have_count(0)


@pytest.mark.parametrize("menu, title, heading", [MENU_PAGES[2], MENU_PAGES[0], MENU_PAGES[3]],
                         ids=["tutorial", "setup", "dashboard"])
def test_on_a_phone_the_menus_are_in_the_sidebar(page: Page, storefront, menu, title,
                                                 heading):
    page.set_viewport_size(PHONE)
    open_app(page, storefront.url)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)
    page.get_by_role("button", name="Expand sidebar").click()
    nav = sidebar(page).get_by_test_id("stSidebarNav")
    expect(nav.get_by_text(menu, exact=True)).to_be_visible()
    if title == "The tutorial, mapped":
        save_screenshot(page, "navigation-menu-phone")
    nav.get_by_role("link", name=title).click()
    expect_heading(page, heading)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
