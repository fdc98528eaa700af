"""The Firestore inbox's documents as docs/deploy.md describes them, and the factory choosing it
(the behaviour every inbox shares is tests/test_inbox_contract.py)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lib.settings import build_settings
from lib.stores import factory
from lib.stores.firestore_inbox import COLLECTION
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
