"""The catalog read from Stripe (CATALOG_SOURCE=stripe), against a real sandbox process: the same
products as the file after seeding, checkout by price id, archiving, and the TTL cache."""
from __future__ import annotations

import logging

import pytest

from harness.counting_sandbox import request_counts
from lib.checkout.fulfilment import order_from_session, retrieve_session
from lib.checkout.session import build_session_params, start_checkout
from lib.clock import utc_now
from lib.config.settings import SettingsError, build_settings
from lib.config.stripe_client import make_stripe_client
from lib.services import make_catalogs
from lib.shop.catalog_cache import CatalogCache
from lib.shop.catalog_seed import seed_catalog, stripe_product_id
from lib.shop.catalog_stripe import EmptyCatalogError, load_stripe_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_basket_store
from tests.fixtures_catalog import SHIPPED_CATALOG
from tests.fixtures_sandbox import TEST_API_KEY, complete_session, stripe_client_for

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
IMAGES = SHIPPED_CATALOG.parent.parent / "static" / "products"


def image_urls(name: str) -> list[str]:
    """Where the app would serve a product image (the sandbox accepts local URLs)."""
    return [f"http://127.0.0.1:8501/app/static/products/{name}"]


def shown(catalog) -> dict:
    """What the shop shows and charges for each product, by id."""
    return {p.id: (p.title, p.description, p.category, p.rating, p.price, p.currency, p.image)
            for p in catalog.products}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("currency", ["INR", "USD", "JPY"])
def test_loading_after_seeding_gives_the_files_products_and_amounts(start_sandbox, shipped_catalog,
                                                                    currency):
    client = stripe_client_for(start_sandbox())
    seed_catalog(client, SHIPPED_CATALOG, image_urls)
    loaded = load_stripe_catalog(client, currency, IMAGES)
    from_file = shipped_catalog(currency)
    assert shown(loaded) == shown(from_file)
    assert [p.id for p in loaded.products] == [p.id for p in from_file.products]  # seeded order
    assert all(p.price_id.startswith("price_") for p in loaded.products)
    assert loaded.categories == from_file.categories


def test_checkout_from_the_stripe_catalog_uses_price_ids_and_charges_the_same(
        start_sandbox, shipped_catalog, tmp_path):
    box = start_sandbox()
    env = {"STRIPE_API_BASE": box.url, "SANDBOX_API_KEY": box.api_key, "DATA_DIR": str(tmp_path),
           "CATALOG_SOURCE": "stripe", "STORE_CURRENCY": "INR"}
    settings = build_settings(env)
    client = make_stripe_client(settings)
    seed_catalog(client, SHIPPED_CATALOG, image_urls, ["INR"])
    catalog = make_catalogs(settings, client).current()
    file_catalog = shipped_catalog("INR")
    kettle, speaker = file_catalog.products[0], file_catalog.products[1]
    basket = make_basket_store(settings).update(ADA.key, lambda _: {kettle.id: 2, speaker.id: 1})
    params = build_session_params(basket, catalog, ADA, settings)
    assert all(set(item) == {"price", "quantity"} for item in params["line_items"])
    assert {item["price"] for item in params["line_items"]} == {
        catalog.get(kettle.id).price_id, catalog.get(speaker.id).price_id}
    session = start_checkout(client, basket, catalog, ADA, settings)
    by_file = start_checkout(client, basket, file_catalog, ADA, settings)
    assert session.id != by_file.id
    assert session.amount_subtotal == 2 * kettle.price + speaker.price == by_file.amount_subtotal
    assert session.amount_total == by_file.amount_total
    assert session.amount_total == session.amount_subtotal + session.total_details.amount_shipping
    items = client.v1.checkout.sessions.line_items.list(session.id).data
    assert {(i.price.id, i.quantity) for i in items} == {
        (catalog.get(kettle.id).price_id, 2), (catalog.get(speaker.id).price_id, 1)}
    # Paid, it becomes an order whose items name the shop's products, as with price_data.
    complete_session(client, session.id)
    order = order_from_session(retrieve_session(client, session.id), "paid", utc_now())
    assert {(i.product_id, i.name, i.quantity) for i in order.items} == {
        (kettle.id, kettle.title, 2), (speaker.id, speaker.title, 1)}
    assert order.amount == by_file.amount_total


def test_an_archived_product_disappears_after_a_refresh(start_sandbox, caplog):
    client = stripe_client_for(start_sandbox())
    seed_catalog(client, SHIPPED_CATALOG, image_urls, ["INR", "USD"])
    clock = Clock()
    cache = CatalogCache(lambda: load_stripe_catalog(client, "INR", IMAGES), ttl=300, clock=clock)
    first = cache.current()
    gone, priceless = first.products[0], first.products[1]
    client.v1.products.update(stripe_product_id(gone.id), params={"active": False})
    client.v1.prices.update(priceless.price_id, params={"active": False})
    assert cache.current().get(gone.id) is not None  # within the TTL: still the cached catalog
    with caplog.at_level(logging.WARNING, logger="lib.shop.catalog_stripe"):
        after = cache.refresh()
    assert after.get(gone.id) is None and after.get(priceless.id) is None
    assert len(after.products) == len(first.products) - 2
    assert f"{stripe_product_id(priceless.id)}" in caplog.text and "no active price in INR" in caplog.text
    # The archived product still has a price in USD, but it is archived: left out there too.
    assert load_stripe_catalog(client, "USD", IMAGES).get(gone.id) is None
    clock.now += 301
    assert cache.current().get(gone.id) is None


def test_text_from_stripe_is_kept_as_it_was_written(start_sandbox):
    client = stripe_client_for(start_sandbox())
    seed_catalog(client, SHIPPED_CATALOG, image_urls, ["INR"])
    hostile = "**Bold** [link](javascript:alert(1)) <b>x</b>"
    first = load_stripe_catalog(client, "INR", IMAGES).products[0]
    client.v1.products.update(stripe_product_id(first.id),
                              params={"name": hostile, "images": image_urls("not-shipped.png")})
    product = load_stripe_catalog(client, "INR", IMAGES).get(first.id)
    assert product.title == hostile and product.image == "placeholder.svg"
    assert (IMAGES / product.image).is_file()


def test_the_catalog_is_read_once_within_the_ttl(counting_sandbox, tmp_path):
    url = counting_sandbox.url
    env = {"STRIPE_API_BASE": url, "SANDBOX_API_KEY": TEST_API_KEY, "DATA_DIR": str(tmp_path),
           "CATALOG_SOURCE": "stripe", "CATALOG_TTL": "60"}
    settings = build_settings(env)
    client = make_stripe_client(settings)
    seed_catalog(client, SHIPPED_CATALOG, image_urls, ["INR"])
    before = request_counts(url)
    clock = Clock()
    catalogs = make_catalogs(settings, client, clock)  # reads once, at start
    for _ in range(20):
        catalogs.current()
        clock.now += 2  # 40 s in all, inside the 60 s TTL
    counts = request_counts(url)
    reads = {k: counts.get(k, 0) - before.get(k, 0) for k in ("GET /v1/products", "GET /v1/prices")}
    assert reads == {"GET /v1/products": 1, "GET /v1/prices": 1}
    clock.now += 30
    catalogs.current()
    catalogs.current()
    counts = request_counts(url)
    assert counts["GET /v1/products"] - before.get("GET /v1/products", 0) == 2


def test_an_unread_stripe_keeps_the_last_catalog(start_sandbox):
    box = start_sandbox()
    client = stripe_client_for(box)
    seed_catalog(client, SHIPPED_CATALOG, image_urls, ["INR"])
    clock = Clock()
    cache = CatalogCache(lambda: load_stripe_catalog(client, "INR", IMAGES), ttl=10, clock=clock)
    first = cache.current()
    box.stop()
    clock.now += 11
    assert cache.current() is first


def test_an_empty_test_mode_account_is_refused_with_the_fix(start_sandbox, tmp_path):
    box = start_sandbox()  # playing real test mode: the key is given as STRIPE_SECRET_KEY
    settings = build_settings({"STRIPE_API_BASE": box.url, "STRIPE_SECRET_KEY": box.api_key,
                               "DATA_DIR": str(tmp_path), "CATALOG_SOURCE": "stripe"})
    assert settings.stripe_mode == "test"
    client = make_stripe_client(settings)
    with pytest.raises(EmptyCatalogError, match=r"python run.py seed"):
        make_catalogs(settings, client)
    assert client.v1.products.list().data == []  # nothing was created in the learner's account


def test_the_demos_empty_sandbox_is_seeded_at_first_start_and_only_then(start_sandbox, tmp_path,
                                                                        shipped_catalog):
    box = start_sandbox()
    settings = build_settings({"SANDBOX_URL": box.url, "SANDBOX_API_KEY": box.api_key,
                               "DATA_DIR": str(tmp_path), "CATALOG_SOURCE": "stripe"})
    assert settings.stripe_mode == "sandbox"
    client = make_stripe_client(settings)
    first = make_catalogs(settings, client).current()
    assert shown(first) == shown(shipped_catalog("INR"))
    archived = first.products[0]
    client.v1.products.update(stripe_product_id(archived.id), params={"active": False})
    again = make_catalogs(settings, client).current()  # the next start: seeded, left alone
    assert again.get(archived.id) is None and len(again.products) == len(first.products) - 1
    prices = client.v1.prices.list(params={"limit": 100}).data
    assert len(prices) == len(first.products)  # one INR price each, none made twice


def test_catalog_settings_name_the_fix():
    assert build_settings({}).catalog_source == "file"
    with pytest.raises(SettingsError) as caught:
        build_settings({"CATALOG_SOURCE": "shopify", "CATALOG_TTL": "soon"})
    text = str(caught.value)
    assert "CATALOG_SOURCE" in text and "Use file" in text and "CATALOG_TTL" in text
    assert build_settings({"CATALOG_SOURCE": " Stripe ", "CATALOG_TTL": "0"}).catalog_ttl == 0
