"""The SQLite order store: one file under DATA_DIR, shared by the app and the webhook sidecar."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from lib.config.private_files import make_folder
from lib.orders.model import REFUNDABLE, STATUSES, Order, OrderStatus
from lib.orders.sales import SalesSummary
from lib.orders.stored import MalformedStoredOrder, StoredOrder, read_order, skip
from lib.stores.errors import StoreError, StoreUnavailable, UnreadableStoredOrder
from lib.stores.orders import OrderPage, OrderStore, PageCursor
from lib.stores.sqlite import sales as sqlite_sales
from lib.stores.sqlite.connections import BUSY_TIMEOUT_MS, ThreadConnections

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    email           TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    timestamp       TEXT NOT NULL,  -- UTC ISO 8601 with microseconds, so text order is time order
    status          TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    amount_shipping INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    items           TEXT NOT NULL,  -- JSON list of item maps
    images          TEXT NOT NULL,  -- JSON list of URLs
    shipping        TEXT,           -- JSON map or NULL
    payment_intent  TEXT,
    discount        TEXT,           -- JSON map (amount, code, coupon) or NULL
    amount_refunded INTEGER NOT NULL DEFAULT 0,
    demo            INTEGER NOT NULL DEFAULT 0,  -- 1: made by demo data's generator
    PRIMARY KEY (email, session_id)
);
CREATE INDEX IF NOT EXISTS orders_by_email_newest
    ON orders (email, timestamp DESC, session_id DESC);
"""

COLUMNS = ("email", "session_id", "timestamp", "status", "amount", "amount_shipping",
           "currency", "items", "images", "shipping", "payment_intent", "discount", "amount_refunded",
           "demo")


def _utc_text(moment: datetime) -> str:
    """Fixed-width UTC text for a datetime (naive ones are taken as UTC, as Firestore does)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def add_missing_columns(conn: sqlite3.Connection) -> None:
    """Add the discount, amount_refunded and demo columns to an orders table that lacks them (one
    made by a schema without them), so its rows read as every other."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(orders)")}
    if "discount" not in columns:
        conn.execute("ALTER TABLE orders ADD COLUMN discount TEXT")
    if "amount_refunded" not in columns:
        conn.execute("ALTER TABLE orders ADD COLUMN amount_refunded INTEGER NOT NULL DEFAULT 0")
    if "demo" not in columns:
        conn.execute("ALTER TABLE orders ADD COLUMN demo INTEGER NOT NULL DEFAULT 0")


def _row_fields(row: sqlite3.Row) -> dict:
    """A row's columns as the stored record's fields (JSON columns parsed, text timestamp read)."""
    data = dict(row)
    for key in ("items", "images", "shipping", "discount"):
        if isinstance(data[key], str):
            try:
                data[key] = json.loads(data[key])
            except ValueError as exc:
                raise MalformedStoredOrder(f"{key} is not valid JSON ({exc})") from None
    try:
        data["timestamp"] = datetime.fromisoformat(data["timestamp"])
    except (TypeError, ValueError):
        raise MalformedStoredOrder(f"timestamp is {data['timestamp']!r}, "
                                   "not a date and time") from None
    return data


def _row_to_order(row: sqlite3.Row) -> Order:
    """Rebuild an Order from one row, or raise MalformedStoredOrder saying what is wrong with it."""
    # Every row has a session_id column, so it is never read as the tutorial's shape and
    # needs no currency for one.
    return read_order(row["email"], row["session_id"], _row_fields(row), tutorial_currency="")


def _where(row: sqlite3.Row) -> str:
    """How a log line names one row."""
    return f"orders row (email={row['email']!r}, session_id={row['session_id']!r})"


class SqliteOrderStore(OrderStore):
    """Orders in a SQLite file in WAL mode, one connection per thread."""

    backend = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._conns = ThreadConnections(self.path, BUSY_TIMEOUT_MS, row_factory=sqlite3.Row)
        try:
            make_folder(self.path.parent)
        except OSError as exc:
            raise StoreUnavailable(self._open_failure(exc)) from exc
        with self._errors():
            self._connection().executescript(SCHEMA)
            add_missing_columns(self._connection())
            sqlite_sales.install_rollup(self._connection())

    def _open_failure(self, exc: Exception) -> str:
        """A message naming the file and what to do about it."""
        return (f"Cannot open the order database {self.path}: {exc}. Fix: point DATA_DIR at a "
                "writable directory (or make this one writable).")

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        try:
            return self._conns.get()
        except sqlite3.Error as exc:
            raise StoreUnavailable(self._open_failure(exc)) from exc

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn sqlite3 errors into StoreUnavailable (cannot open, busy) or StoreError."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise StoreUnavailable(f"The order database {self.path} stayed locked for "
                                       f"{BUSY_TIMEOUT_MS} ms: {exc}") from exc
            if "unable to open" in text or "readonly" in text or "disk i/o" in text:
                raise StoreUnavailable(self._open_failure(exc)) from exc
            raise StoreError(f"The order database {self.path} failed: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"The order database {self.path} failed: {exc}") from exc

    def create_order(self, order: Order) -> bool:
        """Insert the order unless its (email, session_id) exists; True if this call inserted it."""
        record = order.to_record()
        values = {
            **record,
            "timestamp": _utc_text(order.timestamp),
            "items": json.dumps(record["items"]),
            "images": json.dumps(record["images"]),
            "shipping": json.dumps(record["shipping"]) if record["shipping"] is not None else None,
            "discount": json.dumps(record["discount"]) if record["discount"] is not None else None,
            "demo": int(order.demo),
        }
        sql = (f"INSERT INTO orders ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join(':' + c for c in COLUMNS)}) "
               "ON CONFLICT (email, session_id) DO NOTHING")
        with self._errors():
            return self._connection().execute(sql, values).rowcount == 1

    def get_order(self, email: str, session_id: str) -> Order | None:
        """The order for this shopper and session, or None."""
        with self._errors():
            row = self._connection().execute(
                "SELECT * FROM orders WHERE email = ? AND session_id = ?",
                (email, session_id)).fetchone()
        if row is None:
            return None
        try:
            return _row_to_order(row)
        except MalformedStoredOrder as exc:
            raise UnreadableStoredOrder(f"The stored {_where(row)} cannot be read: {exc}") from exc

    def advance_status(self, email: str, session_id: str, from_statuses: Iterable[str],
                       to_status: str) -> bool:
        """Move the status to to_status only if it is now one of from_statuses (one UPDATE)."""
        allowed = list(from_statuses)
        if to_status not in STATUSES:
            raise ValueError(f"unknown order status {to_status!r}")
        if not allowed:
            return False
        marks = ", ".join("?" for _ in allowed)
        with self._errors():
            cursor = self._connection().execute(
                f"UPDATE orders SET status = ? WHERE email = ? AND session_id = ? "
                f"AND status IN ({marks})", (to_status, email, session_id, *allowed))
            return cursor.rowcount == 1

    def record_refund(self, email: str, session_id: str, amount_refunded: int) -> bool:
        """One UPDATE: a larger refunded total, and the status it gives, on a refundable order."""
        marks = ", ".join("?" for _ in REFUNDABLE)
        with self._errors():
            cursor = self._connection().execute(
                "UPDATE orders SET amount_refunded = ?, status = CASE WHEN ? >= amount THEN ? ELSE ? END "
                f"WHERE email = ? AND session_id = ? AND status IN ({marks}) AND amount_refunded < ?",
                (amount_refunded, amount_refunded, OrderStatus.REFUNDED,
                 OrderStatus.PARTIALLY_REFUNDED, email, session_id, *REFUNDABLE,
                 amount_refunded))
            return cursor.rowcount == 1

    def page_orders(self, email: str, limit: int = 10,
                    after: PageCursor | None = None) -> OrderPage:
        """Up to limit orders, newest first, from just after the cursor (a keyset query)."""
        if limit < 0:
            raise ValueError("limit must not be negative")
        if limit == 0:
            return OrderPage(())
        where, args = "email = ?", [email]
        if after is not None:
            where += " AND (timestamp < ? OR (timestamp = ? AND session_id < ?))"
            args += [after.sort_value, after.sort_value, after.key]
        with self._errors():
            # One row more than asked says whether there is a next page.
            rows = self._connection().execute(
                f"SELECT * FROM orders WHERE {where} "
                "ORDER BY timestamp DESC, session_id DESC LIMIT ?", (*args, limit + 1)).fetchall()
        more, rows = len(rows) > limit, rows[:limit]
        orders, skipped = [], []
        for row in rows:
            try:
                orders.append(_row_to_order(row))
            except MalformedStoredOrder as exc:
                skipped.append(skip(_where(row), str(exc)))
        cursor = PageCursor(rows[-1]["timestamp"], rows[-1]["session_id"]) if more else None
        return OrderPage(tuple(orders), tuple(skipped), cursor)

    def count_orders(self, email: str) -> int:
        """How many orders the shopper has."""
        with self._errors():
            return self._connection().execute(
                "SELECT COUNT(*) FROM orders WHERE email = ?", (email,)).fetchone()[0]

    def delete_order(self, email: str, session_id: str) -> None:
        """Remove one order if it exists."""
        with self._errors():
            self._connection().execute(
                "DELETE FROM orders WHERE email = ? AND session_id = ?", (email, session_id))

    def sales_summary(self, currency: str) -> SalesSummary:
        """Totals by status, paid revenue by hour and by product, each one GROUP BY."""
        with self._errors():
            return sqlite_sales.sales_summary(self._connection(), currency)

    def stored_orders(self, search: str = "", limit: int = 50) -> list[StoredOrder]:
        """Rows newest first (exact email or session id when searching), JSON columns parsed."""
        with self._errors():
            return sqlite_sales.stored_orders(self._connection(), search, limit)

    def ping(self) -> None:
        """Raise StoreUnavailable unless the file can be read now."""
        try:
            self._connection().execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(self._open_failure(exc)) from exc

    def describe(self) -> str:
        """The database file's path."""
        return f"SQLite file {self.path}"

    def close(self) -> None:
        """Close every thread's connection."""
        self._conns.close_all()
