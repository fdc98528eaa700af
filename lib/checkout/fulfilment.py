"""Fulfilment as Stripe's guide prescribes: fetch the session, then record the order exactly once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote_plus

import stripe

from lib.clock import utc_now
from lib.orders.model import DEMO_METADATA_KEY, Order, OrderItem, OrderStatus
from lib.stores.orders import OrderStore

# Which stored statuses a new verdict may replace; paid and failed are final.
TRANSITIONS = {OrderStatus.PAID: (OrderStatus.AWAITING_PAYMENT,),
               OrderStatus.PAYMENT_FAILED: (OrderStatus.AWAITING_PAYMENT,)}
# The rate is expanded so the order keeps its display name ("Express shipping"), not its id.
EXPAND = ["line_items", "line_items.data.price.product", "shipping_cost.shipping_rate",
          "discounts.promotion_code"]  # and the code, so the order says which one was typed


# Stripe's ids are short; a longer value is not one, whatever its prefix.
MAX_SESSION_ID = 255


def is_session_id(value: object) -> bool:
    """Whether value has the shape of a Checkout Session id (cs_..., at most 255 characters)."""
    return isinstance(value, str) and value.startswith("cs_") and len(value) <= MAX_SESSION_ID


class UnknownSession(LookupError):
    """Stripe has no checkout session with this id (a typo, a forgery, or another account)."""


class FulfilmentKind(StrEnum):
    """What one fulfilment call did (the first three are also WebhookOutcome values)."""

    ORDER_CREATED = "order_created"  # this call wrote the order
    STATUS_UPDATED = "status_updated"  # this call moved a stored order's status
    ALREADY_RECORDED = "already_recorded"  # the stored order already said this
    NOT_COMPLETE = "not_complete"  # the session is open or expired: nothing to record


@dataclass(frozen=True)
class Outcome:
    """What one fulfilment call did, with the order it leaves stored."""

    kind: FulfilmentKind
    order: Order | None = None
    session_status: str = ""
    metadata: dict | None = None


def session_email(session) -> str:
    """The shopper the order is filed under: our metadata.email, else what the payer typed."""
    metadata = session.get("metadata")
    details = session.get("customer_details")
    email = ((metadata.get("email") if isinstance(metadata, dict) else None)
             or session.get("customer_email")
             or (details.get("email") if isinstance(details, dict) else None) or "")
    # An event's copy of the session is read before Stripe is asked: take only a string.
    return email.strip().lower() if isinstance(email, str) else ""


def _item(line) -> OrderItem:
    """An order item from an expanded Stripe line item."""
    price = line.get("price") or {}
    product = price.get("product") if isinstance(price.get("product"), dict) else {}
    images = list((product or {}).get("images") or [])
    return OrderItem(
        product_id=((product or {}).get("metadata") or {}).get("product_id", ""),
        name=line.get("description") or (product or {}).get("name", ""),
        quantity=int(line.get("quantity") or 0),
        unit_amount=int(price.get("unit_amount") or 0),
        amount_total=int(line.get("amount_total") or 0),
        image=images[0] if images else None,
    )


def _shipping(session) -> dict | None:
    """Where it ships and how, from the session's collected details and shipping cost."""
    collected = (session.get("collected_information") or {}).get("shipping_details") or {}
    cost = session.get("shipping_cost") or {}
    if not collected and not cost:
        return None
    rate = cost.get("shipping_rate")
    return {
        "name": collected.get("name"),
        "address": dict(collected.get("address") or {}),
        "rate": rate.get("display_name") if isinstance(rate, dict) else rate,
        "amount": int(cost.get("amount_total") or 0),
    }


def _discount(session) -> dict | None:
    """What the session's discount took off, and the promotion code or coupon behind it."""
    amount = int((session.get("total_details") or {}).get("amount_discount") or 0)
    if not amount:
        return None
    first = (session.get("discounts") or [{}])[0] or {}
    code, coupon = first.get("promotion_code"), first.get("coupon")
    return {"amount": amount,
            "code": code.get("code") if isinstance(code, dict) else None,
            "coupon": coupon.get("id") if isinstance(coupon, dict) else coupon}


def order_from_session(session, status: str, now: datetime) -> Order:
    """Build the order from a retrieved, completed Checkout Session."""
    items = tuple(_item(line) for line in (session.get("line_items") or {}).get("data", []))
    details = session.get("total_details") or {}
    shipping = int(details.get("amount_shipping") or
                   (session.get("shipping_cost") or {}).get("amount_total") or 0)
    payment_intent = session.get("payment_intent")
    if isinstance(payment_intent, dict):
        payment_intent = payment_intent.get("id")
    return Order(
        session_id=session["id"], email=session_email(session),
        amount=int(session.get("amount_total") or 0), amount_shipping=shipping,
        currency=(session.get("currency") or "").upper(), items=items, status=status,
        timestamp=now, shipping=_shipping(session), payment_intent=payment_intent,
        images=tuple(item.image for item in items if item.image),
        discount=_discount(session),
        demo=(session.get("metadata") or {}).get(DEMO_METADATA_KEY) == "true",
    )


def payment_verdict(session, failed: bool = False) -> str:
    """The order status a completed session deserves."""
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return OrderStatus.PAID
    return OrderStatus.PAYMENT_FAILED if failed else OrderStatus.AWAITING_PAYMENT


def retrieve_session(client: stripe.StripeClient, session_id: str):
    """The session with its line items and their products, or UnknownSession."""
    # The SDK's raw_request (same auth, retries and errors as sessions.retrieve) gives the
    # parsed JSON: we only read it, so the StripeObject tree (a large share of a new order's
    # time, bench/README.md) is never built.
    path = f"/v1/checkout/sessions/{quote_plus(session_id)}"  # quoted as the SDK's retrieve does
    try:
        return client.raw_request("get", path, expand=EXPAND).data
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404 or getattr(exc, "code", "") == "resource_missing":
            raise UnknownSession(session_id) from exc
        raise


def fulfil_checkout(session_id: str, client: stripe.StripeClient, orders: OrderStore,
                    clock: Callable[[], datetime] = utc_now, failed: bool = False,
                    create_order: Callable[[Order], bool] | None = None) -> Outcome:
    """Record the order for a completed session exactly once however often it is called;
    failed=True marks a delayed payment that did not go through. create_order writes a new
    order (orders.create_order unless given: the sidecar's settles its event with it)."""
    session = retrieve_session(client, session_id)
    metadata = dict(session.get("metadata") or {})
    if session.get("status") != "complete":
        return Outcome(FulfilmentKind.NOT_COMPLETE, None, session.get("status", ""), metadata)
    order = order_from_session(session, payment_verdict(session, failed), clock())
    if (create_order or orders.create_order)(order):
        return Outcome(FulfilmentKind.ORDER_CREATED, order, "complete", metadata)
    existing = orders.get_order(order.email, order.session_id)
    allowed = TRANSITIONS.get(order.status, ())
    if existing is not None and existing.status in allowed:
        if orders.advance_status(order.email, order.session_id, allowed, order.status):
            return Outcome(FulfilmentKind.STATUS_UPDATED, orders.get_order(order.email, session_id),
                           "complete", metadata)
        existing = orders.get_order(order.email, order.session_id)
    return Outcome(FulfilmentKind.ALREADY_RECORDED, existing, "complete", metadata)


class PaymentNotConfirmed(Exception):
    """Stripe could not be asked about a checkout just now; the message is fit for shoppers."""


def confirm_payment(session_id: str, client: stripe.StripeClient, orders: OrderStore,
                    clock: Callable[[], datetime] = utc_now) -> Outcome:
    """fulfil_checkout for the success page: Stripe's own failures become PaymentNotConfirmed,
    so the page needs no knowledge of the SDK's errors."""
    try:
        return fulfil_checkout(session_id, client, orders, clock)
    except stripe.StripeError as exc:
        raise PaymentNotConfirmed(str(exc.user_message or exc)) from exc
