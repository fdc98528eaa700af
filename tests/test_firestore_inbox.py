"""The Firestore inbox's documents as docs/deploy.md describes them, the factory choosing it, and
documents it cannot read put aside, not in the way (the behaviour every inbox shares is
tests/test_inbox_contract.py)."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from lib.config.settings import build_settings
from lib.stores import factory
from lib.stores.firestore.inbox import COLLECTION
from lib.webhooks.events import Verdict, WebhookOutcome
from lib.webhooks.workers import RetryPolicy, work_one
from tests.fixtures_firestore import raw_client, unique_project

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

    def handle(event):
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
    inbox._put_aside(stale, TypeError("payload is str, not bytes"), T0)
    mended = inbox.get("evt_by_hand")
    assert mended is not None and mended.state == "received"
    assert inbox.claim(T0, 30, "w1").event.event_id == "evt_by_hand"
