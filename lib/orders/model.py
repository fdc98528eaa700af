"""The order: what a paid checkout leaves behind, in integer minor units; to_record() gives the
order record that fulfilment writes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class OrderStatus(StrEnum):
    """Where an order's payment stands; the values are what the stores hold."""

    AWAITING_PAYMENT = "awaiting_payment"  # checkout complete, a delayed payment settling
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


STATUSES = tuple(OrderStatus)
# The statuses a refund may be recorded on (a paid order, or one refunded in part already).
REFUNDABLE = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


def refund_status(amount: int, amount_refunded: int) -> OrderStatus:
    """The status an order refunded amount_refunded of amount has."""
    if amount_refunded >= amount:
        return OrderStatus.REFUNDED
    return OrderStatus.PARTIALLY_REFUNDED


class OrderWriter(StrEnum):
    """Who wrote an order: this app, or the tutorial's own webhook (major units, no items)."""

    STOREFRONT = "storefront"
    TUTORIAL = "tutorial"


# The Checkout Session metadata key demo data's generator (lib.presenter.demo_data) sets to
# "true", and only it: the order recorded from that session carries demo=True, the one mark
# that demo data's count and removal trust.
DEMO_METADATA_KEY = "demo_data"


@dataclass(frozen=True)
class OrderItem:
    """One line of an order, priced as Stripe charged it."""

    product_id: str
    name: str
    quantity: int
    unit_amount: int
    amount_total: int
    image: str | None = None


@dataclass(frozen=True)
class Order:
    """An order filed under users/{email}/orders/{session_id}, as in the tutorial."""

    session_id: str
    email: str
    amount: int
    amount_shipping: int
    currency: str
    items: tuple[OrderItem, ...]
    status: OrderStatus
    timestamp: datetime
    shipping: dict | None = None
    payment_intent: str | None = None
    images: tuple[str, ...] = field(default=())
    # {"amount": minor units taken off, "code": the promotion code typed or None, "coupon": id}
    discount: dict | None = None
    amount_refunded: int = 0  # Stripe's charge.amount_refunded: all refunds so far, in minor units
    demo: bool = False  # made by demo data's generator, never by a shopper's checkout

    @property
    def amount_discount(self) -> int:
        """What the discount took off the items (0 without one)."""
        return int((self.discount or {}).get("amount") or 0)
    written_by: OrderWriter = OrderWriter.STOREFRONT

    @property
    def amount_subtotal(self) -> int:
        """The items' total before the discount and shipping."""
        return self.amount - self.amount_shipping + self.amount_discount

    def to_record(self) -> dict:
        """The order record: the plain data fulfilment writes (the Firestore document and the
        SQLite row's content).

        written_by is not stored: it is what a reader infers from the document's shape.
        """
        return {
            "session_id": self.session_id,
            "email": self.email,
            "amount": self.amount,
            "amount_shipping": self.amount_shipping,
            "currency": self.currency,
            "items": [vars(item).copy() for item in self.items],
            "images": list(self.images),
            "status": self.status,
            "timestamp": self.timestamp,
            "shipping": self.shipping,
            "payment_intent": self.payment_intent,
            "discount": self.discount,
            "amount_refunded": self.amount_refunded,
            "demo": self.demo,
        }
