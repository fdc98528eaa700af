"""The issue's targets, checked against one run's results (ratios within the run, medians of repeats)."""
from __future__ import annotations

from bench import report


def _median_of(runs: list[dict], store: str, pick) -> float:
    """Median over the store's repeats of pick(run)."""
    return report.median([pick(r) for r in runs if r["store"] == store])


def summary(results: dict) -> str:
    """A table: target, measured value, met or missed."""
    rows = []

    def check(name: str, value: float, limit: float, higher_is_better: bool, unit: str) -> None:
        met = value >= limit if higher_is_better else value <= limit
        sign = ">=" if higher_is_better else "<="
        rows.append([name, f"{value:,.2f} {unit}", f"{sign} {limit:g} {unit}",
                     "met" if met else "MISSED"])

    runs = results.get("webhooks", {}).get("runs", [])
    for store, floor in (("sqlite", 500), ("firestore", 300)):
        if any(r["store"] == store for r in runs):
            check(f"new orders/s, {store}", _median_of(runs, store, lambda r: r["closed"]["rate"]),
                  floor, True, "/s")
            check(f"p99 at 100/s, {store}", _median_of(runs, store, lambda r: r["open"]["p99_ms"]),
                  10, False, "ms")
            check(f"duplicates vs reference, {store}",
                  _median_of(runs, store, lambda r: r["dup"]["rate"] / r["ref_dup"]["rate"]),
                  1.2, True, "x")
            exact = all(r["orders"] == r["unique_events"] for r in runs if r["store"] == store)
            rows.append([f"orders in store == unique events, {store}", str(exact), "True",
                         "met" if exact else "MISSED"])
    pages = results.get("pages", {})
    if "Shop, 1,000 products" in pages:
        check("Shop page, 1,000 products", pages["Shop, 1,000 products"]["median_ms"], 150,
              False, "ms")
    if "Orders, 1,000 orders" in pages:
        check("Orders page, 1,000 orders", pages["Orders, 1,000 orders"]["median_ms"], 200,
              False, "ms")
    for name, timing in results.get("dashboard", {}).items():
        if name.startswith("dashboard, 10,000 orders"):
            check(f"Sales {name}", timing["median_ms"], 300, False, "ms")  # issue 17
    if "pay" in results:
        check("pay-to-order median", results["pay"]["median_ms"] / 1000, 1, False, "s")
    return report.table("Targets (issue 7)", ["target", "measured", "wanted", "verdict"], rows)
