"""Refunds of a payment: stored refunds, the charge they come from, and their events.

A payment intent, behind a paid Checkout Session or made through the PaymentIntents API, has one
charge (payment_intents/charges.py), which refunds draw on.
"""
from __future__ import annotations

import json
import sqlite3
import time

from ..api.errors import invalid
from ..api.ids import new_id
from ..events import log as event_log
from ..payment_intents.charges import Payment, charge_id, charge_object
from ..payment_intents.find import payment_behind

SCHEMA = """
CREATE TABLE IF NOT EXISTS refunds (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    payment_intent TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refunds_payment_intent ON refunds (payment_intent);
"""
REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def paid_payment(conn: sqlite3.Connection, payment_intent: str, param: str) -> Payment:
    """The paid payment behind this payment intent, or Stripe's 400 naming the param."""
    found = payment_behind(conn, payment_intent)
    if found is None:
        raise invalid(f"No such payment_intent: '{payment_intent}'", param, "resource_missing")
    payment, paid = found
    if not paid:
        raise invalid("This PaymentIntent does not have a successful charge to refund.", param)
    return payment


def refunds_of(conn: sqlite3.Connection, payment_intent: str) -> list[dict]:
    """Every refund of a payment intent, newest first."""
    rows = conn.execute("SELECT doc FROM refunds WHERE payment_intent = ? ORDER BY seq DESC", (payment_intent,))
    return [json.loads(r["doc"]) for r in rows]


def create_refund(conn: sqlite3.Connection, urls, payment_intent: str, amount: int | None, reason: str | None,
                  metadata: dict, request_id: str | None = None, idempotency_key: str | None = None) -> dict:
    """Refund all that is left of a payment, or amount of it; record refund.created and charge.refunded."""
    payment = paid_payment(conn, payment_intent, "payment_intent")
    refunded = sum(r["amount"] for r in refunds_of(conn, payment_intent) if r["status"] == "succeeded")
    left = payment.amount - refunded
    if left <= 0:
        raise invalid(f"Charge {charge_id(payment_intent)} has already been refunded.", "payment_intent",
                      "charge_already_refunded")
    amount = left if amount is None else amount
    if amount > left:
        raise invalid(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left}).",
                      "amount", "amount_too_large")
    refund = {
        "id": new_id("re"), "object": "refund", "amount": amount, "balance_transaction": None,
        "charge": charge_id(payment_intent), "created": int(time.time()), "currency": payment.currency,
        # A card refund goes back onto the card, reversing the charge (no reference number yet).
        "destination_details": {"card": {"type": "reversal"}, "type": "card"},
        "metadata": metadata, "payment_intent": payment_intent,
        "reason": reason, "receipt_number": None, "source_transfer_reversal": None, "status": "succeeded",
        "transfer_reversal": None,
    }
    conn.execute("INSERT INTO refunds (id, payment_intent, doc) VALUES (?, ?, ?)",
                 (refund["id"], payment_intent, json.dumps(refund)))
    event_log.record_event(conn, urls, "refund.created", refund, request_id, idempotency_key)
    event_log.record_event(conn, urls, "charge.refunded", charge_object(payment, refunded + amount),
                           request_id, idempotency_key)
    return refund
