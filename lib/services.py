"""Everything a running app needs, built once from settings at the edge and passed down."""
from __future__ import annotations

import time
from dataclasses import dataclass

import stripe

from lib.checkout.session import image_urls
from lib.config.private_files import private_dir
from lib.config.settings import Settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.catalog import Catalog, CatalogError, load_catalog
from lib.shop.catalog_cache import CatalogCache, FixedCatalog
from lib.shop.catalog_seed import seed_catalog
from lib.shop.catalog_stripe import EmptyCatalogError, load_stripe_catalog
from lib.stores.baskets import BasketStore
from lib.stores.inbox import Inbox
from lib.stores.orders import OrderStore
from lib.stores.sign_outs import SignOutStore
from lib.stores.webhook_log import WebhookLog


@dataclass
class Services:
    """The app's collaborators: settings, catalog source, the store ports and the Stripe client."""

    settings: Settings
    catalogs: FixedCatalog | CatalogCache
    baskets: BasketStore
    orders: OrderStore
    webhook_log: WebhookLog
    stripe: stripe.StripeClient
    cookie_key: bytes
    sign_outs: SignOutStore
    inbox: Inbox | None = None  # the sidecar's webhook inbox, read by the inspector

    @property
    def catalog(self) -> Catalog:
        """The catalog to serve now (from Stripe: re-read once older than CATALOG_TTL)."""
        return self.catalogs.current()


def make_catalogs(settings: Settings, client: stripe.StripeClient,
                  clock=time.monotonic) -> FixedCatalog | CatalogCache:
    """The catalog source CATALOG_SOURCE names: the file, or the account's Products and Prices."""
    if settings.catalog_source == "stripe":
        images = settings.catalog_path.parent.parent / "static" / "products"
        cache = CatalogCache(lambda: load_stripe_catalog(client, settings.store_currency, images),
                             settings.catalog_ttl, clock)
        try:
            cache.current()  # fail at start, with the fix, when Stripe has no catalog
        except EmptyCatalogError:
            if settings.stripe_mode != "sandbox":
                raise  # a real account is the learner's: `python run.py seed` is their choice
            # The demo's first start: the local sandbox is empty, so fill it from the file
            # (idempotent, as `python run.py seed`). Later starts find it seeded and leave
            # whatever the presenter archived archived.
            try:
                seed_catalog(client, settings.catalog_path,
                             lambda image: image_urls(settings, image), [settings.store_currency])
            except stripe.StripeError as exc:
                raise CatalogError(f"Could not seed the sandbox's catalog: {exc.user_message or exc}. "
                                   "Run `python run.py seed`, or set CATALOG_SOURCE=file.") from exc
            cache.refresh()
        return cache
    return FixedCatalog(load_catalog(settings.catalog_path, settings.store_currency))


def build_services(settings: Settings) -> Services:
    """Load the catalog, open the stores and make the Stripe client for these settings."""
    from lib.stores import factory  # the Firestore SDK loads only if settings choose it

    private_dir(settings.data_dir)
    client = make_stripe_client(settings)
    return Services(
        settings=settings,
        catalogs=make_catalogs(settings, client),
        baskets=factory.make_basket_store(settings),
        orders=factory.make_order_store(settings),
        webhook_log=factory.make_webhook_log(settings),
        stripe=client,
        cookie_key=factory.cookie_key(settings),
        sign_outs=factory.make_sign_out_store(settings),
        inbox=factory.make_inbox(settings),
    )
