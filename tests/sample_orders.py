"""Made-up orders for the store and webhook tests: one shopper's, any field overridden, and a
document as the tutorial's webhook writes it."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from lib.orders.model import Order, OrderItem, OrderStatus

EMAIL = "shopper@example.com"


def make_order(**overrides) -> Order:
    """A two-item order with a unique session id; keyword arguments replace any field."""
    items = (
        OrderItem("mug", "Enamel mug", 2, 45000, 90000, "https://example.com/img/mug.jpg"),
        OrderItem("tee", "Cotton tee", 1, 79900, 79900, None),
    )
    values = dict(
        session_id=f"cs_test_{uuid.uuid4().hex}",
        email=EMAIL,
        amount=179900,
        amount_shipping=10000,
        currency="inr",
        items=items,
        status=OrderStatus.AWAITING_PAYMENT,
        timestamp=datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC),
        shipping={"name": "Asha Rao", "address": {"city": "Pune", "country": "IN",
                                                   "line1": "1 MG Road", "postal_code": "411001"}},
        payment_intent=f"pi_{uuid.uuid4().hex[:24]}",
        images=tuple(item.image for item in items if item.image),
    )
    values.update(overrides)
    return Order(**values)


def orders_over_time(count: int, email: str = EMAIL) -> list[Order]:
    """count orders for one shopper, a minute apart, oldest first."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [make_order(email=email, session_id=f"cs_test_{i:03d}_{uuid.uuid4().hex[:8]}",
                       timestamp=start + timedelta(minutes=i)) for i in range(count)]


# A document as the tutorial's webhook writes it: major-unit floats, image URLs, no items.
WHEN = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
TUTORIAL_DOC = {"amount": 181.25, "amount_shipping": 49,
                "images": ["https://fakestoreapi.com/img/81fPKd-2AYL._AC_SL1500_.jpg"],
                "timestamp": WHEN}
