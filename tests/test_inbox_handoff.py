"""The sidecar owns the events it stores: inserted already leased to it and handed to its
workers in memory, fulfilled with no claim; duplicates answered from memory with no store call,
or across replicas by the failed insert alone; polling still takes what the hand-off cannot."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.inbox import SqliteInbox
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.webhooks.events import Verdict, WebhookOutcome
from lib.webhooks.handoff import Handoff
from lib.webhooks.intake import accept_webhook
from lib.webhooks.workers import InboxWorkers, RetryPolicy
from tests.counting_stores import CountingConnection, CountingInbox
from tests.fixtures_firestore import unique_project
from tests.fixtures_sandbox import paid_session
from webhook_server import shutdown

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")
STORES = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]
T0 = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def stores(kind: str, request, tmp_path):
    """(order store, inbox, webhook log, connection): real adapters of one kind; on Firestore
    all three share one CountingConnection, which counts their requests."""
    if kind == "sqlite":
        return (SqliteOrderStore(tmp_path / "orders.sqlite3"),
                SqliteInbox(tmp_path / "inbox.sqlite3"),
                SqliteWebhookLog(tmp_path / "log.sqlite3"), None)
    from lib.stores.firestore.inbox import FirestoreInbox
    from lib.stores.firestore.orders import FirestoreOrderStore
    from lib.stores.firestore.webhook_log import FirestoreWebhookLog

    conn = CountingConnection(project=unique_project(),
                              emulator_host=request.getfixturevalue("firestore_emulator"))
    return (FirestoreOrderStore(connection=conn), FirestoreInbox(conn),
            FirestoreWebhookLog(conn), conn)


@pytest.fixture
def sidecar(request, sidecar_app, start_sandbox, tmp_path):
    """make(kind, inbox=None) -> (app, client, counting inbox, order store, connection): the
    real sidecar app on real stores, Stripe played by a sandbox, polls only at start; and
    deliveries(n): n signed events of freshly paid sessions."""
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="")
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_API_BASE": sandbox.url,
                               "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret,
                               "INBOX_POLL_SECONDS": "60"})
    client = make_stripe_client(settings)
    made = {"apps": []}

    def make(kind: str, share_with=None):
        """A sidecar on fresh stores of kind, or on the same stores as share_with (a replica)."""
        order_store, inbox, log, conn = share_with or stores(kind, request, tmp_path)
        made.setdefault("stores", (order_store, inbox, log, conn))
        counting = CountingInbox(inbox)
        # Room in memory for every delivery a test sends in a row, so whether an event is
        # handed over does not depend on how soon the two workers free up on a busy machine.
        counting.handoff_per_worker = 8
        app = sidecar_app(settings, store=order_store, stripe_client=client, event_log=log,
                          inbox=counting, worker_threads=2)
        made["apps"].append(app)
        # The workers' first poll, at start, for what a crashed process left: then none for
        # a minute, so every later claim would be this test's.
        wait_until(lambda: counting.calls["claim"] == 2, timeout=60)
        return app, app.test_client(), counting, order_store, conn

    def deliveries(count: int) -> list:
        """count (body, headers) deliveries of new events for newly paid sessions."""
        catalog = load_catalog(settings.catalog_path, settings.store_currency)
        return [signed(checkout_event(paid_session(client, catalog, settings, n).id,
                                      SHOPPER.email), sandbox.webhook_secret)
                for n in range(count)]

    yield make, deliveries, made
    for app in made["apps"]:
        shutdown(app)  # before its stores close
    if "stores" in made:
        for part in made["stores"][:3]:
            part.close()


def fulfilled(inbox, bodies) -> bool:
    """Whether every event of these bodies is fulfilled."""
    events = [inbox.get(json.loads(body)["id"]) for body in bodies]
    return all(event is not None and event.state == "fulfilled" for event in events)


@pytest.mark.parametrize("kind", STORES)
def test_an_event_this_sidecar_stores_is_fulfilled_with_no_claim(kind, sidecar):
    make, deliveries, _ = sidecar
    app, client, inbox, orders, conn = make(kind)
    sent = deliveries(5)
    before = dict(conn.requests) if conn else {}
    for body, headers in sent:
        assert client.post("/webhook", data=body, headers=headers).get_json()["outcome"] == \
            "queued"
    answering = conn.requests["request"] - before.get("request", 0) if conn else 0
    wait_until(lambda: orders.count_orders(SHOPPER.email) == 5, timeout=30)
    wait_until(lambda: fulfilled(inbox.inner, [body for body, _ in sent]), timeout=60)
    calls = dict(inbox.calls)
    assert calls["add_claimed"] == 5 and "claim_taken" not in calls  # no claim took one
    assert "add" not in calls
    polls = calls["claim"] - 2  # idle polls after the two at start-up (none within a minute)
    if kind == "sqlite":  # two files: the order, then the event's settle
        assert calls["fulfilled"] == 5
    else:  # one batch each: the order's create and the event's settle
        assert calls["fulfilled_with_order"] == 5 and "fulfilled" not in calls
        # Per event: its create on the answer's path; the order's read and the one batch.
        assert answering == 5
        assert conn.requests["worker"] - before.get("worker", 0) == 10 + polls
        assert 1 <= conn.requests["log"] - before.get("log", 0) <= 5


@pytest.mark.parametrize("kind", STORES)
def test_a_duplicate_is_answered_from_memory_with_no_store_call(kind, sidecar):
    make, deliveries, _ = sidecar
    app, client, inbox, orders, conn = make(kind)
    [(body, headers)] = deliveries(1)
    assert client.post("/webhook", data=body, headers=headers).get_json()["outcome"] == "queued"
    wait_until(lambda: fulfilled(inbox.inner, [body]), timeout=30)
    calls, requests = dict(inbox.calls), dict(conn.requests) if conn else {}
    for _ in range(3):
        answer = client.post("/webhook", data=body, headers=headers).get_json()
        assert answer["outcome"] == "already_recorded"
    assert dict(inbox.calls) == calls  # not one inbox call for the three
    if conn:
        assert conn.requests["request"] == requests["request"]  # and no Firestore request
    assert orders.count_orders(SHOPPER.email) == 1


@pytest.mark.parametrize("kind", STORES)
def test_a_replica_answers_a_duplicate_by_its_failed_insert_alone(kind, sidecar):
    make, deliveries, made = sidecar
    _, first, first_inbox, orders, conn = make(kind)
    [(body, headers)] = deliveries(1)
    assert first.post("/webhook", data=body, headers=headers).get_json()["outcome"] == "queued"
    _, second, second_inbox, _, _ = make(kind, share_with=made["stores"])
    requests = conn.requests["request"] if conn else 0
    answer = second.post("/webhook", data=body, headers=headers).get_json()
    assert answer["outcome"] == "already_recorded"
    assert {name: n for name, n in second_inbox.calls.items() if name != "claim"} == {
        "add_claimed": 1}  # the insert that failed, and no read
    if conn:
        assert conn.requests["request"] == requests + 1
    wait_until(lambda: fulfilled(first_inbox.inner, [body]), timeout=30)
    assert orders.count_orders(SHOPPER.email) == 1


def body(event_id: str) -> bytes:
    """A stored event body."""
    return json.dumps({"id": event_id, "type": "checkout.session.completed"}).encode()


def test_a_handed_claim_whose_lease_ran_out_is_left_to_the_poll(tmp_path):
    """The claim waited in memory past its lease (a backlog, a pause): the worker does not run
    it, a poll takes the event, and it is fulfilled once."""
    inbox, handled = SqliteInbox(tmp_path / "inbox.sqlite3"), []
    claim = inbox.add_claimed("evt_1", "checkout.session.completed", "cs_1", body("evt_1"), T0,
                              30, "owner")
    later = T0 + timedelta(seconds=31)

    def handle(event, create_order):
        handled.append(event["id"])
        return Verdict(WebhookOutcome.ORDER_CREATED, "paid")

    pool = InboxWorkers(inbox, handle, threads=1, clock=lambda: later, idle_seconds=0.05)
    pool.handoff.hand(claim)
    pool.start()
    try:
        wait_until(lambda: inbox.get("evt_1").state == "fulfilled", timeout=60)
    finally:
        pool.stop()
    assert handled == ["evt_1"] and inbox.get("evt_1").attempts == 2


def test_stopping_gives_back_the_claims_never_started(tmp_path):
    """Claims still waiting in memory at a clean stop go back to the inbox due at once, so the
    next process takes them now, not when their leases run out."""
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    pool = InboxWorkers(inbox, lambda event, create_order: None, threads=0, clock=lambda: T0)
    for n in range(3):
        pool.handoff.hand(inbox.add_claimed(f"evt_{n}", "checkout.session.completed", "cs_1",
                                            body(f"evt_{n}"), T0, 60, "owner"))
    pool.stop()
    assert {inbox.get(f"evt_{n}").state for n in range(3)} == {"retrying"}
    assert not pool.handoff.has_room()
    taken = [inbox.claim(T0, 60, "next") for _ in range(3)]
    assert sorted(claim.event.event_id for claim in taken) == ["evt_0", "evt_1", "evt_2"]


def test_a_pool_keeps_at_most_one_claim_waiting_per_worker_on_sqlite(tmp_path):
    """Past the inbox's handoff_per_worker (SQLite's: one) waiting claims per worker thread,
    new events go to the inbox for any process's poll, so one process's workers are not left
    with a burst while another's are idle."""
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    pool = InboxWorkers(inbox, lambda event, create_order: None, threads=2, clock=lambda: T0)
    for n in range(2):
        assert pool.handoff.has_room()
        pool.handoff.hand(inbox.add_claimed(f"evt_{n}", "checkout.session.completed", "cs_1",
                                            body(f"evt_{n}"), T0, 60, "owner"))
    assert not pool.handoff.has_room()


def test_with_no_room_in_memory_the_event_is_stored_for_a_poll(tmp_path):
    secret = "whsec_test_handoff"
    inbox, handoff = SqliteInbox(tmp_path / "inbox.sqlite3"), Handoff(30, size=0)
    payload, headers = signed(checkout_event("cs_test_1"), secret)
    verdict = accept_webhook(payload, headers["Stripe-Signature"], secret, inbox,
                             handoff=handoff)
    assert verdict.outcome == WebhookOutcome.QUEUED
    stored = inbox.get(verdict.event_id)
    assert (stored.state, stored.attempts) == ("received", 0)
    assert handoff.next(poll_at=float("inf")) == (None, True)  # a worker polls at once
    assert inbox.claim(datetime.now(UTC), 30, "poller").event.event_id == verdict.event_id


def test_a_poll_comes_when_due_even_behind_a_stream_of_handed_claims():
    handoff = Handoff(30)
    handoff.hand("first")
    assert handoff.next(poll_at=float("inf")) == ("first", False)
    handoff.hand("second")
    assert handoff.next(poll_at=0.0) == (None, True)  # due: the poll goes first
    assert handoff.next(poll_at=float("inf")) == ("second", False)
    assert handoff.close() == [] and handoff.next(poll_at=float("inf")) == (None, False)


def test_policy_lease_is_the_handed_claims_lease():
    pool = InboxWorkers(None, lambda event, create_order: None, threads=0,
                        policy=RetryPolicy(lease_seconds=7.5))
    assert pool.handoff.lease_seconds == 7.5
