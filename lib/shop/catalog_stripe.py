"""The catalog read from a Stripe account's active Products and Prices (CATALOG_SOURCE=stripe)."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

import stripe

from lib.shop.catalog import Catalog, CatalogError, Product
from lib.shop.catalog_seed import lookup_key

log = logging.getLogger(__name__)
PLACEHOLDER_IMAGE = "placeholder.svg"


class EmptyCatalogError(CatalogError):
    """Stripe answered, but has nothing the shop can sell in its currency (not seeded yet)."""


def _image_name(product: stripe.Product, images_dir: Path) -> str:
    """The shipped image file named by the product's first image URL, else the placeholder."""
    for url in product.images or []:
        name = unquote(Path(urlparse(url).path).name)
        if name and (images_dir / name).is_file():
            return name
    return PLACEHOLDER_IMAGE


def _rating(raw: str | None) -> float:
    """metadata.rating as a number from 0 to 5 (0 when absent or not a number)."""
    try:
        value = float(raw or 0)
    except ValueError:
        return 0.0
    return value if 0 <= value <= 5 else 0.0


def _pick_price(prices: list[stripe.Price], shop_id: str, currency: str) -> stripe.Price:
    """The seeded price (by its lookup key) when there is one, else the newest (listed first)."""
    key = lookup_key(shop_id, currency)
    return next((p for p in prices if p.lookup_key == key), prices[0])


def to_product(product: stripe.Product, price: stripe.Price, currency: str,
               images_dir: Path) -> Product:
    """A shop Product from a Stripe Product and its Price (text is kept as data, never markup)."""
    metadata = product.metadata.to_dict() if product.metadata else {}
    shop_id = metadata.get("product_id") or product.id
    return Product(shop_id, product.name, product.description or "",
                   metadata.get("category") or "Other", _rating(metadata.get("rating")),
                   price.unit_amount, currency, _image_name(product, images_dir), price.id)


def load_stripe_catalog(client: stripe.StripeClient, currency: str, images_dir: Path) -> Catalog:
    """The active Products that have an active one-time Price in currency, oldest first (the
    order they were seeded in); the others are left out with a log line. Raises CatalogError."""
    try:
        products = list(client.v1.products.list(params={"active": True, "limit": 100})
                        .auto_paging_iter())
        prices = list(client.v1.prices.list(params={
            "active": True, "currency": currency.lower(), "type": "one_time", "limit": 100})
            .auto_paging_iter())
    except stripe.StripeError as exc:
        raise CatalogError(f"Could not read the catalog from Stripe: {exc.user_message or exc}. "
                           "Check STRIPE_SECRET_KEY, or set CATALOG_SOURCE=file.") from exc
    by_product: dict[str, list[stripe.Price]] = {}
    for price in prices:
        if price.unit_amount and price.unit_amount > 0:
            by_product.setdefault(price.product, []).append(price)
    found: list[Product] = []
    for product in reversed(products):
        shop_id = (product.metadata.to_dict() if product.metadata else {}).get("product_id") or product.id
        candidates = by_product.get(product.id)
        if not candidates:
            log.warning("catalog from Stripe: product %s (%r) left out: no active price in %s",
                        product.id, product.name, currency)
            continue
        if any(p.id == shop_id for p in found):
            log.warning("catalog from Stripe: product %s left out: shop id %r used twice",
                        product.id, shop_id)
            continue
        found.append(to_product(product, _pick_price(candidates, shop_id, currency), currency,
                                images_dir))
    if not found:
        raise EmptyCatalogError(f"Stripe has no active product with an active price in {currency}. "
                           "Run `python run.py seed` to load catalog/products.json into it, or "
                           "set CATALOG_SOURCE=file.")
    return Catalog(tuple(found), currency, images_dir)
