"""Demo data for a fresh workshop: real sandbox purchases spread over past weeks, removable.

Each purchase takes the path a shopper's does: a Checkout Session made by start_checkout from a
basket, paid through the sandbox's test helper, its webhook delivered to the sidecar, which
records the order. Before it is paid, the sandbox's own backdating helper moves the session
into the past, so its events, and so the order, carry a past time. Each session carries demo
data's metadata, so its order is marked demo (Order.demo): that mark, never an address, is what
is counted and removed. Generated shoppers have addresses at GENERATED_DOMAIN, where they meet
no real shopper's basket; a real shopper who signs in there keeps their orders.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import stripe

from lib.checkout.session import CheckoutError, start_checkout
from lib.clock import utc_now
from lib.config.settings import Settings
from lib.orders.model import Order
from lib.shop.basket import Basket
from lib.shop.catalog import Catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.orders import OrderStore

__all__ = ["GENERATED_DOMAIN", "create_purchases", "count_generated", "remove_generated",
           "generated_emails", "DemoRun", "DemoDataError"]

GENERATED_DOMAIN = "generated.example.com"
SHOPPERS = ("Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Linus", "Margaret")
TEST_CARD = "4242424242424242"
MAX_PURCHASES = 200


class DemoDataError(Exception):
    """Demo data cannot be made here (not the sandbox, or the sandbox refused); says why."""


@dataclass(frozen=True)
class DemoRun:
    """What one press of the button did: sessions paid, and how many orders are recorded."""

    paid: int
    recorded: int

    @property
    def complete(self) -> bool:
        """Whether every paid session has become an order."""
        return self.paid == self.recorded


def generated_emails() -> list[str]:
    """The generated shoppers' addresses (the only ones demo data uses)."""
    return [f"{name.lower()}@{GENERATED_DOMAIN}" for name in SHOPPERS]


def _basket(catalog: Catalog, rng: random.Random) -> Basket:
    """One to three products, one to three of each; a random version keeps each session new."""
    chosen = rng.sample(catalog.products, rng.randint(1, min(3, len(catalog.products))))
    return Basket({p.id: rng.randint(1, 3) for p in chosen}, rng.randrange(1, 2**31))


def _helper(client: stripe.StripeClient, session_id: str, action: str, **params) -> None:
    """One call to a sandbox test helper for a session, through the SDK like any other call."""
    path = f"/v1/test_helpers/checkout/sessions/{quote_plus(session_id)}/{action}"
    try:
        client.raw_request("post", path, **params)
    except stripe.StripeError as exc:
        raise DemoDataError(f"the sandbox refused to {action} {session_id}: "
                            f"{exc.user_message or exc}") from exc


def create_purchases(settings: Settings, client: stripe.StripeClient, catalog: Catalog,
                     orders: OrderStore, count: int, weeks: int = 4,
                     rng: random.Random | None = None,
                     clock: Callable[[], datetime] = utc_now, wait: float = 15.0,
                     progress: Callable[[int, int], None] | None = None) -> DemoRun:
    """Make count purchases dated over the past weeks; wait up to `wait` s for their orders."""
    if settings.stripe_mode != "sandbox":
        raise DemoDataError("Demo data is made only in the local sandbox (no STRIPE_SECRET_KEY).")
    if not 1 <= count <= MAX_PURCHASES or not 1 <= weeks <= 12:
        raise DemoDataError(f"Make 1-{MAX_PURCHASES} purchases over 1-12 weeks.")
    rng = rng or random.Random()
    now = clock()
    paid: list[tuple[str, str]] = []
    for n in range(count):
        name = SHOPPERS[rng.randrange(len(SHOPPERS))]
        shopper = demo_shopper(f"{name} (generated)", f"{name.lower()}@{GENERATED_DOMAIN}")
        try:
            session = start_checkout(client, _basket(catalog, rng), catalog, shopper, settings,
                                     demo=True)
        except CheckoutError as exc:
            raise DemoDataError(f"checkout failed: {exc}") from exc
        # At least an hour ago, so no generated order lands in the live "last hour" view.
        moment = now - timedelta(seconds=rng.randint(3600, weeks * 7 * 24 * 3600))
        _helper(client, session.id, "backdate", created=str(int(moment.timestamp())))
        _helper(client, session.id, "complete", card=TEST_CARD)
        paid.append((shopper.email, session.id))
        if progress:
            progress(n + 1, count)
    return DemoRun(len(paid), _wait_for_orders(orders, paid, wait))


def _wait_for_orders(orders: OrderStore, paid: list[tuple[str, str]], wait: float) -> int:
    """How many of the paid sessions have an order, polling until all do or `wait` s pass."""
    deadline = time.monotonic() + wait
    missing = list(paid)
    while missing:
        missing = [key for key in missing if orders.get_order(*key) is None]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return len(paid) - len(missing)


def _demo_orders(orders: OrderStore) -> list[Order]:
    """Every stored order carrying demo data's mark (the generator files them under the
    generated shoppers only), read page by page."""
    found = []
    for email in generated_emails():
        page = orders.page_orders(email, limit=100)
        while True:
            found += [order for order in page.orders if order.demo]
            if page.next_cursor is None:
                break
            page = orders.page_orders(email, limit=100, after=page.next_cursor)
    return found


def count_generated(orders: OrderStore) -> int:
    """How many stored orders carry demo data's mark."""
    return len(_demo_orders(orders))


def remove_generated(orders: OrderStore) -> int:
    """Delete every order carrying demo data's mark (an order without it, whatever its
    address, is never touched); how many."""
    doomed = _demo_orders(orders)
    for order in doomed:
        orders.delete_order(order.email, order.session_id)
    return len(doomed)
