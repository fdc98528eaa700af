"""The Firestore store writes the tutorial's document layout, read back with the plain client."""
from __future__ import annotations

from datetime import datetime

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from lib.orders import PAID
from tests.sample_orders import make_order

pytestmark = pytest.mark.firestore


def test_order_document_has_the_tutorials_fields(firestore_store, firestore_emulator,
                                                  monkeypatch):
    order = make_order()
    assert firestore_store.create_order(order)
    assert firestore_store.advance_status(order.email, order.session_id, [order.status], PAID)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator)
    client = firestore.Client(project=firestore_store.project, credentials=AnonymousCredentials())
    path = f"users/{order.email}/orders/{order.session_id}"
    doc = client.document(path).get().to_dict()

    assert {"amount", "amount_shipping", "images", "timestamp"} <= doc.keys()
    assert doc["amount"] == 179900 and type(doc["amount"]) is int
    assert doc["amount_shipping"] == 10000 and type(doc["amount_shipping"]) is int
    assert doc["images"] == ["https://example.com/img/mug.jpg"]
    assert isinstance(doc["timestamp"], datetime) and doc["timestamp"] == order.timestamp
    assert doc["currency"] == "inr" and doc["status"] == PAID
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
