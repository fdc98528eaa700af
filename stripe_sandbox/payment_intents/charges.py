"""The one charge behind a payment intent: its id (the intent's, with the ch_ prefix, so it needs no table
of its own) and the charge object that events and refunds show."""
from __future__ import annotations

from dataclasses import dataclass, field


def charge_id(payment_intent: str) -> str:
    """The id of the one charge behind a sandbox payment intent."""
    return "ch_" + payment_intent.removeprefix("pi_")


@dataclass(frozen=True)
class Payment:
    """What a charge shows of the payment behind a payment intent, wherever the intent came from."""

    payment_intent: str
    amount: int
    currency: str
    created: int
    customer: str | None
    billing_details: dict
    receipt_email: str | None = None
    description: str | None = None
    metadata: dict = field(default_factory=dict)
    payment_method: str | None = None
    card: dict | None = None  # the PaymentMethod's card, for payment_method_details


def payment_of_session(session: dict) -> Payment:
    """The payment of a completed Checkout Session, with what the payer typed as billing details."""
    details = session["customer_details"] or {}
    return Payment(session["payment_intent"], session["amount_total"], session["currency"],
                   session["created"], session["customer"],
                   {"address": details.get("address"), "email": details.get("email"),
                    "name": details.get("name"), "phone": details.get("phone")},
                   receipt_email=details.get("email"))


def charge_object(payment: Payment, refunded: int = 0, decline=None) -> dict:
    """The charge as Stripe shows it, with what has been refunded so far (decline: a CardProblem)."""
    paid = decline is None
    card = payment.card or {}
    return {
        "id": charge_id(payment.payment_intent), "object": "charge", "amount": payment.amount,
        "amount_captured": payment.amount if paid else 0, "amount_refunded": refunded,
        "balance_transaction": None, "billing_details": payment.billing_details, "captured": paid,
        "created": payment.created, "currency": payment.currency, "customer": payment.customer,
        "description": payment.description, "disputed": False,
        "failure_code": None if paid else decline.code,
        "failure_message": None if paid else decline.message, "livemode": False,
        "metadata": payment.metadata, "paid": paid, "payment_intent": payment.payment_intent,
        "payment_method": payment.payment_method,
        "payment_method_details": {"card": {k: card.get(k) for k in ("brand", "country", "exp_month",
                                                                      "exp_year", "funding", "last4")},
                                   "type": "card"} if card else None,
        "receipt_email": payment.receipt_email,
        "refunded": paid and refunded >= payment.amount, "status": "succeeded" if paid else "failed",
    }


def payment_of_intent(intent: dict, method: dict | None) -> Payment:
    """The payment of a payment intent made through the API, paid (or tried) with this PaymentMethod."""
    method = method or {}
    return Payment(intent["id"], intent["amount"], intent["currency"], intent["created"], intent["customer"],
                   method.get("billing_details") or {}, intent["receipt_email"], intent["description"],
                   intent["metadata"], method.get("id"), method.get("card"))
