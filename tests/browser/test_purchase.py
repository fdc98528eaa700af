"""The whole purchase in headless Chromium against the real processes: browse, sign in, pay on the
hosted page, come back; declines, cancels, refreshes, new tabs and delayed payments."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from harness.waiting import wait_until
from lib.config.settings import build_settings
from lib.orders.model import OrderStatus
from lib.stores.factory import make_order_store
from tests.browser.screen import save_screenshot
from tests.browser.shopper import (
    CARD_DECLINED,
    add_from_card,
    choose,
    expect_basket_count,
    expect_nothing_clipped,
    expect_signed_in,
    fill_hosted_page,
    go,
    inr,
    open_app,
    pay,
    price,
    shown,
    sign_in_demo,
    start_checkout,
    title,
)

BOOK, MUGS, BOARD = "numbers-by-starlight", "saffron-glaze-mug-set", "cedarline-chopping-board"
PAID = re.compile(r"Paid$")  # the badge: an icon's ligature, then the word
EXPRESS = 14900  # Express shipping in INR minor units (lib/checkout/shipping.py)


def basket_line(page: Page, product_id: str):
    """The basket's row for a product."""
    return page.locator(f".st-key-qty_{product_id}").locator(
        "xpath=ancestor::*[@data-testid='stHorizontalBlock'][1]")


def signed_in_with_basket(page: Page, url: str, email: str) -> int:
    """As a guest, put 2 mug sets and 1 chopping board in the basket, then sign in (the basket
    comes along); return the subtotal in minor units."""
    open_app(page, url)
    add_from_card(page, MUGS, 2)
    add_from_card(page, BOARD, 1)
    sign_in_demo(page, url, "Asha Rao", email)
    subtotal = 2 * price(MUGS) + price(BOARD)
    expect(page.get_by_text(f"Subtotal (3 items): {inr(subtotal)}")).to_be_visible()
    return subtotal


def expect_basket_lines(page: Page, subtotal: int) -> None:
    """The basket page shows both lines with their quantities and the subtotal."""
    expect(page.get_by_role("heading", name="Your basket", level=1)).to_be_visible()
    for product_id, quantity in ((MUGS, 2), (BOARD, 1)):
        expect(basket_line(page, product_id).get_by_label("Quantity")).to_have_value(str(quantity))
    expect(page.get_by_text(f"Subtotal (3 items): {inr(subtotal)}")).to_be_visible()
    expect_basket_count(page, 3)


def expect_order(box, total: int, shipping: str) -> None:
    """An order box shows the items, the shipping line and the total."""
    expect(box.get_by_text(title(MUGS))).to_be_visible()
    expect(box.get_by_text(f"2 × {inr(price(MUGS))}")).to_be_visible()
    expect(box.get_by_text(title(BOARD))).to_be_visible()
    expect(box.get_by_text(f"1 × {inr(price(BOARD))}")).to_be_visible()
    expect(box.get_by_text(f"Shipping: {shipping} to Asha Rao, 12 MG Road, Bengaluru, 560001, IN")
           ).to_be_visible()
    expect(box.get_by_text(f"Total {inr(total)}")).to_be_visible()


def test_browse_search_filter_details_and_basket(page: Page, storefront):
    """Search, filter, open a product, add three products: the count and subtotal are right."""
    open_app(page, storefront.url)
    expect(page.get_by_text(title(MUGS))).to_be_visible()
    save_screenshot(page, "shop")
    expect_nothing_clipped(page)

    page.get_by_label("Search").fill("lantern")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("2 products · page 1 of 1")).to_be_visible()
    expect(page.get_by_text("The Lantern Cartographer")).to_be_visible()
    expect(page.get_by_text("Pinecone LED Camping Lantern")).to_be_visible()
    expect(page.get_by_text(title(MUGS))).to_be_hidden()

    choose(page, "Category", "Books")
    expect(page.get_by_text("1 product · page 1 of 1")).to_be_visible()
    expect(page.get_by_text("Pinecone LED Camping Lantern")).to_be_hidden()
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("6 products · page 1 of 1")).to_be_visible()

    page.locator(f".st-key-details_{BOOK}").get_by_role("button", name="Details").click()
    expect(page.get_by_role("heading", name=title(BOOK), level=1)).to_be_visible()
    # Streamlit keeps the grid's cards on screen until the run ends, so aim at the detail
    # view's own elements: its price is the h2, its button the detail_add key.
    expect(page.get_by_role("heading", name=inr(price(BOOK)), level=2)).to_be_visible()
    page.get_by_label("Quantity").fill("3")
    page.locator(".st-key-detail_add").get_by_role("button", name="Add to basket").click()
    expect_basket_count(page, 3)
    page.get_by_role("button", name="← Back to the shop").click()
    # Back returns to the same list, and the boxes say which.
    expect(page.get_by_text("6 products · page 1 of 1")).to_be_visible()
    expect(page.get_by_role("combobox", name="Category")).to_have_value("Books")

    choose(page, "Category", "All")
    expect(page.get_by_text("30 products · page 1 of 3")).to_be_visible()
    add_from_card(page, MUGS, 2)
    add_from_card(page, BOARD, 1)
    expect_basket_count(page, 6)

    go(page, "Basket", "Your basket")
    subtotal = 3 * price(BOOK) + 2 * price(MUGS) + price(BOARD)
    expect(page.get_by_text(f"Subtotal (6 items): {inr(subtotal)}")).to_be_visible()
    for product_id, quantity in ((BOOK, 3), (MUGS, 2), (BOARD, 1)):
        line = basket_line(page, product_id)
        expect(line.get_by_text(title(product_id))).to_be_visible()
        expect(line.get_by_label("Quantity")).to_have_value(str(quantity))
        expect(line.get_by_text(inr(quantity * price(product_id)), exact=True)).to_be_visible()

    save_screenshot(page, "basket")
    expect_nothing_clipped(page)
    basket_line(page, BOARD).get_by_label("Quantity").fill("4")
    basket_line(page, BOARD).get_by_label("Quantity").press("Enter")
    subtotal += 3 * price(BOARD)
    expect(page.get_by_text(f"Subtotal (9 items): {inr(subtotal)}")).to_be_visible()
    expect_basket_count(page, 9)
    expect(page.get_by_text("Sign in to checkout.")).to_be_visible()


def test_sign_in_pay_and_see_the_order(page: Page, storefront):
    """Demo sign-in, checkout in a new tab, pay with 4242: the success page and Orders show the
    order with its items, shipping and total, and the basket is empty."""
    email = "asha.paid@example.com"
    subtotal = signed_in_with_basket(page, storefront.url, email)
    hosted = start_checkout(page)
    expect(hosted.get_by_text("Local test sandbox")).to_be_visible()
    expect(hosted.get_by_text(title(MUGS))).to_be_visible()
    fill_hosted_page(hosted, email, shipping="Express shipping")
    total = subtotal + EXPRESS
    expect(hosted.get_by_role("button", name=f"Pay {inr(total)}")).to_be_visible()
    save_screenshot(hosted, "hosted-checkout")
    pay(hosted)

    # Stripe's return lands in the new tab, a fresh Streamlit session: still signed in.
    expect(hosted.get_by_role("heading", name="Thank you! Your order is confirmed.")
           ).to_be_visible()
    expect(hosted.get_by_text(f"A confirmation goes to {shown(email)}.")).to_be_visible()
    expect_signed_in(hosted, email)
    expect_order(hosted.get_by_test_id("stMain"), total, "Express shipping")
    expect_basket_count(hosted, 0)
    save_screenshot(hosted, "success")
    expect_nothing_clipped(hosted)

    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    expect(hosted.get_by_text(PAID)).to_be_visible()
    expect_order(hosted.get_by_test_id("stMain"), total, "Express shipping")
    save_screenshot(hosted, "orders")
    expect_nothing_clipped(hosted)

    go(hosted, "Basket", "Your basket")
    expect(hosted.get_by_text("Your basket is empty.")).to_be_visible()
    page.reload()  # the first tab, too
    expect(page.get_by_text("Your basket is empty.")).to_be_visible()
    expect_basket_count(page, 0)


def test_declined_card_leaves_no_order_and_the_basket(page: Page, storefront):
    """Card 4000 0000 0000 0002: an error on the hosted page, no order, the basket intact."""
    subtotal = signed_in_with_basket(page, storefront.url, "asha.declined@example.com")
    hosted = start_checkout(page)
    fill_hosted_page(hosted, "asha.declined@example.com", CARD_DECLINED)
    pay(hosted)
    expect(hosted.get_by_role("alert")).to_have_text("Your card was declined.")
    expect(hosted.get_by_role("button", name=re.compile(r"^Pay "))).to_be_visible()
    hosted.close()

    go(page, "Orders", "Your orders")
    expect(page.get_by_text("You have no orders yet.")).to_be_visible()
    go(page, "Basket", "Your basket")
    expect_basket_lines(page, subtotal)


def test_cancel_returns_to_the_full_basket(page: Page, storefront):
    """The hosted page's Back link returns to the basket with every item."""
    subtotal = signed_in_with_basket(page, storefront.url, "asha.cancel@example.com")
    hosted = start_checkout(page)
    hosted.get_by_role("link", name="← Back").click()
    expect_basket_lines(hosted, subtotal)
    expect_signed_in(hosted, "asha.cancel@example.com")
    expect(hosted.get_by_role("button", name="Proceed to checkout")).to_be_visible()


def test_refresh_and_new_tab_keep_the_shopper_and_basket(page: Page, storefront):
    """A refresh and a new tab both find the signed-in shopper and the basket."""
    email = "asha.tabs@example.com"
    subtotal = signed_in_with_basket(page, storefront.url, email)
    page.reload()
    expect_basket_lines(page, subtotal)
    expect_signed_in(page, email)

    tab = page.context.new_page()
    open_app(tab, storefront.url)
    expect_signed_in(tab, email)
    expect_basket_count(tab, 3)
    go(tab, "Basket", "Your basket")
    expect_basket_lines(tab, subtotal)


def test_delayed_payment_is_awaiting_then_paid(page: Page, storefront):
    """A bank transfer: the success page says awaiting payment; Orders shows paid once the
    sandbox's async_payment_succeeded webhook has arrived."""
    email = "asha.transfer@example.com"
    subtotal = signed_in_with_basket(page, storefront.url, email)
    hosted = start_checkout(page)
    fill_hosted_page(hosted, email, card=None)
    pay(hosted)
    expect(hosted.get_by_role("heading", name="Thank you! Your order is placed.")).to_be_visible()
    expect(hosted.get_by_text(re.compile(r"Awaiting payment$"))).to_be_visible()
    expect(hosted.get_by_text(re.compile(r"^Awaiting payment: your bank transfer"))).to_be_visible()

    session_id = parse_qs(urlsplit(hosted.url).query)["session_id"][0]
    go(hosted, "Orders", "Your orders")
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
    # The Orders page shows what is stored at load: open it again once the store says paid.
    wait_until_paid(storefront, email, session_id)
    hosted.reload()
    expect(hosted.get_by_role("heading", name="Your orders", level=1)).to_be_visible()
    expect(hosted.get_by_text(PAID)).to_be_visible()
    expect_order(hosted.get_by_test_id("stMain"), subtotal, "Free shipping")


def wait_until_paid(storefront, email: str, session_id: str) -> None:
    """Wait until the app's order store holds the order as paid (the sidecar has taken the
    sandbox's async_payment_succeeded)."""
    web = next(s for s in storefront.servers if s.name.startswith("web"))
    store = make_order_store(build_settings(web.env))

    def paid() -> bool:
        order = store.get_order(email, session_id)
        return order is not None and order.status == OrderStatus.PAID

    try:
        wait_until(paid, timeout=60, interval=0.2)
    finally:
        store.close()
