"""The Firestore sales rollup: one document per UTC day, kept in step with every order write.

Firestore's aggregation queries can count and sum a field, but not the line items inside an
order, so the dashboard reads a rollup instead: each order write (create, status change,
delete) adds its signed contribution to sales_rollup/{YYYY-MM-DD} in the same batch or
transaction, so the rollup and the orders never disagree. Orders written to Firestore by
anything other than this store (the tutorial's own code, say) are not in it.
"""
from __future__ import annotations

from datetime import UTC, datetime

from google.cloud.firestore import Increment

from lib.orders.model import OrderStatus
from lib.orders.sales import (
    UNKNOWN_PRODUCT,
    HourTotal,
    ProductTotal,
    SalesSummary,
    StatusTotal,
)
from lib.orders.stored import is_demo

ROLLUP_COLLECTION = "sales_rollup"


def _utc(moment: datetime) -> datetime:
    """A datetime in UTC (naive ones are taken as UTC, as Firestore does)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def day_id(moment: datetime) -> str:
    """The rollup document id for the UTC day of moment."""
    return _utc(moment).strftime("%Y-%m-%d")


def contribution(record: dict, sign: int) -> dict:
    """What one stored order adds (sign +1) to, or takes (-1) from, its day's rollup."""
    currency = str(record.get("currency") or "").upper() or "?"
    status = str(record.get("status") or "?")
    amount = int(record.get("amount") or 0)
    part: dict = {"status": {status: {"orders": sign, "amount": sign * amount}}}
    if is_demo(record):
        # Counted here so the dashboard's "n are demo data" costs no query of its own.
        part["generated_orders"] = sign
    if status == OrderStatus.PAID:
        hour = f"{_utc(record['timestamp']).hour:02d}"
        part["paid_hours"] = {hour: {"orders": sign, "amount": sign * amount}}
        products: dict = {}
        for item in record.get("items") or ():
            key = item.get("product_id") or UNKNOWN_PRODUCT
            line = products.setdefault(key, {"units": 0, "revenue": 0})
            line["units"] += sign * int(item.get("quantity") or 0)
            line["revenue"] += sign * int(item.get("amount_total") or 0)
            if sign > 0:
                line["name"] = item.get("name") or ""
        part["paid_products"] = products
    return {"currencies": {currency: part}}


def _merge(into: dict, extra: dict) -> dict:
    """Add extra's numbers into into's, key by key (names are taken from extra)."""
    for key, value in extra.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        elif isinstance(value, int):
            into[key] = into.get(key, 0) + value
        else:
            into[key] = value
    return into


def _as_increments(delta: dict) -> dict:
    """The delta with every number as a Firestore Increment transform."""
    return {key: _as_increments(value) if isinstance(value, dict)
            else Increment(value) if isinstance(value, int) else value
            for key, value in delta.items()}


def rollup_write(client, changes: list[tuple[dict, int]]):
    """(reference, data) to set with merge=True for orders of one day: [(record, sign), ...]."""
    delta: dict = {}
    for record, sign in changes:
        _merge(delta, contribution(record, sign))
    day = day_id(changes[0][0]["timestamp"])
    data = {"day": day, **_as_increments(delta)}
    return client.collection(ROLLUP_COLLECTION).document(day), data


def summary_from_days(documents: list[dict], currency: str) -> SalesSummary:
    """Add up the day documents' figures for one currency."""
    code = currency.upper()
    statuses: dict[str, list[int]] = {}
    hours: list[HourTotal] = []
    products: dict[str, list] = {}
    generated = 0
    for doc in sorted(documents, key=lambda d: d.get("day", "")):
        part = (doc.get("currencies") or {}).get(code) or {}
        generated += int(part.get("generated_orders") or 0)
        for status, total in (part.get("status") or {}).items():
            figures = statuses.setdefault(status, [0, 0])
            figures[0] += int(total.get("orders", 0))
            figures[1] += int(total.get("amount", 0))
        day = datetime.strptime(doc["day"], "%Y-%m-%d").replace(tzinfo=UTC)
        for hour, total in sorted((part.get("paid_hours") or {}).items()):
            if int(total.get("orders", 0)):
                hours.append(HourTotal(day.replace(hour=int(hour)), int(total["orders"]),
                                       int(total.get("amount", 0))))
        for product_id, line in (part.get("paid_products") or {}).items():
            figures = products.setdefault(product_id, [line.get("name", ""), 0, 0])
            figures[0] = line.get("name") or figures[0]
            figures[1] += int(line.get("units", 0))
            figures[2] += int(line.get("revenue", 0))
    return SalesSummary(
        code,
        tuple(StatusTotal(s, n, a) for s, (n, a) in sorted(statuses.items()) if n),
        tuple(hours),
        tuple(ProductTotal(p, name, u, r) for p, (name, u, r) in sorted(products.items()) if u),
        generated,
    )
