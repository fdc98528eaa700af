"""The README's pictures, taken on one real purchase per screen size: the shop, the basket,
the sandbox's hosted page, the success page and the orders, on a 1280x800 laptop and a 390x844
phone. Each picture is taken once its page shows what the picture is of, and written to
docs/pictures/<page>-<size>.png on every run (commit them when the look changes)."""
from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.screen import PHONE, PICTURES, VIEWPORT, offline, save_picture
from tests.browser.shopper import (
    add_from_card,
    fill_hosted_page,
    inr,
    open_app,
    pay,
    price,
    sign_in_demo,
    start_checkout,
    title,
)

MUGS, BOARD = "saffron-glaze-mug-set", "cedarline-chopping-board"
SIZES = {"desktop": VIEWPORT, "phone": PHONE}
PAGES = ("shop", "basket", "hosted", "success", "orders")
MAX_BYTES = 150_000  # a README of ten pictures stays quick to load


def to_top(page: Page) -> None:
    """Scroll every scroll box back to the top (a click scrolls Streamlit's main area)."""
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")


def expect_toast_gone(page: Page) -> None:
    """Wait out the "Added" toast, which would cover the top bar's right end."""
    expect(page.get_by_test_id("stToast")).to_have_count(0)


def expect_items(box, subtotal: int | None = None) -> None:
    """The box shows both products of the purchase, the first in the window (so in the
    picture), and the subtotal when given."""
    expect(box.get_by_text(title(MUGS)).first).to_be_in_viewport()
    expect(box.get_by_text(title(BOARD)).first).to_be_visible()
    if subtotal is not None:
        expect(box.get_by_text(f"Subtotal (3 items): {inr(subtotal)}")).to_be_visible()


@pytest.fixture(params=SIZES)
def sized_page(request, browser):
    """A page in an offline context of its own with the window of one size (the hosted page's
    tab opens at that size too); the size's name comes along."""
    context = offline(browser.new_context(viewport=SIZES[request.param]))
    yield context.new_page(), request.param
    context.close()


def test_one_purchase_pictured_for_the_readme(sized_page, storefront):
    """Shop grid, basket lines, hosted page, confirmed order and the Orders list, each pictured
    once it shows that; every picture is a PNG of the window's size and under MAX_BYTES."""
    page, size = sized_page
    email = {"desktop": "asha@example.com", "phone": "asha.rao@example.com"}[size]
    subtotal = 2 * price(MUGS) + price(BOARD)
    for name in PAGES:  # so the checks at the end see this run's pictures
        (PICTURES / f"{name}-{size}.png").unlink(missing_ok=True)

    open_app(page, storefront.url)
    add_from_card(page, MUGS, 2)
    add_from_card(page, BOARD, 1)
    expect_toast_gone(page)
    to_top(page)
    expect(page.get_by_text(re.compile(r"^\d+ products · page 1 of \d+$"))).to_be_visible()
    add_buttons = page.get_by_test_id("stMain").get_by_role("button", name="Add to basket")
    assert add_buttons.count() >= 4, "the grid shows a page of products"
    expect(page.get_by_test_id("stMain").get_by_role("img").first).to_be_in_viewport()
    bar_basket = page.locator(".st-key-top_bar").get_by_role("link", name=re.compile("Basket"))
    expect(bar_basket).to_have_text(re.compile(r"Basket \(3\)"))
    save_picture(page, f"shop-{size}")

    sign_in_demo(page, storefront.url, "Asha Rao", email)
    expect_items(page.get_by_test_id("stMain"), subtotal)
    expect(page.get_by_role("button", name="Proceed to checkout")).to_be_visible()
    to_top(page)
    expect(page.get_by_role("heading", name="Your basket", level=1)).to_be_in_viewport()
    save_picture(page, f"basket-{size}")

    hosted = start_checkout(page)
    fill_hosted_page(hosted, email)
    expect(hosted.get_by_role("button", name=f"Pay {inr(subtotal)}")).to_be_visible()
    hosted.evaluate("() => window.scrollTo(0, 0)")
    expect(hosted.get_by_text("Local test sandbox")).to_be_in_viewport()
    expect_items(hosted)
    save_picture(hosted, f"hosted-{size}")

    pay(hosted)
    thanks = hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
    expect(thanks).to_be_visible()
    expect(hosted.get_by_text(f"Total {inr(subtotal)}")).to_be_visible()
    to_top(hosted)
    expect(thanks).to_be_in_viewport()
    expect_items(hosted.get_by_test_id("stMain"))
    save_picture(hosted, f"success-{size}")

    open_app(hosted, storefront.url, "orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_in_viewport()
    expect_items(hosted.get_by_test_id("stMain"))
    save_picture(hosted, f"orders-{size}")

    for name in PAGES:
        path = PICTURES / f"{name}-{size}.png"
        with Image.open(path) as picture:
            assert (picture.format, picture.size) == ("PNG", tuple(SIZES[size].values())), path
        assert path.stat().st_size < MAX_BYTES, f"{path.name}: {path.stat().st_size} bytes"
