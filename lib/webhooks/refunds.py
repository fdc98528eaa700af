"""A refund reported by Stripe (charge.refunded) reaching the order: refunded or partially refunded, once.

The event only says that something was refunded: the amount recorded is what Stripe's own refunds of the
payment add up to, asked through the StripeClient, never more than the session took; an event whose amount
disagrees with Stripe's is logged and not applied (the delivery that matches Stripe's total records it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import stripe

from lib.checkout.fulfilment import session_email
from lib.stores.orders import OrderStore

CHARGE_REFUNDED = "charge.refunded"
# The refund statuses Stripe counts in a charge's amount_refunded (failed and canceled ones give the money back).
COUNTED = ("succeeded", "pending", "requires_action")
LOG = logging.getLogger("storefront.webhooks")


class RefundKind(StrEnum):
    """What a refund event did to the order it names."""

    RECORDED = "recorded"  # the order took the larger refunded total
    UNCHANGED = "unchanged"  # the order already records this total (or more)
    NOT_OURS = "not_ours"  # no checkout session took the payment
    NO_ORDER = "no_order"  # the order is not stored yet
    DISAGREES = "disagrees"  # the event's amount is not what Stripe's refunds add up to: not applied


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


def refunded_on_stripe(client: stripe.StripeClient, payment_intent: str) -> int:
    """What Stripe's refunds of this payment add up to, every page of them, in minor units."""
    refunds = client.v1.refunds.list(params={"payment_intent": payment_intent, "limit": 100})
    return sum(int(refund.amount or 0) for refund in refunds.auto_paging_iter()
               if refund.status in COUNTED)


def record_charge_refund(charge: dict, client: stripe.StripeClient, orders: OrderStore) -> RefundOutcome:
    """Record the refunded total Stripe's refunds give, capped at what the session took, when the
    event's cumulative amount_refunded agrees with it; the same total twice changes nothing."""
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
    on_stripe = refunded_on_stripe(client, payment_intent)
    if refunded != on_stripe:
        LOG.warning("Not applied: charge.refunded for %s says %d refunded, Stripe's refunds of %s "
                    "add up to %d", session_id, refunded, payment_intent, on_stripe)
        return RefundOutcome(RefundKind.DISAGREES, session_id,
                             f"the event says {refunded} refunded, Stripe's refunds add up to "
                             f"{on_stripe}: not applied")
    paid = int(session.get("amount_total") or 0)
    if orders.record_refund(email, session_id, min(on_stripe, paid)):
        order = orders.get_order(email, session_id)
        return RefundOutcome(RefundKind.RECORDED, session_id, order.status if order else "")
    if orders.get_order(email, session_id) is None:
        # Paid through checkout but not stored yet (the completed event is still on its way).
        return RefundOutcome(RefundKind.NO_ORDER, session_id,
                             "the order is not stored yet: deliver again")
    return RefundOutcome(RefundKind.UNCHANGED, session_id, "refund already recorded")
