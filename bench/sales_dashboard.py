"""Benchmark 6: the Sales dashboard's script time with 10,000 orders, against a bare page."""
from __future__ import annotations

import os
import random
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import report
from bench.pages import ROOT, app_env, time_page
from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shop.catalog import load_catalog

ORDERS = 10_000
STATUS_MIX = ((OrderStatus.PAID,) * 17
              + (OrderStatus.AWAITING_PAYMENT,) * 2 + (OrderStatus.PAYMENT_FAILED,))


def workshop_orders(count: int, seed: int = 17) -> list[Order]:
    """count orders from 400 shoppers over six weeks, 1-3 catalog products each, mixed statuses."""
    rng = random.Random(seed)
    products = load_catalog(ROOT / "catalog" / "products.json", "INR").products
    end = datetime(2026, 12, 1, tzinfo=UTC)
    orders = []
    for n in range(count):
        chosen = rng.sample(products, rng.randint(1, 3))
        items = tuple(OrderItem(p.id, p.title, q, p.price, p.price * q)
                      for p, q in ((p, rng.randint(1, 3)) for p in chosen))
        orders.append(Order(
            session_id=f"cs_test_dash_{n:06d}", email=f"shopper{n % 400:03d}@example.com",
            amount=sum(i.amount_total for i in items) + 4900, amount_shipping=4900,
            currency="INR", items=items, status=rng.choice(STATUS_MIX),
            timestamp=end - timedelta(minutes=rng.randint(0, 42 * 24 * 60))))
    return orders


def fill(store, orders: list[Order]) -> None:
    """Write the orders through the port, so the Firestore rollup is maintained as in use."""
    for order in orders:
        store.create_order(order)
    store.close()


@contextmanager
def environment(values: dict):
    """Set these environment variables for the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(quick: bool = False) -> dict:
    """Benchmark 6; returns the results (also printed and saved)."""
    from lib.stores.sqlite.orders import SqliteOrderStore

    runs = 5 if quick else 20
    count = 1_000 if quick else ORDERS
    work = Path(tempfile.mkdtemp(prefix="storefront-dashboard-"))
    empty, full = work / "empty", work / "full"
    empty.mkdir()
    full.mkdir()
    fill(SqliteOrderStore(full / "orders.sqlite3"), workshop_orders(count))
    cases = [("bare page (Orders, signed out)", "pages/orders.py", empty, "sqlite"),
             ("dashboard, no orders", "pages/sales_dashboard.py", empty, "sqlite"),
             (f"dashboard, {count:,} orders, SQLite", "pages/sales_dashboard.py", full, "sqlite")]
    emulator = os.environ.get("FIRESTORE_EMULATOR_HOST", "")
    if emulator:
        from lib.stores.firestore.connection import FirestoreConnection
        from lib.stores.firestore.orders import FirestoreOrderStore

        project = f"demo-bench-{os.getpid()}"
        fill(FirestoreOrderStore(FirestoreConnection(project=project, emulator_host=emulator),
                                 owns_connection=True),
             workshop_orders(count))
        cases.append((f"dashboard, {count:,} orders, Firestore emulator", "pages/sales_dashboard.py",
                      empty, project))
    results, rows = {}, []
    for name, page, data_dir, store in cases:
        firestore = {"ORDER_STORE": "firestore", "GOOGLE_CLOUD_PROJECT": store}
        with app_env(data_dir), environment(firestore if store != "sqlite" else {}):
            timing = time_page(page, None, runs)
        timing.pop("at")
        results[name] = timing
    reference = results[cases[0][0]]["median_ms"]
    for name, timing in results.items():
        timing["ratio_to_bare"] = round(timing["median_ms"] / reference, 2)
        rows.append([name, timing["median_ms"], timing["max_ms"], timing["cold_ms"],
                     timing["ratio_to_bare"]])
    print(report.table(f"6. Sales dashboard: script time, AppTest (median of {runs} reruns)",
                       ["page", "median ms", "max ms", "first run ms", "x bare page"], rows))
    print("saved", report.save("dashboard", {"runs": runs, "orders": count, "pages": results}))
    return results
