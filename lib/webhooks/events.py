"""Stripe webhook handling: verify the raw bytes, parse once, skip duplicates, fulfil."""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import stripe

from lib.checkout.fulfilment import (
    FulfilmentKind,
    UnknownSession,
    fulfil_checkout,
    is_session_id,
    session_email,
)
from lib.clock import utc_now
from lib.orders.model import Order, OrderStatus
from lib.stores.errors import StoreError
from lib.stores.orders import OrderStore
from lib.webhooks.refunds import CHARGE_REFUNDED, RefundKind, record_charge_refund

TOLERANCE = 300  # seconds, Stripe's default for construct_event
COMPLETED = "checkout.session.completed"
ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded"
ASYNC_FAILED = "checkout.session.async_payment_failed"
EXPIRED = "checkout.session.expired"
HANDLED = (COMPLETED, ASYNC_SUCCEEDED, ASYNC_FAILED, EXPIRED)
# The detail of a signed event whose type the shop has nothing to do with (counted, not logged).
NOT_HANDLED = "event type not handled"
# For each event, the stored statuses that already say what the event would say.
SETTLED = {COMPLETED: None, ASYNC_SUCCEEDED: (OrderStatus.PAID,),
           ASYNC_FAILED: (OrderStatus.PAYMENT_FAILED, OrderStatus.PAID)}


class WebhookOutcome(StrEnum):
    """What became of one delivery; the sidecar alone decides which HTTP status each means."""

    ORDER_CREATED = "order_created"  # this delivery wrote the order
    STATUS_UPDATED = "status_updated"  # this delivery moved a stored order's status
    ALREADY_RECORDED = "already_recorded"  # a duplicate: the order already says this
    QUEUED = "queued"  # stored in the inbox: a worker fulfils it after the answer
    IGNORED = "ignored"  # verified, but nothing to record (other types, expired, unpaid)
    REJECTED = "rejected"  # bad signature or body, or a session Stripe does not have
    TOO_LARGE = "too_large"  # refused unread: the body is over the sidecar's size limit
    ERROR = "error"  # the store or Stripe failed: the delivery should come again


@dataclass(frozen=True)
class Verdict:
    """What became of one delivery: the outcome, why, and the ids it carried."""

    outcome: WebhookOutcome
    detail: str
    event_id: str = ""
    event_type: str = ""
    session_id: str = ""
    signature: str = "unchecked"  # valid, invalid, missing, unchecked


def verify(payload: bytes, header: str | None, secret: str, now: float) -> dict:
    """Check the Stripe-Signature over the raw bytes and return the parsed event, or raise
    SignatureVerificationError / ValueError."""
    if not secret:
        raise stripe.SignatureVerificationError("no webhook secret is configured", header)
    if not header:
        raise stripe.SignatureVerificationError("no Stripe-Signature header", header)
    if not header.isascii():
        # The SDK's compare_digest raises TypeError on non-ASCII text: refuse it here instead.
        raise stripe.SignatureVerificationError("Stripe-Signature is not ASCII", header)
    stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=TOLERANCE)
    # The SDK only refuses old timestamps; one far in the future is a replay kept for later.
    stamps = [part[2:] for part in header.split(",") if part.startswith("t=")]
    if not stamps or not stamps[0].isdigit() or int(stamps[0]) > now + TOLERANCE:
        raise stripe.SignatureVerificationError("timestamp outside the tolerance zone", header)
    event = json.loads(payload.decode("utf-8"))
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise ValueError("the body is not a Stripe event")
    return event


class SettledOrders:
    """A bounded memory of orders this process has seen stored, so a duplicate delivery is
    answered without a store read. Only positive answers are trusted: orders are never
    removed and statuses only move forward, so a remembered status can be behind, never wrong."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._seen: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, email: str, session_id: str, status: str) -> None:
        """Note that the order is stored with this status."""
        with self._lock:
            self._seen[(email, session_id)] = status
            self._seen.move_to_end((email, session_id))
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)

    def status(self, email: str, session_id: str) -> str | None:
        """The last status seen for the order, or None if this process has not seen it."""
        with self._lock:
            return self._seen.get((email, session_id))


def _settles(event_type: str, status: str | None) -> bool:
    """True when an order with this status already says what the event would say."""
    wanted = SETTLED[event_type]
    return status is not None and (wanted is None or status in wanted)


def _already_settled(event_type: str, orders: OrderStore, email: str, session_id: str,
                     settled: SettledOrders | None) -> bool:
    """True when the order already reflects this event (remembered, or read from the store),
    so neither Stripe nor the store need be asked again."""
    if not email or not session_id:
        return False
    if settled is not None and _settles(event_type, settled.status(email, session_id)):
        return True
    existing = orders.get_order(email, session_id)
    if existing is None:
        return False
    if settled is not None:
        settled.remember(email, session_id, existing.status)
    return _settles(event_type, existing.status)


def _event_clock(event, clock: Callable[[], datetime]) -> Callable[[], datetime]:
    """The time an order is dated: when Stripe says it happened (the signed event's created),
    so a delivery retried hours later keeps the purchase's time; clock() if created is odd."""
    created = event.get("created")
    if isinstance(created, int) and not isinstance(created, bool) and created > 0:
        return lambda: datetime.fromtimestamp(created, UTC)
    return clock


def _refund_verdict(charge: dict, client: stripe.StripeClient, orders: OrderStore, seen: dict) -> Verdict:
    """charge.refunded: the order takes the refunded total once (lib.webhooks.refunds), mapped to an
    outcome; an order not stored yet is an ERROR, so the refund is tried again and nothing is lost."""
    try:
        done = record_charge_refund(charge, client, orders)
    except StoreError as exc:
        return Verdict(WebhookOutcome.ERROR, f"store: {exc}", **seen)
    except stripe.StripeError as exc:
        return Verdict(WebhookOutcome.ERROR, f"stripe: {exc.__class__.__name__}: {exc}", **seen)
    seen = {**seen, "session_id": done.session_id or seen["session_id"]}
    outcome = {RefundKind.RECORDED: WebhookOutcome.STATUS_UPDATED,
               RefundKind.UNCHANGED: WebhookOutcome.ALREADY_RECORDED,
               RefundKind.NOT_OURS: WebhookOutcome.IGNORED,
               RefundKind.NO_ORDER: WebhookOutcome.ERROR,
               RefundKind.DISAGREES: WebhookOutcome.IGNORED}[done.kind]
    return Verdict(outcome, done.detail, **seen)


def checked_event(payload: bytes, header: str | None, secret: str,
                  clock: Callable[[], datetime] = utc_now) -> dict | Verdict:
    """The verified, parsed event, or the REJECTED Verdict saying why it is refused."""
    try:
        return verify(payload, header, secret, clock().timestamp())
    except stripe.SignatureVerificationError as exc:
        signature = "missing" if not header else "invalid"
        return Verdict(WebhookOutcome.REJECTED, f"signature: {exc}", signature=signature)
    except (UnicodeDecodeError, ValueError) as exc:
        return Verdict(WebhookOutcome.REJECTED, f"body: {exc}", signature="valid")


def _event_object(event: dict) -> dict:
    """The event's data.object, or {} for signed but odd shapes (refused later)."""
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    return obj if isinstance(obj, dict) else {}


def event_ids(event: dict) -> dict:
    """The ids a verified event carries, as Verdict fields."""
    obj = _event_object(event)
    return dict(event_id=str(event.get("id", "")), event_type=event["type"],
                session_id=str(obj.get("id", "")), signature="valid")


def handle_event(event: dict, client: stripe.StripeClient, orders: OrderStore,
                 clock: Callable[[], datetime] = utc_now,
                 settled: SettledOrders | None = None,
                 create_order: Callable[[Order], bool] | None = None) -> Verdict:
    """Fulfil one verified, parsed event: retrieve the session, record the order once (through
    create_order when given, e.g. with the inbox's settle, else orders.create_order)."""
    seen = event_ids(event)
    event_type, session_id = seen["event_type"], seen["session_id"]
    obj = _event_object(event)
    if event_type == CHARGE_REFUNDED:
        return _refund_verdict(obj, client, orders, seen)
    if event_type not in HANDLED:
        return Verdict(WebhookOutcome.IGNORED, NOT_HANDLED, **seen)
    if event_type == EXPIRED:
        return Verdict(WebhookOutcome.IGNORED, "session expired unpaid: nothing to record",
                       **seen)
    if not is_session_id(session_id):
        return Verdict(WebhookOutcome.REJECTED, "event has no checkout session id", **seen)
    try:
        if _already_settled(event_type, orders, session_email(obj), session_id, settled):
            return Verdict(WebhookOutcome.ALREADY_RECORDED, "duplicate delivery", **seen)
        outcome = fulfil_checkout(session_id, client, orders, _event_clock(event, clock),
                                  failed=event_type == ASYNC_FAILED, create_order=create_order)
    except UnknownSession:
        return Verdict(WebhookOutcome.REJECTED, "Stripe has no such checkout session", **seen)
    except StoreError as exc:
        return Verdict(WebhookOutcome.ERROR, f"store: {exc}", **seen)
    except stripe.StripeError as exc:
        # Stripe (or the sandbox) unreachable or failing: an ERROR, so the event is tried again.
        return Verdict(WebhookOutcome.ERROR, f"stripe: {exc.__class__.__name__}: {exc}", **seen)
    if outcome.kind == FulfilmentKind.NOT_COMPLETE:
        return Verdict(WebhookOutcome.IGNORED, f"session is {outcome.session_status}", **seen)
    if settled is not None and outcome.order is not None:
        settled.remember(outcome.order.email, session_id, outcome.order.status)
    return Verdict(WebhookOutcome(outcome.kind), outcome.order.status if outcome.order else "",
                   **seen)

