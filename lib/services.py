"""Everything a running app needs, built once from settings at the edge and passed down."""
from __future__ import annotations

from dataclasses import dataclass

import stripe

from lib.catalog import Catalog, load_catalog
from lib.identity import load_or_create_secret
from lib.private_files import private_dir
from lib.settings import Settings
from lib.stores.base import OrderStore
from lib.stores.sqlite_baskets import SqliteBasketStore
from lib.stripe_client import make_stripe_client


@dataclass
class Services:
    """The app's collaborators: settings, catalog, stores and the Stripe client."""

    settings: Settings
    catalog: Catalog
    baskets: SqliteBasketStore
    orders: OrderStore
    stripe: stripe.StripeClient
    cookie_secret: bytes


def build_services(settings: Settings) -> Services:
    """Load the catalog, open the stores and make the Stripe client for these settings."""
    from lib.stores.factory import make_order_store  # the Firestore SDK loads only if chosen

    private_dir(settings.data_dir)
    return Services(
        settings=settings,
        catalog=load_catalog(settings.catalog_path, settings.store_currency),
        baskets=SqliteBasketStore(settings.data_dir / "baskets.sqlite3"),
        orders=make_order_store(settings),
        stripe=make_stripe_client(settings),
        cookie_secret=load_or_create_secret(settings.data_dir),
    )
