"""Stored orders: the raw document as the store keeps it, and reading it back into an Order
(ours or the tutorial's), refusing any that cannot be read."""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from lib.orders.model import STATUSES, Order, OrderItem, OrderStatus, OrderWriter
from lib.shop.money import exponent

# Fields only our own documents have; the tutorial's webhook writes none of them.
OUR_FIELDS = frozenset({"session_id", "email", "currency", "items", "status"})
ITEM_AMOUNTS = ("quantity", "unit_amount", "amount_total")
LOG = logging.getLogger("storefront.orders")


@dataclass(frozen=True)
class StoredOrder:
    """One stored order: its location (a Firestore path or a table row) and its raw document."""

    location: str
    document: dict


def jsonable(value):
    """The stored value with dates as ISO 8601 text, so it can be shown as JSON."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def search_terms(text: str) -> tuple[str, str]:
    """(email, session_id) to look for: the text trimmed, emails lowercased as orders store them."""
    term = text.strip()
    return term.lower(), term


class MalformedStoredOrder(ValueError):
    """A stored order's document that cannot be read as an Order; the message says what is
    wrong with it (the stores pass it on as UnreadableStoredOrder, or skip the order)."""


@dataclass(frozen=True)
class SkippedStoredOrder:
    """A stored order left out of a list: where it is stored and why it could not be read."""

    where: str
    reason: str


def skip(where: str, reason: str) -> SkippedStoredOrder:
    """Log one unreadable stored order by name (for whoever runs the app) and describe it."""
    LOG.warning("Skipped the unreadable order %s: %s", where, reason)
    return SkippedStoredOrder(where, reason)


def _whole(value, name: str) -> int:
    """A non-negative int (never a bool, a float or text)."""
    if type(value) is not int or value < 0:
        raise MalformedStoredOrder(f"{name} is {value!r}, not a whole number of minor units")
    return value


def _text(value, name: str, optional: bool = False) -> str | None:
    """A string (or None when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise MalformedStoredOrder(f"{name} is {value!r}, not text")
    return value


def _moment(value) -> datetime:
    """A timestamp as a plain timezone-aware UTC datetime (naive ones are UTC, as Firestore's)."""
    if not isinstance(value, datetime):
        raise MalformedStoredOrder(f"timestamp is {value!r}, not a date and time")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    # Firestore's DatetimeWithNanoseconds compares and prints oddly; keep a plain datetime.
    return datetime(value.year, value.month, value.day, value.hour, value.minute,
                    value.second, value.microsecond, tzinfo=UTC)


def _images(value) -> tuple[str, ...]:
    """A list of image URLs."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise MalformedStoredOrder(f"images is {value!r}, not a list of URLs")
    return tuple(value)


def _item(value, index: int) -> OrderItem:
    """One line of an order, every field of the right type."""
    if not isinstance(value, dict):
        raise MalformedStoredOrder(f"items[{index}] is {value!r}, not an object")
    for key in ("product_id", "name", *ITEM_AMOUNTS):
        if key not in value:
            raise MalformedStoredOrder(f"items[{index}] has no {key}")
    return OrderItem(
        product_id=_text(value["product_id"], f"items[{index}].product_id"),
        name=_text(value["name"], f"items[{index}].name"),
        **{key: _whole(value[key], f"items[{index}].{key}") for key in ITEM_AMOUNTS},
        image=_text(value.get("image"), f"items[{index}].image", optional=True),
    )


def major_to_minor(value, currency: str, name: str) -> int:
    """The tutorial's major-unit number (181.25) as exact minor units (18125), via Decimal."""
    if type(value) not in (int, float) or (isinstance(value, float) and not math.isfinite(value)):
        raise MalformedStoredOrder(f"{name} is {value!r}, not an amount")
    # str() of a float is its shortest round-tripping decimal, which is what the tutorial's
    # JavaScript divided to (amount_total / 100): 1348.5, never 1348.4999...
    scaled = Decimal(str(value)).scaleb(exponent(currency))
    if scaled < 0 or scaled != scaled.to_integral_value():
        raise MalformedStoredOrder(f"{name} is {value!r}, not a whole number of "
                              f"{currency.upper()} minor units")
    return int(scaled)


def is_demo(document: dict) -> bool:
    """Whether a stored order's document (as the stores' stored_orders give it) carries demo
    data's mark."""
    return document.get("demo") is True


def _demo(value) -> bool:
    """The demo mark: absent, a bool, or SQLite's 0/1."""
    if value is None or (type(value) in (bool, int) and value in (0, 1)):
        return bool(value)
    raise MalformedStoredOrder(f"demo is {value!r}, not true or false")


def _our_order(email: str, session_id: str, data: dict) -> Order:
    """An order in the shape this app writes; every field is checked."""
    missing = [key for key in ("session_id", "amount", "amount_shipping", "currency", "status",
                               "timestamp") if key not in data]
    if missing:
        raise MalformedStoredOrder(f"it has no {', '.join(missing)}")
    if data["session_id"] != session_id or data.get("email", email) != email:
        raise MalformedStoredOrder(f"it says it is {data.get('email')!r}/{data['session_id']!r}, "
                              f"but is filed under {email!r}/{session_id!r}")
    status = data["status"]
    if status not in STATUSES:
        raise MalformedStoredOrder(f"status is {status!r}, not one of {', '.join(STATUSES)}")
    items = data.get("items") or []
    if not isinstance(items, (list, tuple)):
        raise MalformedStoredOrder(f"items is {items!r}, not a list")
    shipping = data.get("shipping")
    if shipping is not None and not isinstance(shipping, dict):
        raise MalformedStoredOrder(f"shipping is {shipping!r}, not an object")
    discount = data.get("discount")
    if discount is not None and not (isinstance(discount, dict)
                                     and type(discount.get("amount", 0)) is int):
        raise MalformedStoredOrder(f"discount is {discount!r}, not an object with a whole amount")
    amount = _whole(data["amount"], "amount")
    amount_shipping = _whole(data["amount_shipping"], "amount_shipping")
    if amount_shipping > amount:
        raise MalformedStoredOrder(f"amount_shipping {amount_shipping} exceeds amount {amount}")
    return Order(
        session_id=session_id, email=email, amount=amount, amount_shipping=amount_shipping,
        currency=_text(data["currency"], "currency"),
        items=tuple(_item(item, n) for n, item in enumerate(items)),
        status=OrderStatus(status), timestamp=_moment(data["timestamp"]), shipping=shipping,
        payment_intent=_text(data.get("payment_intent"), "payment_intent", optional=True),
        images=_images(data.get("images") or []), discount=discount,
        amount_refunded=_whole(data.get("amount_refunded") or 0, "amount_refunded"),
        demo=_demo(data.get("demo")),
    )


def _tutorial_order(email: str, session_id: str, data: dict, currency: str) -> Order:
    """An order written by the tutorial's webhook: major units, no items, no currency."""
    missing = [key for key in ("amount", "amount_shipping", "images", "timestamp")
               if key not in data]
    if missing:
        raise MalformedStoredOrder(f"it has no {', '.join(missing)}")
    amount = major_to_minor(data["amount"], currency, "amount")
    amount_shipping = major_to_minor(data["amount_shipping"], currency, "amount_shipping")
    if amount_shipping > amount:
        raise MalformedStoredOrder(f"amount_shipping {data['amount_shipping']!r} exceeds "
                              f"amount {data['amount']!r}")
    # The tutorial records an order on checkout.session.completed and never looks at
    # payment_status, so a recorded order is what it considered paid.
    return Order(session_id=session_id, email=email, amount=amount,
                 amount_shipping=amount_shipping, currency=currency.lower(), items=(),
                 status=OrderStatus.PAID, timestamp=_moment(data["timestamp"]),
                 images=_images(data["images"]), written_by=OrderWriter.TUTORIAL)


def read_order(email: str, session_id: str, data, tutorial_currency: str) -> Order:
    """The order stored under email/session_id, or MalformedStoredOrder saying why it cannot be
    read.

    Documents with none of our own fields are read as the tutorial's, in tutorial_currency
    (its webhook records no currency).
    """
    if not isinstance(data, dict):
        raise MalformedStoredOrder(f"it is {type(data).__name__}, not an object")
    if OUR_FIELDS.isdisjoint(data):
        return _tutorial_order(email, session_id, data, tutorial_currency)
    return _our_order(email, session_id, data)
