"""The product catalog: loaded from JSON, validated row by row, prices kept as integer minor units."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lib.shop.money import MoneyError, to_minor

# Where the app serves the repository's static/products/ (Streamlit's server.enableStaticServing):
# the shop's pictures and the ones Stripe's checkout page shows.
STATIC_IMAGES_PATH = "/app/static/products/"
REQUIRED = ("id", "title", "description", "category", "rating", "prices", "image")
SORTS = {
    "Featured": (lambda p: 0, False),
    "Price: low to high": (lambda p: p.price, False),
    "Price: high to low": (lambda p: p.price, True),
    "Rating": (lambda p: p.rating, True),
}


class CatalogError(ValueError):
    """A catalog file that cannot be used, naming the file, the product and the field."""


@dataclass(frozen=True)
class Product:
    """A product as the shop sells it, priced in the store currency's minor units."""

    id: str
    title: str
    description: str
    category: str
    rating: float
    price: int
    currency: str
    image: str
    price_id: str = ""  # the Stripe Price checkout charges, when the catalog came from Stripe


@dataclass(frozen=True)
class Catalog:
    """All products, in file order, with lookups by id."""

    products: tuple[Product, ...]
    currency: str
    images_dir: Path

    def get(self, product_id: str) -> Product | None:
        """The product with this id, or None."""
        return self._by_id().get(product_id)

    def _by_id(self) -> dict[str, Product]:
        # Built on first use and kept: the catalog is immutable once loaded.
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {p.id: p for p in self.products}
            object.__setattr__(self, "_index", cached)
        return cached

    @property
    def categories(self) -> list[str]:
        """Category names in first-seen order."""
        return list(dict.fromkeys(p.category for p in self.products))

    def image_path(self, product: Product) -> Path:
        """The image file shipped in the repo for a product."""
        return self.images_dir / product.image

    def search(self, text: str = "", category: str | None = None,
               sort: str = "Featured") -> list[Product]:
        """Products matching words in title/description/category, in a category, sorted."""
        words = text.lower().split()
        found = [
            p for p in self.products
            if (category in (None, "", "All") or p.category == category)
            and all(w in f"{p.title} {p.description} {p.category}".lower() for w in words)
        ]
        key, reverse = SORTS.get(sort, SORTS["Featured"])
        return sorted(found, key=key, reverse=reverse)


def _fail(path: Path, product: str, field: str, why: str) -> CatalogError:
    """Build the error that names file, product and field."""
    return CatalogError(f"{path}: product {product}: field {field!r} {why}")


def parse_product(row: object, index: int, currency: str, path: Path) -> Product:
    """Validate one catalog row and build its Product."""
    if not isinstance(row, dict):
        raise CatalogError(f"{path}: product #{index + 1} is not an object")
    label = repr(row.get("id")) if isinstance(row.get("id"), str) else f"#{index + 1}"
    for name in REQUIRED:
        if name not in row:
            raise _fail(path, label, name, "is missing")
    for name in ("id", "title", "description", "category", "image"):
        if not isinstance(row[name], str) or not row[name].strip():
            raise _fail(path, label, name, "must be a non-empty string")
    rating = row["rating"]
    if isinstance(rating, bool) or not isinstance(rating, (int, float)) or not 0 <= rating <= 5:
        raise _fail(path, label, "rating", f"must be a number from 0 to 5, got {rating!r}")
    prices = row["prices"]
    if not isinstance(prices, dict) or currency not in prices:
        raise _fail(path, label, f"prices.{currency}", "is missing for the store currency")
    raw = prices[currency]
    if not isinstance(raw, str):
        raise _fail(path, label, f"prices.{currency}",
                    f"must be a decimal string such as \"19.99\", got {raw!r}")
    try:
        price = to_minor(raw, currency)
    except MoneyError as exc:
        raise _fail(path, label, f"prices.{currency}", str(exc)) from None
    if price <= 0:
        raise _fail(path, label, f"prices.{currency}", f"must be positive, got {raw!r}")
    return Product(row["id"], row["title"].strip(), row["description"].strip(),
                   row["category"].strip(), float(rating), price, currency, row["image"])


def load_catalog(path: Path, currency: str, images_dir: Path | None = None) -> Catalog:
    """Load and validate a catalog file for one store currency (raises CatalogError)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc})") from None
    rows = data.get("products") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise CatalogError(f"{path}: needs a non-empty \"products\" list")
    products = [parse_product(row, i, currency, path) for i, row in enumerate(rows)]
    seen: set[str] = set()
    for product in products:
        if product.id in seen:
            raise _fail(path, repr(product.id), "id", "is used by more than one product")
        seen.add(product.id)
    images = images_dir or path.parent.parent / "static" / "products"
    return Catalog(tuple(products), currency, images)
