"""Paid Checkout Sessions in a running sandbox, and signed checkout.session.completed events for them."""
from __future__ import annotations

import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import stripe

from bench.loadgen import Delivery
from bench.servers import SECRET
from harness.webhook_signing import signature_header
from lib.checkout.session import build_session_params
from lib.config.settings import Settings
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper

SHOPPERS = [demo_shopper(f"Shopper {n}", f"shopper{n}@example.com") for n in range(20)]
BASKETS = [{"aurora-kettle": 1, "comet-skipping-rope": 2}, {"pebblecell-power-bank": 3},
           {"aurora-wireless-headphones": 1, "the-lantern-cartographer": 1}]


def paid_sessions(client: stripe.StripeClient, settings: Settings, count: int,
                  threads: int = 6) -> list[dict]:
    """count sessions created from baskets as the app does, each paid with 4242; the sessions
    as the payment left them (what a checkout.session.completed event carries)."""
    catalog = load_catalog(settings.catalog_path, settings.store_currency)

    def one(n: int) -> dict:
        shopper = SHOPPERS[n % len(SHOPPERS)]
        params = build_session_params(Basket(BASKETS[n % len(BASKETS)], n), catalog, shopper,
                                      settings)
        session = client.v1.checkout.sessions.create(params)
        paid = client.raw_request("post",
                                  f"/v1/test_helpers/checkout/sessions/{session.id}/complete")
        return json.loads(paid.body)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(count)))


def completed_event(session: dict) -> bytes:
    """A Stripe-shaped checkout.session.completed event body with a fresh event id."""
    return json.dumps({
        "id": "evt_" + secrets.token_hex(12), "object": "event",
        "api_version": stripe.api_version, "created": int(time.time()),
        "data": {"object": session}, "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed"}, indent=2).encode()


def deliveries(sessions: list[dict]) -> list[Delivery]:
    """One freshly signed delivery of a new event per session."""
    now = int(time.time())
    out = []
    for session in sessions:
        body = completed_event(session)
        out.append(Delivery(body, signature_header(body, SECRET, now)))
    return out


def emails(sessions: list[dict]) -> set[str]:
    """The shoppers the sessions' orders are filed under."""
    return {s["metadata"]["email"] for s in sessions}
