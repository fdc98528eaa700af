"""Coupons and promotion codes in the state database, and the demo code the sandbox seeds for workshops."""
from __future__ import annotations

import json
import sqlite3
import time

from ..api.errors import not_found

SCHEMA = """
CREATE TABLE IF NOT EXISTS coupons (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS promotion_codes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL,         -- lowercased: customers type codes in any case
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS promotion_codes_code ON promotion_codes (code);
"""
DEMO_CODE = "WORKSHOP10"
DEMO_COUPON = "workshop10"


def save(conn: sqlite3.Connection, table: str, doc: dict) -> None:
    """Insert or replace a coupon or promotion code document."""
    if table == "coupons":
        conn.execute("INSERT INTO coupons (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                     (doc["id"], json.dumps(doc)))
    elif table == "promotion_codes":
        conn.execute("INSERT INTO promotion_codes (id, code, doc) VALUES (?, ?, ?) "
                     "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                     (doc["id"], doc["code"].lower(), json.dumps(doc)))
    else:
        raise ValueError(table)


def load(conn: sqlite3.Connection, table: str, object_id: str) -> dict | None:
    """One coupon or promotion code by id, or None."""
    if table not in ("coupons", "promotion_codes"):
        raise ValueError(table)
    row = conn.execute(f"SELECT doc FROM {table} WHERE id = ?", (object_id,)).fetchone()
    return json.loads(row["doc"]) if row else None


def require(conn: sqlite3.Connection, table: str, object_id: str, param: str = "id") -> dict:
    """One coupon or promotion code by id, or Stripe's 404."""
    doc = load(conn, table, object_id)
    if doc is None:
        raise not_found("coupon" if table == "coupons" else "promotion code", object_id, param)
    return doc


def render_coupon(coupon: dict, expand=()) -> dict:
    """A coupon as the API shows it: applies_to only when expanded, as on Stripe (the sandbox's coupons
    apply to every product, so its list of products is empty)."""
    shown = {key: value for key, value in coupon.items() if key != "applies_to"}
    if "applies_to" in expand:
        shown["applies_to"] = {"products": []}
    return shown


def active_code(conn: sqlite3.Connection, code: str) -> dict | None:
    """The active promotion code a customer typed (any case), or None."""
    rows = conn.execute("SELECT doc FROM promotion_codes WHERE code = ? ORDER BY seq DESC", (code.strip().lower(),))
    return next((doc for doc in (json.loads(r["doc"]) for r in rows) if doc["active"]), None)


def listed(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every coupon or promotion code, newest first."""
    if table not in ("coupons", "promotion_codes"):
        raise ValueError(table)
    return [json.loads(r["doc"]) for r in conn.execute(f"SELECT doc FROM {table} ORDER BY seq DESC")]


def seed_demo_code(conn: sqlite3.Connection) -> None:
    """Create the workshop's 10%-off coupon and its WORKSHOP10 code once (kept if a learner changed them)."""
    if load(conn, "coupons", DEMO_COUPON) is not None:
        return
    now = int(time.time())
    save(conn, "coupons", {
        "id": DEMO_COUPON, "object": "coupon", "amount_off": None, "created": now,
        "currency": None, "duration": "once", "livemode": False, "max_redemptions": None,
        "metadata": {"seeded_by": "stripe_sandbox"}, "name": "Workshop 10% off", "percent_off": 10.0,
        "redeem_by": None, "times_redeemed": 0, "valid": True})
    save(conn, "promotion_codes", {
        "id": "promo_workshop10", "object": "promotion_code", "active": True, "code": DEMO_CODE,
        "created": now, "customer": None, "expires_at": None, "livemode": False, "max_redemptions": None,
        "metadata": {"seeded_by": "stripe_sandbox"}, "promotion": {"coupon": DEMO_COUPON, "type": "coupon"},
        "restrictions": {"first_time_transaction": False, "minimum_amount": None,
                         "minimum_amount_currency": None},
        "times_redeemed": 0})
