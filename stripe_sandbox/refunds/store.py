"""Refunds of a paid session's payment: stored refunds, the charge they come from, and their events.

A session paid in the sandbox has a payment intent (pi_...) and, behind it, one charge; the charge's
id is the intent's with the ch_ prefix, so it needs no table of its own.
"""
from __future__ import annotations

import json
import sqlite3
import time

from ..api.errors import invalid
from ..api.ids import new_id
from ..events import log as event_log

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


def charge_id(payment_intent: str) -> str:
    """The id of the one charge behind a sandbox payment intent."""
    return "ch_" + payment_intent.removeprefix("pi_")


def paid_session(conn: sqlite3.Connection, payment_intent: str, param: str) -> dict:
    """The paid session whose payment this is, or Stripe's 400 naming the param."""
    row = conn.execute("SELECT doc FROM sessions WHERE json_extract(doc, '$.payment_intent') = ?",
                       (payment_intent,)).fetchone()
    if row is None:
        raise invalid(f"No such payment_intent: '{payment_intent}'", param, "resource_missing")
    session = json.loads(row["doc"])
    if session["payment_status"] != "paid":
        raise invalid("This PaymentIntent does not have a successful charge to refund.", param)
    return session


def refunds_of(conn: sqlite3.Connection, payment_intent: str) -> list[dict]:
    """Every refund of a payment intent, newest first."""
    rows = conn.execute("SELECT doc FROM refunds WHERE payment_intent = ? ORDER BY seq DESC", (payment_intent,))
    return [json.loads(r["doc"]) for r in rows]


def charge_object(session: dict, refunded: int) -> dict:
    """The charge behind a paid session as Stripe shows it, with what has been refunded so far."""
    pi = session["payment_intent"]
    details = session["customer_details"] or {}
    return {
        "id": charge_id(pi), "object": "charge", "amount": session["amount_total"],
        "amount_captured": session["amount_total"], "amount_refunded": refunded, "balance_transaction": None,
        "billing_details": {"address": details.get("address"), "email": details.get("email"),
                            "name": details.get("name"), "phone": details.get("phone")},
        "captured": True, "created": session["created"], "currency": session["currency"],
        "customer": session["customer"], "description": None, "disputed": False, "livemode": False,
        "metadata": {}, "paid": True, "payment_intent": pi, "receipt_email": details.get("email"),
        "refunded": refunded >= session["amount_total"], "status": "succeeded",
    }


def create_refund(conn: sqlite3.Connection, urls, payment_intent: str, amount: int | None, reason: str | None,
                  metadata: dict, request_id: str | None = None, idempotency_key: str | None = None) -> dict:
    """Refund all that is left of a payment, or amount of it; record refund.created and charge.refunded."""
    session = paid_session(conn, payment_intent, "payment_intent")
    refunded = sum(r["amount"] for r in refunds_of(conn, payment_intent) if r["status"] == "succeeded")
    left = session["amount_total"] - refunded
    if left <= 0:
        raise invalid(f"Charge {charge_id(payment_intent)} has already been refunded.", "payment_intent",
                      "charge_already_refunded")
    amount = left if amount is None else amount
    if amount > left:
        raise invalid(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left}).",
                      "amount", "amount_too_large")
    refund = {
        "id": new_id("re"), "object": "refund", "amount": amount, "balance_transaction": None,
        "charge": charge_id(payment_intent), "created": int(time.time()), "currency": session["currency"],
        # A card refund goes back onto the card, reversing the charge (no reference number yet).
        "destination_details": {"card": {"type": "reversal"}, "type": "card"},
        "metadata": metadata, "payment_intent": payment_intent,
        "reason": reason, "receipt_number": None, "source_transfer_reversal": None, "status": "succeeded",
        "transfer_reversal": None,
    }
    conn.execute("INSERT INTO refunds (id, payment_intent, doc) VALUES (?, ?, ?)",
                 (refund["id"], payment_intent, json.dumps(refund)))
    event_log.record_event(conn, urls, "refund.created", refund, request_id, idempotency_key)
    event_log.record_event(conn, urls, "charge.refunded", charge_object(session, refunded + amount),
                           request_id, idempotency_key)
    return refund
