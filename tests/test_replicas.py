"""Two sidecar replicas on one Firestore emulator, each with a DATA_DIR of its own: every event
delivered to both at once, several times each, makes one order."""
from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.replicas import (
    deliver_to_all,
    firestore_env,
    start_sidecars,
    stop_all,
)
from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.basket import Basket
from lib.catalog import load_catalog
from lib.checkout import start_checkout
from lib.identity import demo_sign_in
from lib.orders import PAID
from lib.settings import build_settings
from lib.stores.factory import make_order_store
from lib.stripe_client import make_stripe_client
from tests.fixtures_firestore import unique_project
from tests.fixtures_sandbox import complete_session

pytestmark = pytest.mark.firestore
SHOPPERS = [demo_sign_in(f"Replica shopper {n}", f"replica{n}@example.com") for n in range(4)]


def paid_sessions(sandbox, count: int, seed: int) -> list[tuple[str, str, int]]:
    """count sessions from varied baskets, paid with 4242: (session id, email, amount_total)."""
    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "SANDBOX_API_KEY": sandbox.api_key})
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    ids = [p.id for p in catalog.products]
    rng = random.Random(seed)
    baskets = [Basket({pid: rng.randint(1, 5) for pid in rng.sample(ids, rng.randint(1, 3))}, n)
               for n in range(count)]

    def one(n: int) -> tuple[str, str, int]:
        shopper = SHOPPERS[n % len(SHOPPERS)]
        session = start_checkout(client, baskets[n], catalog, shopper, settings)
        paid = complete_session(client, session.id)
        return session.id, shopper.email, paid.amount_total

    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(one, range(count)))


def replica_env(sandbox, emulator: str, **extra) -> dict:
    """What both sidecars are given: the sandbox, its signing secret, Firestore on the emulator."""
    return {"STRIPE_API_BASE": sandbox.url, "STRIPE_SECRET_KEY": "",
            "SANDBOX_API_KEY": sandbox.api_key, "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret,
            "APP_URL": "http://127.0.0.1:8501",
            **firestore_env(emulator, unique_project()), **extra}


def orders_by_session(env: dict) -> dict:
    """Every order the store holds for the test's shoppers, by session id (read via the port)."""
    store = make_order_store(build_settings(env))
    try:
        return {o.session_id: o for s in SHOPPERS for o in store.list_orders(s.email, limit=500)}
    finally:
        store.close()


def orders_created(sidecars) -> list[str]:
    """The session of every fulfilment that wrote an order, from all sidecars' output."""
    return [line.split()[4].rstrip(":") for s in sidecars for line in s.log().splitlines()
            if line.startswith("webhook => ") and ": order_created (" in line]


def expect_exactly(env: dict, sidecars, sessions, timeout: float = 90,
                   killed: bool = False) -> None:
    """Once the inboxes drain, one paid order per session at Stripe's amount, written once
    (a killed sidecar may have died between writing an order and printing that it did)."""
    expected = {session_id for session_id, _, _ in sessions}
    try:
        wait_until(lambda: set(orders_by_session(env)) >= expected, timeout, interval=0.5)
    except AssertionError:
        pass  # said below, with the numbers
    orders = orders_by_session(env)
    missing = expected - set(orders)
    assert not missing, f"{len(missing)} of {len(expected)} paid sessions have no order"
    assert set(orders) == expected
    for session_id, email, amount in sessions:
        assert (orders[session_id].email, orders[session_id].status) == (email, PAID)
        assert orders[session_id].amount == amount
    created = orders_created(sidecars)
    assert len(created) == len(set(created)), "an order was written twice"
    if not killed:
        assert set(created) == set(orders), created


def test_every_event_to_both_sidecars_three_times_each_makes_one_order(
        start_sandbox, firestore_emulator, tmp_path):
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="")
    sessions = paid_sessions(sandbox, 20, seed=3)
    env = replica_env(sandbox, firestore_emulator)
    sidecars = start_sidecars(2, tmp_path, tmp_path / "data", env)
    try:
        deliveries = [signed(checkout_event(session_id, email), sandbox.webhook_secret)
                      for session_id, email, _ in sessions]
        answers = deliver_to_all([s.url for s in sidecars], deliveries, copies=3)
        assert sum(answers.values()) == 20 * 2 * 3
        assert {status for status, _ in answers} == {200}, answers
        expect_exactly(env, sidecars, sessions)
    finally:
        stop_all(sidecars)
    assert all(s.proc.returncode is not None for s in sidecars)
