"""The issues' targets, checked against one run's results (ratios within the run, medians of repeats)."""
from __future__ import annotations

from bench import report
from bench.webhook_tables import ratio


def _median_of(runs: list[dict], store: str, pick) -> float:
    """Median over the store's repeats of pick(run)."""
    return report.median([pick(r) for r in runs if r["store"] == store])


def webhook_targets(runs: list[dict], store: str, check) -> None:
    """Issue 26's webhook targets for one store: accepted and p99 against the write floor
    (verify plus one durable insert), duplicates against the verify-only reference, fulfilled
    against the old synchronous path, and the receipt-to-order lag."""
    def median(pick) -> float:
        """pick(run)'s median over the store's repeats."""
        return _median_of(runs, store, pick)

    check(f"accepted events/s vs write floor, {store}",
          median(lambda r: ratio(r["closed"]["rate"], r["floor_closed"]["rate"])), 0.9, True, "x")
    check(f"p99 at 100/s vs write floor p99, {store}",
          median(lambda r: ratio(r["open"]["p99_ms"], r["floor_open"]["p99_ms"])), 1.5, False, "x")
    check(f"duplicates vs verify-only reference, {store}",
          median(lambda r: ratio(r["dup"]["rate"], r["ref_dup"]["rate"])), 2, True, "x")
    check(f"fulfilled/s vs old synchronous path, {store}",
          median(lambda r: ratio(r["closed_drain"]["fulfilled_per_s"],
                                     r["old"]["closed"]["rate"])),
          1, True, "x")
    check(f"receipt-to-order lag p99 at 100/s, {store}",
          median(lambda r: r["open_drain"]["lag_p99_ms"]), 250, False, "ms")


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
            webhook_targets(runs, store, check)
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
        check(f"browser: {name}", target["ratio"], target["limit"], False, "x")  # issues 16, 26
    if "uv_to_pip" in results.get("install", {}):
        check("first install: uv / pip, fresh venv, no cache", results["install"]["uv_to_pip"],
              results["install"]["target"], False, "x")  # issue 25
    for name, result in results.items():
        for why in result.get("failed_passes", []) if isinstance(result, dict) else []:
            rows.append([f"{name}: a pass that did not finish (tried twice)", why, "finishes",
                         "FAILED"])
    for name, why in (failures or {}).items():
        rows.append([f"{name}: did not finish (tried twice)", why, "finishes", "FAILED"])
    return report.table("Targets (issues 7, 14, 16, 17, 25, 26)",
                        ["target", "measured", "wanted", "verdict"], rows)
