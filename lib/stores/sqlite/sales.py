"""The dashboard's and the data explorer's SQL over the orders table (one query per figure)."""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from lib.orders.model import OrderStatus
from lib.orders.sales import (
    UNKNOWN_PRODUCT,
    HourTotal,
    ProductTotal,
    SalesSummary,
    StatusTotal,
)
from lib.orders.stored import StoredOrder, search_terms

JSON_COLUMNS = ("items", "images", "shipping")

BY_STATUS = """SELECT status, COUNT(*), COALESCE(SUM(amount), 0) FROM orders
               WHERE upper(currency) = ? GROUP BY status ORDER BY status"""
# Timestamps are fixed-width UTC text, so the first 13 characters name the hour.
BY_HOUR = """SELECT substr(timestamp, 1, 13) AS hour, COUNT(*), SUM(amount) FROM orders
             WHERE upper(currency) = ? AND status = ? GROUP BY hour ORDER BY hour"""
BY_PRODUCT = """SELECT product_id, name, units, revenue FROM product_sales
                WHERE currency = ? AND status = ? AND units != 0 ORDER BY product_id"""
GENERATED = "SELECT COUNT(*) FROM orders WHERE upper(currency) = ? AND demo = 1"

# Units and revenue per (currency, status, product), kept by triggers in the same transaction
# as every insert, status change and delete of an order: reading it is a handful of rows,
# not a json_each over every order's items.
ROLLUP = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS product_sales (
    currency   TEXT NOT NULL,
    status     TEXT NOT NULL,
    product_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    units      INTEGER NOT NULL,
    revenue    INTEGER NOT NULL,
    PRIMARY KEY (currency, status, product_id)
);
CREATE TRIGGER IF NOT EXISTS product_sales_insert AFTER INSERT ON orders BEGIN
    {add_new}
END;
CREATE TRIGGER IF NOT EXISTS product_sales_delete AFTER DELETE ON orders BEGIN
    {take_old}
END;
CREATE TRIGGER IF NOT EXISTS product_sales_status AFTER UPDATE OF status ON orders
WHEN OLD.status IS NOT NEW.status BEGIN
    {take_old}
    {add_new}
END;
{backfill}
COMMIT;
"""
LINES = """INSERT INTO product_sales (currency, status, product_id, name, units, revenue)
    SELECT upper({row}.currency), {row}.status,
           COALESCE(NULLIF(item.value ->> 'product_id', ''), '{unknown}'),
           COALESCE(item.value ->> 'name', ''), {sign} * (item.value ->> 'quantity'),
           {sign} * (item.value ->> 'amount_total')
    FROM {source} AS item WHERE {condition}
    ON CONFLICT (currency, status, product_id) DO UPDATE
    SET units = units + excluded.units, revenue = revenue + excluded.revenue,
        name = CASE WHEN excluded.units > 0 THEN excluded.name ELSE name END;"""


def _lines(row: str, sign: int, source: str = "", condition: str = "true") -> str:
    """The upsert adding (sign 1) or taking (-1) one order's (or every order's) lines."""
    return LINES.format(row=row, sign=sign, unknown=UNKNOWN_PRODUCT, condition=condition,
                        source=source or f"json_each({row}.items)")


def install_rollup(conn: sqlite3.Connection) -> None:
    """Create the product_sales rollup and its triggers once, in one write transaction, filled
    from the orders already stored when it is new (a database made without the rollup)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' "
                    "AND name = 'product_sales_status'").fetchone():
        return
    # An empty rollup with orders stored means it was just created: every order written since
    # the triggers exist leaves a row, so the backfill cannot count an order twice.
    backfill = _lines("orders", 1, "orders, json_each(orders.items)",
                      "NOT EXISTS (SELECT 1 FROM product_sales)")
    script = ROLLUP.format(add_new=_lines("NEW", 1), take_old=_lines("OLD", -1),
                           backfill=backfill)
    try:
        conn.executescript(script)
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def sales_summary(conn: sqlite3.Connection, currency: str) -> SalesSummary:
    """Order counts and sums by status, paid revenue by hour and by product, for one currency."""
    code = currency.upper()
    statuses = tuple(StatusTotal(s, n, a) for s, n, a in conn.execute(BY_STATUS, (code,)))
    hours = tuple(HourTotal(datetime.fromisoformat(h + ":00:00").replace(tzinfo=UTC), n, a)
                  for h, n, a in conn.execute(BY_HOUR, (code, OrderStatus.PAID)))
    products = tuple(ProductTotal(p, name or "", int(units or 0), int(revenue or 0))
                     for p, name, units, revenue
                     in conn.execute(BY_PRODUCT, (code, OrderStatus.PAID)))
    (generated,) = conn.execute(GENERATED, (code,)).fetchone()
    return SalesSummary(code, statuses, hours, products, int(generated))


def _stored(row: sqlite3.Row) -> StoredOrder:
    """A row as the explorer shows it: the JSON columns parsed, everything else as stored."""
    document = {key: row[key] for key in row.keys()}
    for key in JSON_COLUMNS:
        if document.get(key) is not None:
            document[key] = json.loads(document[key])
    if "demo" in document:
        document["demo"] = bool(document["demo"])  # as Firestore keeps it
    where = f"table orders, row email={row['email']!r} session_id={row['session_id']!r}"
    return StoredOrder(where, document)


def stored_orders(conn: sqlite3.Connection, search: str, limit: int) -> list[StoredOrder]:
    """Rows newest first; with a search, those whose email or session id is exactly it."""
    email, session_id = search_terms(search)
    rows = conn.execute(
        "SELECT * FROM orders WHERE ? = '' OR email = ? OR session_id = ? "
        "ORDER BY timestamp DESC, session_id DESC LIMIT ?",
        (session_id, email, session_id, limit)).fetchall()
    return [_stored(row) for row in rows]
