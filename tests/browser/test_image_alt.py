"""Product pictures carry their product's name as a text alternative, in headless Chromium."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.shopper import open_app
from tests.fixtures_catalog import shipped_catalog_in

ALTS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] img')]
  .map(i => i.getAttribute('alt'))"""


def test_every_product_picture_in_the_shop_has_its_name_as_alt(page: Page, storefront):
    """The twelve cards of the first page: one picture each, its alt the product's title."""
    open_app(page, storefront.url)
    expect(page.locator("[data-testid=stMain] img")).to_have_count(12)
    titles = {product.title for product in shipped_catalog_in("INR").products}
    alts = page.evaluate(ALTS_JS)
    assert len(alts) == 12 and set(alts) <= titles, alts
