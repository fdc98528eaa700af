"""Two sidecar replicas on one Firestore emulator, each with a DATA_DIR of its own: every event
delivered to both at once, several times each, makes one order; one replica killed with kill -9
mid-burst of 100 payments, its deliveries retried on the survivor, loses none and doubles none."""
from __future__ import annotations

import json
import os
import random
import re
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.replicas import (
    Failover,
    deliver_to_all,
    deliver_with_failover,
    firestore_env,
    start_sidecars,
    stop_all,
)
from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.checkout.session import start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_inbox, make_order_store
from lib.stores.inbox import InboxState
from tests.fixtures_firestore import unique_project
from tests.fixtures_sandbox import complete_session

pytestmark = pytest.mark.firestore
SHOPPERS = [demo_shopper(f"Replica shopper {n}", f"replica{n}@example.com") for n in range(4)]


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


def event_id(delivery: tuple[bytes, dict]) -> str:
    """The event id of a signed delivery."""
    return json.loads(delivery[0])["id"]


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


# Searched anywhere in the output: two threads printing at once can share a line.
FULFILMENT = re.compile(r"webhook => \S+ (evt_\w+) (cs_\w+): (\w+) \(")


def fulfilment_lines(sidecars) -> list[tuple[str, str, str]]:
    """(event id, session id, outcome) of every fulfilment the sidecars printed."""
    return [m.groups() for sidecar in sidecars for m in FULFILMENT.finditer(sidecar.log())]


def drained(env: dict, event_ids: set[str]) -> bool:
    """Whether the inbox (in Firestore: one for both sidecars) has settled every event."""
    inbox = make_inbox(build_settings(env))
    try:
        return all(inbox.get(e).state in (InboxState.FULFILLED, InboxState.FAILED)
                   for e in event_ids)
    finally:
        inbox.close()


def expect_exactly(env: dict, sidecars, sessions, event_ids: set[str], timeout: float = 90,
                   killed: bool = False) -> None:
    """Once the inbox drains, one paid order per session at Stripe's amount, written once (a
    killed sidecar may have died between settling an event and printing that it did)."""
    wait_until(lambda: drained(env, event_ids), timeout, interval=0.5)
    if not killed:  # the line follows the settled state by a moment
        wait_until(lambda: {e for e, _, _ in fulfilment_lines(sidecars)} >= event_ids, 10)
    orders = orders_by_session(env)
    expected = {session_id for session_id, _, _ in sessions}
    missing = expected - set(orders)
    assert not missing, f"{len(missing)} of {len(expected)} paid sessions have no order"
    assert set(orders) == expected
    for session_id, email, amount in sessions:
        assert (orders[session_id].email, orders[session_id].status) == (email, OrderStatus.PAID)
        assert orders[session_id].amount == amount
    created = [s for _, s, outcome in fulfilment_lines(sidecars) if outcome == "order_created"]
    assert len(created) == len(set(created)), "an order was written twice"
    if not killed:
        assert set(created) == expected, created


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
        # One inbox in Firestore: each event is stored once, by whichever sidecar came first.
        assert answers[(200, "queued")] == 20, answers
        expect_exactly(env, sidecars, sessions, {event_id(d) for d in deliveries})
    finally:
        stop_all(sidecars)
    assert all(s.proc.returncode is not None for s in sidecars)


def test_kill_9_of_one_sidecar_mid_burst_of_100_loses_no_order_and_doubles_none(
        start_sandbox, firestore_emulator, tmp_path):
    # Stripe answers in ~150 ms, so when the kill lands the victim holds events it has
    # answered 200 for but not fulfilled: the survivor must take them over from Firestore.
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="", SANDBOX_LATENCY_MS="150")
    sessions = paid_sessions(sandbox, 100, seed=5)
    env = replica_env(sandbox, firestore_emulator, INBOX_LEASE_SECONDS="2")
    sidecars = start_sidecars(2, tmp_path, tmp_path / "data", env)
    victim, survivor = sidecars
    try:
        deliveries = [signed(checkout_event(session_id, email), sandbox.webhook_secret)
                      for session_id, email, _ in sessions]
        seen = Failover()
        burst = ThreadPoolExecutor(1).submit(
            deliver_with_failover, [victim.url, survivor.url], deliveries, result=seen)
        wait_until(lambda: len(seen.answered(victim.url)) >= 20, timeout=30, interval=0.01)
        os.killpg(victim.proc.pid, signal.SIGKILL)
        victim.proc.wait(10)
        answered_by_victim = set(seen.answered(victim.url))
        done_at_kill = orders_by_session(env)
        burst.result(timeout=180)
        # The kill really hit mid-burst: deliveries to the dead replica failed and went to the
        # survivor, and some events the victim had accepted were not yet orders.
        assert any(url == victim.url for url, _ in seen.failed_tries), seen.failed_tries
        assert len(seen.answered(survivor.url)) > 50
        unfinished = {sessions[i][0] for i in answered_by_victim} - set(done_at_kill)
        assert unfinished, "the victim had fulfilled everything it accepted before the kill"
        expect_exactly(env, sidecars, sessions, {event_id(d) for d in deliveries},
                       timeout=120, killed=True)
    finally:
        stop_all(sidecars)
