"""lib/orders/stored.py: reading stored orders, ours field by field, the tutorial's major
units, and every refusal."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lib.orders.model import OrderStatus, OrderWriter
from lib.orders.stored import MalformedStoredOrder, major_to_minor, read_order
from tests.sample_orders import TUTORIAL_DOC, WHEN, make_order


def ours(**changes) -> tuple[str, str, dict]:
    """(email, session id, fields) of one of our orders, with some fields changed or removed."""
    order = make_order()
    record = order.to_record()
    for key, value in changes.items():
        if value is ...:
            record.pop(key)
        else:
            record[key] = value
    return order.email, order.session_id, record


def test_our_record_reads_back_as_the_order():
    order = make_order()
    assert read_order(order.email, order.session_id, order.to_record(), "INR") == order
    assert order.written_by == OrderWriter.STOREFRONT


def test_the_tutorials_exact_document_is_an_order_in_minor_units():
    order = read_order("asha@example.com", "cs_test_a1", TUTORIAL_DOC, "INR")
    assert (order.amount, order.amount_shipping, order.amount_subtotal) == (18125, 4900, 13225)
    assert order.currency == "inr" and order.written_by == OrderWriter.TUTORIAL
    assert order.status == OrderStatus.PAID
    assert order.session_id == "cs_test_a1" and order.email == "asha@example.com"
    assert order.images == tuple(TUTORIAL_DOC["images"]) and order.items == ()
    assert order.timestamp == WHEN


@pytest.mark.parametrize("major, minor", [(1348.5, 134850), (181.25, 18125), (49, 4900),
                                          (0.1, 10), (0.29, 29), (1234567.89, 123456789)])
def test_major_units_convert_exactly_never_through_float_arithmetic(major, minor):
    assert major_to_minor(major, "INR", "amount") == minor


def test_a_zero_decimal_currency_keeps_whole_units():
    assert major_to_minor(1500, "JPY", "amount") == 1500
    with pytest.raises(MalformedStoredOrder, match="JPY minor units"):
        major_to_minor(15.5, "JPY", "amount")


def test_a_local_timestamp_is_read_as_utc():
    doc = {**TUTORIAL_DOC, "timestamp": datetime(2026, 3, 14, 15, 0,
                                                 tzinfo=timezone(timedelta(hours=5, minutes=30)))}
    stamp = read_order("a@example.com", "cs_1", doc, "INR").timestamp
    assert stamp == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    assert stamp.utcoffset() == timedelta(0)


TUTORIAL_BROKEN = {
    "no amount": ({k: v for k, v in TUTORIAL_DOC.items() if k != "amount"}, "no amount"),
    "amount as text": ({**TUTORIAL_DOC, "amount": "181.25"}, "not an amount"),
    "amount as a bool": ({**TUTORIAL_DOC, "amount": True}, "not an amount"),
    "amount not finite": ({**TUTORIAL_DOC, "amount": float("nan")}, "not an amount"),
    "amount below zero": ({**TUTORIAL_DOC, "amount": -5.0}, "minor units"),
    "a fraction of a paisa": ({**TUTORIAL_DOC, "amount": 181.255}, "minor units"),
    "shipping above the total": ({**TUTORIAL_DOC, "amount_shipping": 500}, "exceeds"),
    "timestamp as text": ({**TUTORIAL_DOC, "timestamp": "2026-03-14"}, "not a date"),
    "no timestamp": ({k: v for k, v in TUTORIAL_DOC.items() if k != "timestamp"},
                     "no timestamp"),
    "images not a list": ({**TUTORIAL_DOC, "images": "https://x/y.jpg"}, "list of URLs"),
    "an image not text": ({**TUTORIAL_DOC, "images": [{"url": "x"}]}, "list of URLs"),
    "empty": ({}, "no amount"),
}


@pytest.mark.parametrize("case", sorted(TUTORIAL_BROKEN))
def test_a_broken_tutorial_document_is_refused_saying_why(case):
    doc, reason = TUTORIAL_BROKEN[case]
    with pytest.raises(MalformedStoredOrder, match=reason):
        read_order("a@example.com", "cs_1", doc, "INR")


OURS_BROKEN = {
    "no amount": (dict(amount=...), "no amount"),
    "amount as text": (dict(amount="179900"), "not a whole number"),
    "amount as a float": (dict(amount=1799.0), "not a whole number"),
    "timestamp as text": (dict(timestamp="2026-03-14T09:26:53"), "not a date"),
    "no timestamp": (dict(timestamp=...), "no timestamp"),
    "items not objects": (dict(items=["mug", "tee"]), r"items\[0\] is 'mug', not an object"),
    "items not a list": (dict(items="mug"), "not a list"),
    "an item without a quantity": (dict(items=[{"product_id": "m", "name": "Mug",
                                                "unit_amount": 1, "amount_total": 1}]),
                                   "no quantity"),
    "an item's quantity as text": (dict(items=[{"product_id": "m", "name": "Mug",
                                                "quantity": "2", "unit_amount": 1,
                                                "amount_total": 2}]), "quantity"),
    "unknown status": (dict(status="shipped"), "status is 'shipped'"),
    "currency not text": (dict(currency=356), "currency"),
    "shipping not an object": (dict(shipping="Pune"), "shipping"),
    "filed under another id": (dict(session_id="cs_test_other"), "filed under"),
    "filed under another shopper": (dict(email="eve@example.com"), "filed under"),
}


@pytest.mark.parametrize("case", sorted(OURS_BROKEN))
def test_a_broken_record_of_ours_is_refused_saying_why(case):
    changes, reason = OURS_BROKEN[case]
    email, session_id, record = ours(**changes)
    with pytest.raises(MalformedStoredOrder, match=reason):
        read_order(email, session_id, record, "INR")


def test_a_document_that_is_not_a_map_is_refused():
    with pytest.raises(MalformedStoredOrder, match="not an object"):
        read_order("a@example.com", "cs_1", ["amount", 1], "INR")
