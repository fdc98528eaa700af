"""A refund reported by Stripe (charge.refunded) reaching the order: refunded or partially refunded, once."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import stripe

from lib.checkout.fulfilment import session_email
from lib.stores.orders import OrderStore

CHARGE_REFUNDED = "charge.refunded"


class RefundKind(StrEnum):
    """What a refund event did to the order it names."""

    RECORDED = "recorded"  # the order took the larger refunded total
    UNCHANGED = "unchanged"  # the order already records this total (or more)
    NOT_OURS = "not_ours"  # no checkout session took the payment
    NO_ORDER = "no_order"  # the order is not stored yet


@dataclass(frozen=True)
class RefundOutcome:
    """What a refund event did: changed the order, changed nothing, or found no order to change."""

    kind: RefundKind
    session_id: str = ""
    detail: str = ""


def session_for_payment(client: stripe.StripeClient, payment_intent: str) -> dict | None:
    """The Checkout Session that took this payment (Stripe's documented list filter), as plain data."""
    page = client.raw_request("get", "/v1/checkout/sessions", payment_intent=payment_intent, limit=1).data
    sessions = page.get("data") or []
    return sessions[0] if sessions else None


def record_charge_refund(charge: dict, client: stripe.StripeClient, orders: OrderStore) -> RefundOutcome:
    """Record the charge's cumulative amount_refunded on its order; the same total twice changes nothing."""
    payment_intent = charge.get("payment_intent")
    refunded = charge.get("amount_refunded")
    if not isinstance(payment_intent, str) or not payment_intent or isinstance(refunded, bool) \
            or not isinstance(refunded, int) or refunded <= 0:
        return RefundOutcome(RefundKind.NOT_OURS,
                             detail="charge without a payment intent or a refunded amount")
    session = session_for_payment(client, payment_intent)
    if session is None:
        return RefundOutcome(RefundKind.NOT_OURS,
                             detail=f"no checkout session took {payment_intent}")
    email, session_id = session_email(session), session["id"]
    if orders.record_refund(email, session_id, refunded):
        order = orders.get_order(email, session_id)
        return RefundOutcome(RefundKind.RECORDED, session_id, order.status if order else "")
    if orders.get_order(email, session_id) is None:
        # Paid through checkout but not stored yet (the completed event is still on its way).
        return RefundOutcome(RefundKind.NO_ORDER, session_id,
                             "the order is not stored yet: deliver again")
    return RefundOutcome(RefundKind.UNCHANGED, session_id, "refund already recorded")
