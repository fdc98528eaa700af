"""The Firestore inbox's documents as docs/deploy.md describes them, the factory choosing it, and
documents it cannot read put aside, not in the way (the behaviour every inbox shares is
tests/test_inbox_contract.py); settles in one guarded write, and the order and the event's
settle in one batch."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from lib.config.settings import build_settings
from lib.stores import factory
from lib.stores.firestore.guarded_writes import put_aside
from lib.stores.firestore.inbox import COLLECTION
from lib.webhooks.events import Verdict, WebhookOutcome
from lib.webhooks.workers import RetryPolicy, work_one
from tests.counting_stores import CountingConnection
from tests.fixtures_firestore import raw_client, unique_project
from tests.sample_orders import make_order

pytestmark = pytest.mark.firestore

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def firestore_settings(tmp_path, emulator: str, project: str):
    """Settings choosing Firestore on the emulator, in the given project."""
    return build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                           "FIRESTORE_EMULATOR_HOST": emulator, "GOOGLE_CLOUD_PROJECT": project})


def test_with_store_firestore_the_inbox_is_shared_through_firestore(tmp_path,
                                                                          firestore_emulator):
    settings = firestore_settings(tmp_path, firestore_emulator, unique_project())
    first, second = factory.make_inbox(settings), factory.make_inbox(settings)
    try:
        assert first.backend == "firestore" and f"collection {COLLECTION}" in first.describe()
        assert first.add("evt_1", "checkout.session.completed", "cs_1", b"{}", T0)
        # A replica on another host sees it, and its duplicate is refused.
        assert second.get("evt_1").state == "received"
        assert not second.add("evt_1", "checkout.session.completed", "cs_1", b"{}", T0)
        assert not (tmp_path / factory.INBOX_FILENAME).exists()
    finally:
        first.close()
        second.close()


def test_the_event_document_has_the_documented_fields(tmp_path, firestore_emulator):
    project = unique_project()
    inbox = factory.make_inbox(firestore_settings(tmp_path, firestore_emulator, project))
    client = raw_client(project, firestore_emulator)
    try:
        inbox.add("evt_1", "checkout.session.completed", "cs_1", b'{"id": "evt_1"}', T0)
        doc = client.document(f"{COLLECTION}/evt_1").get().to_dict()
        assert doc == {"event_type": "checkout.session.completed", "session_id": "cs_1",
                       "payload": b'{"id": "evt_1"}', "received_at": T0, "state": "received",
                       "attempts": 0, "next_attempt_at": T0, "last_error": "",
                       "done_at": None, "token": "", "due_at": T0}
        claim = inbox.claim(T0, 30, "w1")
        doc = client.document(f"{COLLECTION}/evt_1").get().to_dict()
        lease_end = T0 + timedelta(seconds=30)
        assert (doc["state"], doc["token"], doc["attempts"], doc["due_at"]) == (
            "claimed", "w1", 1, lease_end)
        inbox.retry(claim, "stripe: down", T0 + timedelta(seconds=40))
        doc = client.document(f"{COLLECTION}/evt_1").get().to_dict()
        assert (doc["state"], doc["token"], doc["last_error"], doc["due_at"]) == (
            "retrying", "", "stripe: down", T0 + timedelta(seconds=40))
        inbox.fulfilled(inbox.claim(T0 + timedelta(minutes=1), 30, "w2"),
                        T0 + timedelta(minutes=1))
        doc = client.document(f"{COLLECTION}/evt_1").get().to_dict()
        # Settled events leave the claim query's index: no due_at.
        assert "due_at" not in doc
        assert (doc["state"], doc["done_at"], doc["attempts"]) == (
            "fulfilled", T0 + timedelta(minutes=1), 2)
    finally:
        client.close()
        inbox.close()


@pytest.fixture
def inbox_and_client(tmp_path, firestore_emulator):
    """A Firestore inbox and a plain client on its project, to write documents as others do."""
    project = unique_project()
    inbox = factory.make_inbox(firestore_settings(tmp_path, firestore_emulator, project))
    client = raw_client(project, firestore_emulator)
    yield inbox, client
    client.close()
    inbox.close()


def plant_malformed(client) -> None:
    """Two due documents older than any event the tests add: one cut short to its due time,
    one written by hand in the console with its payload as text."""
    client.document(f"{COLLECTION}/evt_cut_short").set({"due_at": T0 - timedelta(seconds=2)})
    client.document(f"{COLLECTION}/evt_by_hand").set({
        "event_type": "checkout.session.completed", "session_id": "cs_hand",
        "payload": '{"id": "evt_by_hand"}', "received_at": T0 - timedelta(seconds=1),
        "state": "received", "attempts": 0, "next_attempt_at": T0 - timedelta(seconds=1),
        "due_at": T0 - timedelta(seconds=1)})


def put_aside_lines(caplog) -> list[str]:
    """The log lines saying an unreadable document was marked failed."""
    return [r.getMessage() for r in caplog.records if "marked unreadable" in r.getMessage()]


def test_a_malformed_older_document_does_not_block_the_events_behind_it(inbox_and_client,
                                                                         caplog):
    inbox, client = inbox_and_client
    plant_malformed(client)
    inbox.add("evt_good", "checkout.session.completed", "cs_1", b'{"id": "evt_good"}', T0)
    later = T0 + timedelta(seconds=1)
    claim = inbox.claim(later, 30, "w1")
    assert claim is not None and claim.event.event_id == "evt_good"
    assert inbox.fulfilled(claim, later)
    assert inbox.get("evt_good").state == "fulfilled"
    # Both bad documents are kept, failed with why, out of the queue (no due_at); the fields
    # they had are as they were, for a person to read.
    cut_short = client.document(f"{COLLECTION}/evt_cut_short").get().to_dict()
    assert cut_short == {"state": "failed", "token": "", "next_attempt_at": later,
                         "done_at": later,
                         "last_error": "unreadable inbox document: no event_type field"}
    by_hand = client.document(f"{COLLECTION}/evt_by_hand").get().to_dict()
    assert "due_at" not in by_hand and by_hand["state"] == "failed"
    assert by_hand["last_error"] == "unreadable inbox document: payload is str, not bytes"
    assert (by_hand["payload"], by_hand["session_id"]) == ('{"id": "evt_by_hand"}', "cs_hand")
    assert inbox.claim(T0 + timedelta(days=1), 30, "w2") is None
    lines = put_aside_lines(caplog)
    assert len(lines) == 2 and any(f"{COLLECTION}/evt_cut_short" in line for line in lines)


def test_reads_skip_and_name_unreadable_documents(inbox_and_client, caplog):
    inbox, client = inbox_and_client
    plant_malformed(client)
    for n in (1, 2):
        inbox.add(f"evt_{n}", "checkout.session.completed", "cs_1", b"{}",
                  T0 + timedelta(seconds=n))
    # evt_cut_short has no received_at, so the listing's order leaves it out; evt_by_hand is
    # read and skipped.
    assert [event.event_id for event in inbox.recent()] == ["evt_2", "evt_1"]
    assert f"skipped unreadable inbox document {COLLECTION}/evt_by_hand" in caplog.text
    assert inbox.get("evt_by_hand") is None and inbox.get("evt_cut_short") is None
    assert sorted(inbox.many(["evt_1", "evt_by_hand", "evt_cut_short"])) == ["evt_1"]
    # Once put aside by a claim they are still skipped, not raised on.
    inbox.claim(T0 + timedelta(seconds=3), 30, "w1")
    assert [event.event_id for event in inbox.recent()][-1] == "evt_1"


def test_a_worker_fulfils_the_event_behind_a_malformed_document(inbox_and_client):
    inbox, client = inbox_and_client
    plant_malformed(client)
    inbox.add("evt_good", "checkout.session.completed", "cs_1",
              json.dumps({"id": "evt_good"}).encode(), T0)
    handled = []

    def handle(event, create_order):
        handled.append(event["id"])
        return Verdict(WebhookOutcome.ORDER_CREATED, "paid")

    def clock():
        return T0 + timedelta(seconds=1)

    assert work_one(inbox, handle, RetryPolicy(), clock)
    assert handled == ["evt_good"] and inbox.get("evt_good").state == "fulfilled"
    assert not work_one(inbox, handle, RetryPolicy(), clock)


def test_putting_a_document_aside_yields_to_a_change_made_since_it_was_read(inbox_and_client):
    inbox, client = inbox_and_client
    plant_malformed(client)
    stale = inbox._events.document("evt_by_hand").get()
    # Someone mends the document by hand between the claim's read and its write.
    client.document(f"{COLLECTION}/evt_by_hand").update({"payload": b'{"id": "evt_by_hand"}'})
    put_aside(inbox._conn, stale, TypeError("payload is str, not bytes"), T0)
    mended = inbox.get("evt_by_hand")
    assert mended is not None and mended.state == "received"
    assert inbox.claim(T0, 30, "w1").event.event_id == "evt_by_hand"


@pytest.fixture
def inbox_and_orders(firestore_emulator):
    """A FirestoreInbox and a FirestoreOrderStore on separate connections to one fresh project
    (as the factory builds them), and a CountingConnection-backed inbox on it too."""
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.inbox import FirestoreInbox
    from lib.stores.firestore.orders import FirestoreOrderStore

    project = unique_project()
    counted = CountingConnection(project=project, emulator_host=firestore_emulator)
    inbox = FirestoreInbox(counted, owns_connection=True)
    orders = FirestoreOrderStore(connection=FirestoreConnection(
        project=project, emulator_host=firestore_emulator))
    yield inbox, orders, counted
    inbox.close()
    orders._conn.close()


def owned(inbox, event_id="evt_1", lease=30):
    """An event stored already claimed by "owner"."""
    return inbox.add_claimed(event_id, "checkout.session.completed", "cs_1", b"{}", T0, lease,
                             "owner")


def test_a_claim_from_the_insert_or_a_poll_settles_in_one_write(inbox_and_orders):
    inbox, _, counted = inbox_and_orders
    claim = owned(inbox)
    before = counted.requests["request"]
    assert inbox.fulfilled(claim, T0 + timedelta(seconds=1)) is True
    assert counted.requests["request"] == before + 1  # no read first
    inbox.add("evt_2", "checkout.session.completed", "cs_2", b"{}", T0)
    polled = inbox.claim(T0, 30, "poller")
    before = counted.requests["request"]
    assert inbox.retry(polled, "stripe: down", T0 + timedelta(seconds=5)) is True
    assert counted.requests["request"] == before + 1
    assert inbox.get("evt_2").state == "retrying"


def test_a_claim_whose_lease_was_taken_settles_nothing(inbox_and_orders):
    inbox, _, _ = inbox_and_orders
    claim = owned(inbox)
    stolen = inbox.claim(T0 + timedelta(seconds=31), 30, "poller")
    assert inbox.fulfilled(claim, T0 + timedelta(seconds=32)) is False  # the guard, then a read
    assert inbox.get("evt_1").state == "claimed" and stolen.token == "poller"


def test_the_order_and_the_settle_are_one_batch(inbox_and_orders):
    inbox, orders, counted = inbox_and_orders
    claim, order = owned(inbox), make_order()
    before = counted.requests["request"]
    assert inbox.fulfilled_with_order(claim, order, orders, T0 + timedelta(seconds=1)) is True
    assert counted.requests["request"] == before + 1
    assert orders.get_order(order.email, order.session_id) == order
    stored = inbox.get("evt_1")
    assert (stored.state, stored.done_at) == ("fulfilled", T0 + timedelta(seconds=1))
    assert orders.sales_summary("INR").status(order.status).orders == 1  # and its rollup


def test_an_existing_order_fails_the_whole_batch(inbox_and_orders):
    inbox, orders, _ = inbox_and_orders
    order = make_order()
    assert orders.create_order(order)
    claim = owned(inbox)
    assert inbox.fulfilled_with_order(claim, make_order(session_id=order.session_id,
                                                        amount=1), orders, T0) is False
    assert orders.get_order(order.email, order.session_id).amount == order.amount
    assert inbox.get("evt_1").state == "claimed"  # still the caller's to settle
    assert inbox.fulfilled(claim, T0) is True


def test_a_lease_taken_since_the_claim_writes_no_order(inbox_and_orders):
    inbox, orders, _ = inbox_and_orders
    claim, order = owned(inbox), make_order()
    inbox.claim(T0 + timedelta(seconds=31), 30, "poller")
    assert inbox.fulfilled_with_order(claim, order, orders, T0) is None
    assert orders.get_order(order.email, order.session_id) is None


def test_stores_that_cannot_share_a_batch_write_apart(inbox_and_orders, firestore_emulator,
                                                      tmp_path):
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.orders import FirestoreOrderStore
    from lib.stores.sqlite.orders import SqliteOrderStore

    inbox, _, _ = inbox_and_orders
    claim = owned(inbox)
    elsewhere = FirestoreOrderStore(FirestoreConnection(
        project=unique_project(), emulator_host=firestore_emulator), owns_connection=True)
    try:
        for orders in (SqliteOrderStore(tmp_path / "orders.sqlite3"), elsewhere):
            assert inbox.fulfilled_with_order(claim, make_order(), orders, T0) is None
    finally:
        elsewhere.close()
    assert inbox.get("evt_1").state == "claimed"
