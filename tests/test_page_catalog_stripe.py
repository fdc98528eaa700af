"""Shop and Setup pages with CATALOG_SOURCE=stripe, against a real sandbox seeded from the file."""
from __future__ import annotations

import pytest

from lib.shop.catalog_seed import seed_catalog, stripe_product_id
from tests.fixtures_catalog import SHIPPED_CATALOG
from tests.fixtures_pages import new_app, open_page
from tests.fixtures_sandbox import stripe_client_for
from ui.markdown_text import md_text

HOSTILE = "**Sale** [click](javascript:alert(1)) # <b>now</b>"


@pytest.fixture
def stripe_shop(app_env, start_sandbox, monkeypatch):
    """The app in sandbox mode with its catalog read from a freshly seeded sandbox."""
    box = start_sandbox()
    client = stripe_client_for(box)
    seed_catalog(client, SHIPPED_CATALOG,
                 lambda name: [f"http://127.0.0.1:8501/app/static/products/{name}"], ["INR"])
    for name, value in {"SANDBOX_URL": box.url, "SANDBOX_API_KEY": box.api_key,
                        "CATALOG_SOURCE": "stripe", "CATALOG_TTL": "3600"}.items():
        monkeypatch.setenv(name, value)
    return client


def cards(at) -> list[str]:
    """Ids of the product cards on screen."""
    return [b.key.removeprefix("add_") for b in at.button if b.key.startswith("add_")]


def test_the_shop_shows_stripes_products_with_their_text_escaped(stripe_shop, shipped_catalog):
    first = shipped_catalog("INR").products[0]
    stripe_shop.v1.products.update(stripe_product_id(first.id), params={"name": HOSTILE})
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    ids = [p.id for p in shipped_catalog("INR").products]
    assert cards(at) == ids[:len(cards(at))] and len(cards(at)) >= 4  # the first page, in order
    # The card's picture and name, one Markdown block: the name escaped in both the picture's
    # text alternative and the bold title, so neither can become a link or markup.
    blocks = [m.value for m in at.markdown]
    assert (f"![{md_text(HOSTILE)}](/app/static/products/{first.image})\n\n"
            f"**{md_text(HOSTILE)}**") in blocks
    assert not any(HOSTILE in block for block in blocks)


def test_setup_reloads_the_catalog_and_an_archived_product_goes(stripe_shop, shipped_catalog):
    gone = shipped_catalog("INR").products[3]
    at = open_page("pages/setup.py")
    assert "re-read every 3600 s" in "\n".join(c.value for c in at.caption)
    stripe_shop.v1.products.update(stripe_product_id(gone.id), params={"active": False})
    at.button(key="reload_catalog").click().run()
    assert not at.exception, at.exception
    count = len(shipped_catalog("INR").products) - 1
    assert [t.value for t in at.toast] == [f"Catalog reloaded: {count} products."]
    shop = new_app()
    shop.run()
    kept = [p.id for p in shipped_catalog("INR").products if p.id != gone.id]
    assert cards(shop) == kept[:len(cards(shop))] and len(cards(shop)) >= 4


def test_the_demo_on_an_empty_sandbox_seeds_it_and_sells(app_env, start_sandbox, monkeypatch,
                                                        shipped_catalog):
    box = start_sandbox()
    for name, value in {"SANDBOX_URL": box.url, "SANDBOX_API_KEY": box.api_key,
                        "CATALOG_SOURCE": "stripe"}.items():
        monkeypatch.setenv(name, value)
    at = new_app()
    at.run()
    assert not at.exception, at.exception
    ids = [p.id for p in shipped_catalog("INR").products]
    assert cards(at) == ids[:len(cards(at))] and len(cards(at)) >= 4
    prices = stripe_client_for(box).v1.prices.list(params={"limit": 100}).data
    assert len(prices) == len(ids) and all(p.currency == "inr" for p in prices)
