"""The return from Stripe Checkout: confirm once, check who may see it, empty the paid basket."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import stripe

from lib.checkout.fulfilment import (
    FulfilmentKind,
    PaymentNotConfirmed,
    UnknownSession,
    confirm_payment,
    is_session_id,
)
from lib.clock import utc_now
from lib.orders.model import Order, OrderStatus
from lib.shoppers.identity import Shopper
from lib.stores.baskets import BasketStore
from lib.stores.errors import StoreError
from lib.stores.orders import OrderStore


class ReturnKind(StrEnum):
    """What the success page may show; one kind each, the page picks the words."""

    NO_SESSION_ID = "no_session_id"          # the URL carries no checkout session id
    UNKNOWN_SESSION = "unknown_session"      # Stripe has no such session
    NOT_SAVED = "not_saved"                  # paid (maybe), but the order store failed
    UNCONFIRMED = "unconfirmed"              # Stripe could not be asked just now (detail: why)
    NOT_COMPLETE = "not_complete"            # the session is open or expired (detail: status)
    OTHER_ACCOUNT = "other_account"          # the order is not this shopper's
    CONFIRMED = "confirmed"                  # paid: the order is shown
    AWAITING = "awaiting_payment"            # a bank transfer is on its way: the order is shown
    FAILED = "payment_failed"                # the delayed payment failed: the order is shown


SHOWS_ORDER = (ReturnKind.CONFIRMED, ReturnKind.AWAITING, ReturnKind.FAILED)


@dataclass(frozen=True)
class CheckoutReturn:
    """What the success page should show: a kind, the order for the three order kinds, and a
    detail (Stripe's message for UNCONFIRMED, the session status for NOT_COMPLETE)."""

    kind: ReturnKind
    order: Order | None = None
    detail: str = ""
    basket_emptied: bool = False


def _order_kind(order: Order) -> ReturnKind:
    """The kind to show for an order the shopper owns."""
    return {OrderStatus.AWAITING_PAYMENT: ReturnKind.AWAITING,
            OrderStatus.PAYMENT_FAILED: ReturnKind.FAILED}.get(order.status,
                                                                ReturnKind.CONFIRMED)


def owns(shopper: Shopper, order: Order) -> bool:
    """Whether this shopper may see the order: signed in as the email it is filed under."""
    return shopper.signed_in and shopper.email == order.email


def return_from_checkout(session_id: str, shopper: Shopper, client: stripe.StripeClient,
                         orders: OrderStore, baskets: BasketStore, clock: Callable[[], datetime] = utc_now
                         ) -> CheckoutReturn:
    """Confirm the session with Stripe (one retrieve), record the order once, and empty the
    shopper's basket if it is still exactly the one paid for; say what the page should show."""
    if not is_session_id(session_id):
        return CheckoutReturn(ReturnKind.NO_SESSION_ID)
    try:
        # The query string is only a hint: the order comes from what Stripe itself says.
        outcome = confirm_payment(session_id, client, orders, clock)
    except UnknownSession:
        return CheckoutReturn(ReturnKind.UNKNOWN_SESSION)
    except StoreError:
        return CheckoutReturn(ReturnKind.NOT_SAVED)
    except PaymentNotConfirmed as exc:
        return CheckoutReturn(ReturnKind.UNCONFIRMED, detail=str(exc))
    if outcome.kind == FulfilmentKind.NOT_COMPLETE:
        return CheckoutReturn(ReturnKind.NOT_COMPLETE, detail=outcome.session_status)
    order = outcome.order
    if order is None:
        # The store said the order exists yet cannot read it back: the webhook will settle it.
        return CheckoutReturn(ReturnKind.NOT_SAVED)
    if not owns(shopper, order):
        return CheckoutReturn(ReturnKind.OTHER_ACCOUNT)
    paid_version = (outcome.metadata or {}).get("basket_version")
    return CheckoutReturn(_order_kind(order), order,
                          basket_emptied=_empty_paid_basket(baskets, shopper, paid_version))


def _empty_paid_basket(baskets: BasketStore, shopper: Shopper, paid_version: str | None) -> bool:
    """Empty the basket only if it is exactly the one paid for; one changed since checkout
    started keeps its new contents. True if it was emptied."""
    basket = baskets.load(shopper.key)
    if paid_version is None or str(basket.version) != paid_version or not basket.lines:
        return False
    baskets.clear(shopper.key)
    return True
