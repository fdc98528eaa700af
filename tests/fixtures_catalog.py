"""The shipped catalog (catalog/products.json) for tests: read once per currency, when a test
first asks for it, never at import."""
from __future__ import annotations

import functools

import pytest

from lib.config.settings import ROOT
from lib.shop.catalog import Catalog, load_catalog

SHIPPED_CATALOG = ROOT / "catalog" / "products.json"


@functools.cache
def shipped_catalog_in(currency: str = "INR") -> Catalog:
    """The shipped catalog priced in currency (INR, the page tests' STORE_CURRENCY, by default)."""
    return load_catalog(SHIPPED_CATALOG, currency)


@pytest.fixture(scope="session")
def shipped_catalog():
    """Factory: shipped_catalog(currency="INR") -> the shipped catalog, each currency read once."""
    return shipped_catalog_in
