"""Products and Prices in the state database: JSON documents keyed by id, with the columns lists filter on."""
from __future__ import annotations

import json
import sqlite3

from ..api.errors import not_found

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS prices (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    product TEXT NOT NULL,
    lookup_key TEXT UNIQUE,     -- Stripe keeps a lookup key on one price at a time
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS prices_product ON prices (product);
"""
# The unique columns a single document is looked up by (names are put into the SQL).
UNIQUE_COLUMNS = {"products": ("id",), "prices": ("id", "lookup_key")}


def save_product(conn: sqlite3.Connection, product: dict) -> None:
    """Insert or replace a product document."""
    conn.execute("INSERT INTO products (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                 (product["id"], json.dumps(product)))


def _document(conn: sqlite3.Connection, table: str, column: str, value: str) -> dict | None:
    """The one document of products or prices whose unique column holds value, or None."""
    if column not in UNIQUE_COLUMNS.get(table, ()):
        raise ValueError(f"{table}.{column}")
    row = conn.execute(f"SELECT doc FROM {table} WHERE {column} = ?", (value,)).fetchone()
    return json.loads(row["doc"]) if row else None


def _required(document: dict | None, kind: str, object_id: str, param: str) -> dict:
    """The document, or Stripe's 404 for that kind of object naming the param."""
    if document is None:
        raise not_found(kind, object_id, param)
    return document


def load_product(conn: sqlite3.Connection, product_id: str) -> dict | None:
    """One product by id, or None."""
    return _document(conn, "products", "id", product_id)


def require_product(conn: sqlite3.Connection, product_id: str, param: str = "id") -> dict:
    """One product by id, or Stripe's 404 naming the param."""
    return _required(load_product(conn, product_id), "product", product_id, param)


def save_price(conn: sqlite3.Connection, price: dict) -> None:
    """Insert or replace a price document (its product id and lookup key kept in columns)."""
    conn.execute(
        "INSERT INTO prices (id, product, lookup_key, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "lookup_key = excluded.lookup_key, doc = excluded.doc",
        (price["id"], price["product"], price["lookup_key"], json.dumps(price)))


def load_price(conn: sqlite3.Connection, price_id: str) -> dict | None:
    """One price by id (product as an id), or None."""
    return _document(conn, "prices", "id", price_id)


def require_price(conn: sqlite3.Connection, price_id: str, param: str = "id") -> dict:
    """One price by id, or Stripe's 404 naming the param."""
    return _required(load_price(conn, price_id), "price", price_id, param)


def price_with_product(conn: sqlite3.Connection, price_id: str) -> dict | None:
    """One price by id with its product expanded (as line items store it), or None."""
    price = load_price(conn, price_id)
    if price is None:
        return None
    return {**price, "product": load_product(conn, price["product"])}


def price_with_lookup_key(conn: sqlite3.Connection, lookup_key: str) -> dict | None:
    """The price holding this lookup key, if any."""
    return _document(conn, "prices", "lookup_key", lookup_key)


def release_lookup_key(conn: sqlite3.Connection, lookup_key: str) -> None:
    """Take a lookup key off whichever price holds it (transfer_lookup_key)."""
    holder = price_with_lookup_key(conn, lookup_key)
    if holder is not None:
        holder["lookup_key"] = None
        save_price(conn, holder)


def has_prices(conn: sqlite3.Connection, product_id: str) -> bool:
    """Whether any price belongs to this product."""
    return conn.execute("SELECT 1 FROM prices WHERE product = ? LIMIT 1", (product_id,)).fetchone() is not None


def delete_product(conn: sqlite3.Connection, product_id: str) -> None:
    """Remove a product document."""
    conn.execute("DELETE FROM products WHERE id = ?", (product_id,))


def list_documents(conn: sqlite3.Connection, table: str, conditions=()) -> list[dict]:
    """Every document of products or prices meeting the (sql, value) conditions, newest first."""
    if table not in UNIQUE_COLUMNS:
        raise ValueError(table)
    where = " AND ".join(sql for sql, _ in conditions)
    rows = conn.execute(f"SELECT doc FROM {table}" + (f" WHERE {where}" if where else "") + " ORDER BY seq DESC",
                        [value for _, value in conditions]).fetchall()
    return [json.loads(r["doc"]) for r in rows]
