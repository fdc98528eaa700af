"""Hostile shopper and Stripe text on every page that shows it: always escaped, never markup."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1.element_tree import Widget

from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import new_app, open_page
from ui.markdown_text import md_text

LINK = "[Verify card](https://evil.example) ![x](https://evil.example/x.png)"
HTML = "<img src=https://evil.example/x.png onerror=alert(1)>"
DIRECTIVE = ":red[Card declined] :material/warning: :smile: $x^2$"
# What would have become markup if any of the three reached Markdown raw.
RAW_MARKUP = [re.compile(r"(?<!\\)" + re.escape(markup)) for markup in (
    "](https://evil", "![x]", "<img", ":red[", ":material/warning:", ":smile:", "$x^2$")]


def sources(node) -> list[str]:
    """The Markdown source of every element under node (markdown, captions, alerts, titles,
    toasts, page links), walked through the AppTest tree."""
    found = []
    value = getattr(node, "value", None)
    # A widget's value is what the shopper typed, not Markdown the page wrote.
    if isinstance(value, str) and not isinstance(node, Widget):
        found.append(value)
    for child in getattr(node, "children", {}).values():
        found.extend(sources(child))
    return found


def assert_escaped(at, *texts: str) -> None:
    """Each text is on screen in its escaped form, and no hostile markup is on screen raw."""
    shown = sources(at._tree)
    for text in texts:
        assert any(md_text(text) in body for body in shown), (text, shown)
    for body in shown:
        for markup in RAW_MARKUP:
            assert not markup.search(body), body


def test_orders_page_shows_shipping_name_address_and_items_as_text(app_env):
    ada = demo_shopper("Ada", "ada@example.com")
    store = SqliteOrderStore(app_env / "orders.sqlite3")
    store.create_order(Order(
        session_id="cs_test_hostile0001", email=ada.email, amount=1000, amount_shipping=0,
        currency="INR", status=OrderStatus.PAID, timestamp=datetime(2025, 3, 1, tzinfo=UTC),
        items=(OrderItem("pebblecell-power-bank", DIRECTIVE, 1, 1000, 1000),),
        shipping={"name": LINK, "rate": "Standard",
                  "address": {"line1": HTML, "city": "London", "country": "GB"}}))
    store.close()
    at = open_page("pages/orders.py", ada)
    assert_escaped(at, LINK, HTML, DIRECTIVE)


@pytest.mark.parametrize("page", ["pages/account.py", "pages/shop.py"])
def test_demo_sign_in_name_is_text_in_the_sidebar_and_account_page(app_env, page):
    at = new_app()
    at.switch_page("pages/account.py").run()
    at.text_input(key="signin_name").input(LINK)
    at.text_input(key="signin_email").input("ada@example.com")
    next(b for b in at.button if b.label == "Sign in (demo)").click().run()
    at.switch_page(page).run()
    assert not at.exception
    assert_escaped(at, LINK)


def test_search_text_is_text_in_the_no_match_notice(app_env):
    at = new_app()
    at.run()
    at.text_input(key="search").input(f"{LINK} {DIRECTIVE}").run()
    assert not at.exception
    assert_escaped(at, f"{LINK} {DIRECTIVE}")
