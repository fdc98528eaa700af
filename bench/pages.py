"""Benchmark 4: server-side script time of the Shop and Orders pages, through AppTest."""
from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import report
from lib.orders.model import Order, OrderItem, OrderStatus
from lib.shoppers.identity import demo_shopper

ROOT = Path(__file__).resolve().parent.parent
SHOPPER = demo_shopper("Bench Shopper", "bench@example.com")
RUNS = 20


@contextmanager
def app_env(data_dir: Path, catalog: Path | None = None):
    """The environment an AppTest run reads settings from (sandbox mode, INR, SQLite)."""
    values = {"DATA_DIR": str(data_dir), "STORE_CURRENCY": "INR", "ORDER_STORE": "sqlite",
              "CATALOG_PATH": str(catalog) if catalog else ""}
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_WEBHOOK_SECRET",
                 "STRIPE_API_BASE", "STRIPE_SHIPPING_RATE", "APP_URL"):
        values[name] = ""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def big_catalog(work: Path, count: int = 1000) -> Path:
    """A valid catalog of count products built from the shipped ones (same images and
    categories), at work/catalog/products.json next to work/static/products."""
    shipped = json.loads((ROOT / "catalog" / "products.json").read_text())["products"]
    products = []
    for n in range(count):
        base = shipped[n % len(shipped)]
        products.append({**base, "id": f"{base['id']}-{n:04d}",
                         "title": f"{base['title']} No. {n}"})
    path = work / "catalog" / "products.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"products": products}))
    (work / "static").mkdir()
    (work / "static" / "products").symlink_to(ROOT / "static" / "products")
    return path


def seed_orders(data_dir: Path, count: int) -> None:
    """count paid orders for the bench shopper, one an hour."""
    from lib.stores.sqlite.orders import SqliteOrderStore

    store = SqliteOrderStore(data_dir / "orders.sqlite3")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        store.create_order(Order(
            session_id=f"cs_test_bench_{n:06d}", email=SHOPPER.email, amount=299800 + n,
            amount_shipping=4900, currency="INR", status=OrderStatus.PAID,
            timestamp=start + timedelta(hours=n),
            items=(OrderItem("aurora-kettle", "Aurora Steel Electric Kettle", 1, 189900,
                             189900),
                   OrderItem("comet-skipping-rope", "Comet Skipping Rope", 2, 52500, 105000)),
            shipping={"name": "Bench", "rate": "Standard", "address": {
                "line1": "1 Test St", "city": "Pune", "country": "IN"}}))
    store.close()


def time_page(page: str, shopper=None, runs: int = RUNS) -> dict:
    """Open page once (cold), then time `runs` reruns of the script; milliseconds."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    if shopper is not None:
        at.session_state["shopper"] = shopper
    start = time.perf_counter()
    at.switch_page(page).run()
    cold = (time.perf_counter() - start) * 1000
    assert not at.exception, at.exception
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return {"cold_ms": round(cold, 1), "median_ms": round(report.median(times), 1),
            "max_ms": round(max(times), 1), "runs": runs, "at": at}


def run(quick: bool = False) -> dict:
    """Benchmark 4; returns the results (also printed and saved)."""
    runs = 5 if quick else RUNS
    work = Path(tempfile.mkdtemp(prefix="storefront-pages-"))
    rows, results = [], {}
    cases = [("Shop, shipped catalog (30)", "pages/shop.py", None, None, 0),
             ("Shop, 1,000 products", "pages/shop.py", big_catalog(work / "big"), None, 0),
             ("Orders, 1,000 orders", "pages/orders.py", None, SHOPPER, 1000)]
    for n, (name, page, catalog, shopper, orders) in enumerate(cases):
        data_dir = work / f"data{n}"
        data_dir.mkdir()
        if orders:
            seed_orders(data_dir, orders)
        with app_env(data_dir, catalog):
            timing = time_page(page, shopper, runs)
        at = timing.pop("at")
        shown = (sum(1 for b in at.button if b.key.startswith("add_")) if page.endswith("shop.py")
                 else sum(1 for m in at.markdown if m.value.startswith("**Order ")))
        timing["items_shown"] = shown
        results[name] = timing
        rows.append([name, timing["median_ms"], timing["max_ms"], timing["cold_ms"], shown])
    print(report.table(f"4. Pages: server-side script time, AppTest (median of {runs} reruns)",
                       ["page", "median ms", "max ms", "first run ms", "items on screen"],
                       rows))
    print("saved", report.save("pages", {"runs": runs, "pages": results}))
    return results
