"""Everything a running app needs, built once from settings at the edge and passed down."""
from __future__ import annotations

from dataclasses import dataclass

import stripe

from lib.catalog import Catalog, load_catalog
from lib.private_files import private_dir
from lib.settings import Settings
from lib.stores.base import OrderStore
from lib.stores.baskets import BasketStore
from lib.stores.sign_outs import SignOutStore
from lib.stores.webhook_log import WebhookLog
from lib.stripe_client import make_stripe_client


@dataclass
class Services:
    """The app's collaborators: settings, catalog, the store ports and the Stripe client."""

    settings: Settings
    catalog: Catalog
    baskets: BasketStore
    orders: OrderStore
    webhook_log: WebhookLog
    stripe: stripe.StripeClient
    cookie_secret: bytes
    sign_outs: SignOutStore


def build_services(settings: Settings) -> Services:
    """Load the catalog, open the stores and make the Stripe client for these settings."""
    from lib.stores import factory  # the Firestore SDK loads only if settings choose it

    private_dir(settings.data_dir)
    return Services(
        settings=settings,
        catalog=load_catalog(settings.catalog_path, settings.store_currency),
        baskets=factory.make_basket_store(settings),
        orders=factory.make_order_store(settings),
        webhook_log=factory.make_webhook_log(settings),
        stripe=make_stripe_client(settings),
        cookie_secret=factory.cookie_secret(settings),
        sign_outs=factory.make_sign_out_store(settings),
    )
