"""The Firestore store writes the tutorial's document layout, read back with the plain client,
and every collection the Firestore adapters write is in the deploy guide's layout table."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from harness.processes import ROOT
from lib.config.settings import build_settings
from lib.orders.model import OrderStatus
from lib.stores import factory
from lib.stores.webhook_log import LoggedEvent
from tests.fixtures_firestore import raw_client, unique_project
from tests.sample_orders import make_order

pytestmark = pytest.mark.firestore


def test_order_document_has_the_tutorials_fields(firestore_store, firestore_emulator,
                                                  monkeypatch):
    order = make_order()
    assert firestore_store.create_order(order)
    assert firestore_store.advance_status(order.email, order.session_id, [order.status],
                                          OrderStatus.PAID)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator)
    client = firestore.Client(project=firestore_store.project, credentials=AnonymousCredentials())
    path = f"users/{order.email}/orders/{order.session_id}"
    doc = client.document(path).get().to_dict()

    assert {"amount", "amount_shipping", "images", "timestamp"} <= doc.keys()
    assert doc["amount"] == 179900 and type(doc["amount"]) is int
    assert doc["amount_shipping"] == 10000 and type(doc["amount_shipping"]) is int
    assert doc["images"] == ["https://example.com/img/mug.jpg"]
    assert isinstance(doc["timestamp"], datetime) and doc["timestamp"] == order.timestamp
    assert doc["currency"] == "inr" and doc["status"] == OrderStatus.PAID
    assert doc["email"] == order.email and doc["session_id"] == order.session_id
    assert doc["payment_intent"] == order.payment_intent
    assert doc["shipping"]["address"]["country"] == "IN"
    assert doc["items"][0] == {"product_id": "mug", "name": "Enamel mug", "quantity": 2,
                               "unit_amount": 45000, "amount_total": 90000,
                               "image": "https://example.com/img/mug.jpg"}
    assert all(type(item[key]) is int for item in doc["items"]
               for key in ("quantity", "unit_amount", "amount_total"))
    assert [snap.id for snap in client.collection("users").document(order.email)
            .collection("orders").stream()] == [order.session_id]


def layout_table() -> str:
    """The deploy guide's "Document layout" section."""
    guide = (ROOT / "docs" / "deploy.md").read_text()
    return guide.split("### Document layout", 1)[1].split("\n## ", 1)[0]


def test_every_collection_the_adapters_write_is_in_the_deploy_guides_layout(
        tmp_path, firestore_emulator):
    project = unique_project()
    settings = build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                               "FIRESTORE_EMULATOR_HOST": firestore_emulator,
                               "GOOGLE_CLOUD_PROJECT": project})
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    line = LoggedEvent(now, "evt_1", "checkout.session.completed", "cs_test_1", "valid",
                       "queued", 200, 1.0, "")
    uses = [
        (factory.make_order_store, lambda store: store.create_order(make_order())),
        (factory.make_basket_store, lambda store: store.update("guest:a", lambda _: {"mug": 1})),
        (factory.make_sign_out_store, lambda store: store.sign_out("user:ada@example.com")),
        (factory.make_key_store, lambda store: store.key("app_secret")),
        (factory.make_webhook_log, lambda store: (store.record(line), store.count_rejected(
            now, "rejected: signature missing", line))),
        (factory.make_inbox, lambda store: store.add("evt_1", "checkout.session.completed",
                                                     "cs_test_1", b"{}", now)),
    ]
    for make, use in uses:
        store = make(settings)
        try:
            use(store)
        finally:
            store.close()
    written = sorted(c.id for c in raw_client(project, firestore_emulator).collections())
    assert len(written) >= 8, written
    table = layout_table()
    assert [name for name in written if f"| `{name}/" not in table] == []
