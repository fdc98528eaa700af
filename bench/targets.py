"""The issues' targets, checked against one run's results (ratios within the run, medians of repeats)."""
from __future__ import annotations

from bench import report


def _median_of(runs: list[dict], store: str, pick) -> float:
    """Median over the store's repeats of pick(run)."""
    return report.median([pick(r) for r in runs if r["store"] == store])


def summary(results: dict, failures: dict[str, str] | None = None) -> str:
    """A table: target, measured value, met or missed; then each benchmark or pass that could
    not finish, FAILED with its reason."""
    rows = []

    def check(name: str, value: float, limit: float, higher_is_better: bool, unit: str) -> None:
        met = value >= limit if higher_is_better else value <= limit
        sign = ">=" if higher_is_better else "<="
        rows.append([name, f"{value:,.2f} {unit}", f"{sign} {limit:g} {unit}",
                     "met" if met else "MISSED"])

    runs = results.get("webhooks", {}).get("runs", [])
    for store in ("sqlite", "firestore"):
        if any(r["store"] == store for r in runs):
            check(f"accepted events/s vs reference, {store}",
                  _median_of(runs, store, lambda r: r["closed"]["rate"] / r["ref_closed"]["rate"]),
                  0.9, True, "x")
            check(f"p99 at 100/s vs reference p99, {store}",
                  _median_of(runs, store, lambda r: r["open"]["p99_ms"] / r["ref_open"]["p99_ms"]),
                  1.5, False, "x")
            check(f"duplicates vs reference, {store}",
                  _median_of(runs, store, lambda r: r["dup"]["rate"] / r["ref_dup"]["rate"]),
                  2, True, "x")
            exact = all(r["orders"] == r["unique_events"] for r in runs if r["store"] == store)
            rows.append([f"orders in store == unique events (drained), {store}", str(exact),
                         "True", "met" if exact else "MISSED"])
    for path, figures in results.get("fulfilment", {}).get("paths", {}).items():
        check(f"{path}: sustained fulfilment at 150 ms", figures["burst"]["fulfilled_per_s"],
              100, True, "/s")
        check(f"{path}: event-to-order p50 at 100/s", figures["steady"]["p50_ms"] / 1000,
              0.5, False, "s")
        check(f"{path}: event-to-order p99 at 100/s", figures["steady"]["p99_ms"] / 1000,
              2, False, "s")
        rows.append([f"{path}: orders in store == unique events", str(figures["exact"]),
                     "True", "met" if figures["exact"] else "MISSED"])
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
    for row in results.get("pay", {}).get("runs", []):
        name = f"pay-to-order, {row['path']}, {row['latency_ms']:g} ms latency"
        check(f"{name}: p50", row["median_ms"] / 1000, 0.5, False, "s")
        check(f"{name}: p99", row["p99_ms"] / 1000, 2, False, "s")
    for name, target in results.get("browser", {}).get("targets", {}).items():
        check(f"browser: {name} / bare app", target["ratio"], target["limit"], False, "x")  # issue 16
    if "uv_to_pip" in results.get("install", {}):
        check("first install: uv / pip, fresh venv, no cache", results["install"]["uv_to_pip"],
              results["install"]["target"], False, "x")  # issue 25
    for name, result in results.items():
        for why in result.get("failed_passes", []) if isinstance(result, dict) else []:
            rows.append([f"{name}: a pass that did not finish (tried twice)", why, "finishes",
                         "FAILED"])
    for name, why in (failures or {}).items():
        rows.append([f"{name}: did not finish (tried twice)", why, "finishes", "FAILED"])
    return report.table("Targets (issues 7, 14, 16, 17, 25)",
                        ["target", "measured", "wanted", "verdict"], rows)
