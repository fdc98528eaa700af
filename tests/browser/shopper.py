"""What a shopper does in the browser, one function per action: open a page, add to the basket,
sign in, check out, pay on the hosted page. Each waits for what the shopper would see next."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from lib.shop.money import format_money
from tests.fixtures_catalog import shipped_catalog_in
from ui.markdown_text import md_text

CARD_OK = "4242 4242 4242 4242"
CARD_DECLINED = "4000 0000 0000 0002"
# Buttons and links in the page whose label overflows its box (Streamlit cuts it with "…").
CLIPPED_JS = """() => [...document.querySelectorAll('[data-testid=stMain] :is(button, a)')]
  .filter(b => [...b.querySelectorAll('p, span, div')].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(b => b.innerText.trim())"""


def inr(minor: int) -> str:
    """Minor units as the shop shows them (₹4,344.00)."""
    return format_money(minor, "INR")


def title(product_id: str) -> str:
    """A product's title in the catalog."""
    return shipped_catalog_in("INR").get(product_id).title


def price(product_id: str) -> int:
    """A product's price in minor units."""
    return shipped_catalog_in("INR").get(product_id).price


def sidebar(page: Page):
    """The app's sidebar (menu, who is signed in, basket count)."""
    return page.get_by_test_id("stSidebar")


def shown(text: str) -> str:
    """text as a page shows it: md_text's escapes resolved, its invisible word joiners (after
    an @ or a colon, which keep Markdown from making a link or an emoji) still in."""
    return re.sub(r"\\(.)", r"\1", md_text(text))


def expect_signed_in(page: Page, email: str) -> None:
    """The sidebar says who is signed in."""
    expect(sidebar(page).get_by_text(re.compile(r"^Signed in as"))).to_contain_text(shown(email))


def expect_guest(page: Page) -> None:
    """The sidebar says a guest is browsing."""
    expect(sidebar(page).get_by_text(re.compile(r"^Browsing as a"))).to_be_visible()


def basket_link(page: Page):
    """The storefront bar's Basket (n) link (the sidebar's Basket link has no count)."""
    return page.locator(".st-key-top_bar").get_by_role("link",
                                                        name=re.compile(r"Basket \(\d+\)"))


def expect_basket_count(page: Page, count: int) -> None:
    """The bar shows Basket (count)."""
    expect(basket_link(page)).to_have_text(re.compile(rf"Basket \({count}\)"))


def expect_nothing_clipped(page: Page) -> None:
    """No button or link on the page has its label cut short (a 1280x800 layout check)."""
    clipped = page.evaluate(CLIPPED_JS)
    assert clipped == [], f"labels cut short at 1280x800: {clipped}"


def open_app(page: Page, url: str, path: str = "", heading: str = "Shop") -> None:
    """Go to a page of the app and wait until its heading is shown."""
    page.goto(f"{url}/{path.lstrip('/')}")
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def go(page: Page, link: str, heading: str) -> None:
    """Follow a sidebar link (Shop, Basket, Orders, Sign in) and wait for the page's heading."""
    sidebar(page).get_by_role("link", name=re.compile(rf"^{re.escape(link)}")).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def go_menu(page: Page, menu: str, title: str, heading: str) -> None:
    """Open one of the header's menus (Learn, Presenter: Streamlit's top navigation at 1280x800),
    pick a page in it and wait for the page's heading."""
    page.get_by_test_id("stTopNav").get_by_test_id("stTopNavSection").filter(
        has_text=menu).click()
    # An item's text starts with its icon's ligature name ("checklistSetup check").
    page.get_by_role("menuitem", name=re.compile(f"{re.escape(title)}$")).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("combobox", name=label)).to_have_value(option)


def add_from_card(page: Page, product_id: str, times: int = 1) -> None:
    """Click a product card's "Add to basket" times, waiting for each toast."""
    card_button = page.locator(f".st-key-add_{product_id}").get_by_role("button",
                                                                         name="Add to basket")
    for _ in range(times):
        count = int(re.search(r"\d+", basket_link(page).inner_text()).group())
        # During a rerun Streamlit can briefly draw an element twice; click once it settled.
        expect(card_button).to_have_count(1)
        card_button.click()
        expect_basket_count(page, count + 1)


def sign_in_demo(page: Page, url: str, name: str, email: str) -> None:
    """Use the demo sign-in; it lands on the basket."""
    open_app(page, url, "account", "Sign in")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Sign in (demo)").click()
    expect(page.get_by_role("heading", name="Your basket", level=1)).to_be_visible()
    expect_signed_in(page, email)


def start_checkout(page: Page) -> Page:
    """From the basket: Proceed to checkout, then Pay with Stripe Checkout; return the new tab
    with Stripe's hosted page."""
    page.get_by_role("button", name="Proceed to checkout").click()
    pay_link = page.get_by_role("link", name="Pay with Stripe Checkout")
    expect(pay_link).to_be_visible()
    expect(pay_link).to_have_attribute("target", "_blank")
    with page.context.expect_page() as opened:
        pay_link.click()
    hosted = opened.value
    expect(hosted.get_by_role("button", name=re.compile(r"^Pay "))).to_be_visible()
    return hosted


def fill_hosted_page(hosted: Page, email: str, card: str | None = CARD_OK,
                     shipping: str | None = None) -> None:
    """Fill the hosted page: contact, address, shipping method (the preselected one if None)
    and card (or, with card=None, the delayed bank transfer)."""
    hosted.get_by_label("Email", exact=True).fill(email)
    hosted.get_by_label("Full name").fill("Asha Rao")
    hosted.get_by_label("Address", exact=True).fill("12 MG Road")
    hosted.get_by_label("City").fill("Bengaluru")
    hosted.get_by_label("Postal code").fill("560001")
    hosted.get_by_label("Country").select_option(label="India")
    if shipping:
        hosted.get_by_label(re.compile(shipping)).check()
    if card is None:
        hosted.get_by_label(re.compile(r"Bank transfer \(delayed\)")).check()
        return
    hosted.get_by_label("Card number").fill(card)
    hosted.get_by_label("Expiry").fill("12 / 34")
    hosted.get_by_label("CVC").fill("123")


def pay(hosted: Page) -> None:
    """Press the hosted page's Pay button."""
    hosted.get_by_role("button", name=re.compile(r"^Pay ")).click()


def buy_and_come_back(page: Page, url: str, email: str,
                      product_id: str = "saffron-glaze-mug-set") -> Page:
    """Add to the basket, sign in, pay on the hosted page; return the tab Stripe sent back,
    checked to be at url, signed in, showing the order and an empty basket."""
    open_app(page, url)
    add_from_card(page, product_id, 1)
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
