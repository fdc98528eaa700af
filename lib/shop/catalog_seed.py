"""Load the shop's catalog into a Stripe account (the sandbox, or real test mode) as Products and Prices.

Idempotent, like `stripe fixtures` run twice: each price is found by its lookup key, each product by
its own id, so a second run creates nothing; a changed amount gets a new price that takes over the
lookup key (Stripe prices are immutable), and changed text updates the product.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import stripe

from lib.shop.catalog import Product, load_catalog

LOOKUP_BATCH = 10  # Stripe's limit on lookup_keys in one list call
PRODUCT_ID_PREFIX = "storefront-"


@dataclass
class SeedReport:
    """What a seed run did: ids created, updated, left as they were."""

    created_products: list[str] = field(default_factory=list)
    updated_products: list[str] = field(default_factory=list)
    created_prices: list[str] = field(default_factory=list)
    unchanged_prices: int = 0

    def summary(self) -> str:
        """One line for a terminal."""
        return (f"{len(self.created_products)} products created, {len(self.updated_products)} updated; "
                f"{len(self.created_prices)} prices created, {self.unchanged_prices} already there")


def lookup_key(product_id: str, currency: str) -> str:
    """The lookup key of a catalog product's price in one currency."""
    return f"storefront_{product_id}_{currency.lower()}"


def stripe_product_id(product_id: str) -> str:
    """The Stripe product id for a catalog product (Stripe accepts custom product ids)."""
    return PRODUCT_ID_PREFIX + product_id


def catalog_currencies(path: Path) -> list[str]:
    """The currencies every product in the catalog file has a price in, in file order."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["products"]
    common = [c for c in rows[0]["prices"] if all(c in row["prices"] for row in rows)]
    return common


def product_fields(product: Product, images: list[str]) -> dict:
    """The Stripe product fields the shop owns for one catalog product."""
    return {"name": product.title, "description": product.description, "images": images,
            "metadata": {"product_id": product.id, "category": product.category,
                         "rating": str(product.rating)}}


def existing_prices(client: stripe.StripeClient, keys: list[str]) -> dict[str, stripe.Price]:
    """The prices holding these lookup keys, by key (asked in batches of Stripe's limit)."""
    found: dict[str, stripe.Price] = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        batch = keys[start:start + LOOKUP_BATCH]
        page = client.v1.prices.list(params={"lookup_keys": batch, "limit": 100})
        found.update({price.lookup_key: price for price in page.data})
    return found


def ensure_product(client: stripe.StripeClient, product: Product, images: list[str],
                   report: SeedReport) -> str:
    """The Stripe product for a catalog product, created or brought up to date; returns its id."""
    wanted = product_fields(product, images)
    product_id = stripe_product_id(product.id)
    try:
        current = client.v1.products.retrieve(product_id)
    except stripe.InvalidRequestError as exc:
        if exc.http_status != 404:
            raise
        client.v1.products.create(params={"id": product_id, **wanted})
        report.created_products.append(product_id)
        return product_id
    same = (current.name == wanted["name"] and current.description == wanted["description"]
            and list(current.images) == images and current.active
            and all(current.metadata.to_dict().get(k) == v for k, v in wanted["metadata"].items()))
    if not same:
        client.v1.products.update(product_id, params={**wanted, "active": True})
        report.updated_products.append(product_id)
    return product_id


def seed_catalog(client: stripe.StripeClient, catalog_path: Path, image_urls,
                 currencies: list[str] | None = None) -> SeedReport:
    """Create or update the catalog's Products and one-time Prices (one per currency); image_urls(name)
    gives a product image's absolute URLs, or [] when Stripe could not fetch it."""
    currencies = currencies or catalog_currencies(catalog_path)
    catalogs = {c: load_catalog(catalog_path, c) for c in currencies}
    first = catalogs[currencies[0]]
    keys = [lookup_key(p.id, c) for p in first.products for c in currencies]
    prices = existing_prices(client, keys)
    report = SeedReport()
    for product in first.products:
        product_id = ensure_product(client, product, image_urls(product.image), report)
        for currency in currencies:
            priced = catalogs[currency].get(product.id)
            key = lookup_key(product.id, currency)
            current = prices.get(key)
            if (current is not None and current.unit_amount == priced.price and current.active
                    and current.currency == currency.lower()):
                report.unchanged_prices += 1
                continue
            created = client.v1.prices.create(params={
                "product": product_id, "currency": currency.lower(), "unit_amount": priced.price,
                "lookup_key": key, "transfer_lookup_key": True})
            report.created_prices.append(created.id)
            if current is not None and current.active:
                # The old amount must not be sold any more; Stripe prices cannot be deleted.
                client.v1.prices.update(current.id, params={"active": False})
    return report
