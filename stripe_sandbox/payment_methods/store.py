"""Stored PaymentMethods: the public object, and the test card number it charges (never shown)."""
from __future__ import annotations

import datetime
import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass

from ..api.errors import not_found
from ..api.ids import new_id
from .test_cards import brand, test_method_card

SCHEMA = """
CREATE TABLE IF NOT EXISTS payment_methods (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    card_number TEXT NOT NULL,
    doc TEXT NOT NULL
);
"""
NO_ADDRESS = {"city": None, "country": None, "line1": None, "line2": None, "postal_code": None,
              "state": None}


@dataclass(frozen=True)
class StoredMethod:
    """A PaymentMethod as the API shows it, with the card number the test 'issuer' judges."""

    doc: dict
    card_number: str


def card_method(number: str, billing: dict, metadata: dict) -> dict:
    """A new card PaymentMethod object for a test card number."""
    network = brand(number)
    return {
        "id": new_id("pm"), "object": "payment_method", "allow_redisplay": "unspecified",
        "billing_details": {"address": {**NO_ADDRESS, **(billing.get("address") or {})},
                            "email": billing.get("email"), "name": billing.get("name"),
                            "phone": billing.get("phone"), "tax_id": None},
        "card": {
            "brand": network, "checks": {"address_line1_check": None, "address_postal_code_check": None,
                                         "cvc_check": "unchecked"},
            "country": "US", "display_brand": network, "exp_month": 12,
            "exp_year": datetime.date.today().year + 5,
            "fingerprint": hashlib.sha256(number.encode()).hexdigest()[:16], "funding": "credit",
            "generated_from": None, "last4": number[-4:],
            "networks": {"available": [network], "preferred": None}, "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True}, "wallet": None,
        },
        "created": int(time.time()), "customer": None, "livemode": False, "metadata": metadata,
        "type": "card",
    }


def insert_method(conn: sqlite3.Connection, method: StoredMethod) -> None:
    """Keep a new PaymentMethod."""
    conn.execute("INSERT INTO payment_methods (id, card_number, doc) VALUES (?, ?, ?)",
                 (method.doc["id"], method.card_number, json.dumps(method.doc)))


def load_method(conn: sqlite3.Connection, method_id: str) -> StoredMethod | None:
    """A stored PaymentMethod by id, or None."""
    row = conn.execute("SELECT card_number, doc FROM payment_methods WHERE id = ?", (method_id,)).fetchone()
    return StoredMethod(json.loads(row["doc"]), row["card_number"]) if row else None


def resolve_method(conn: sqlite3.Connection, method_id: str, param: str = "payment_method") -> StoredMethod:
    """The PaymentMethod a payment names: a stored one, or a fresh one for a test method such as
    pm_card_visa (as Stripe makes a new pm_ each time one is used); else Stripe's 404."""
    number = test_method_card(method_id)
    if number is not None:
        method = StoredMethod(card_method(number, {}, {}), number)
        insert_method(conn, method)
        return method
    method = load_method(conn, method_id)
    if method is None:
        raise not_found("PaymentMethod", method_id, param)
    return method
