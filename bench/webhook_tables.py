"""The tables of benchmarks 1-3: every figure of ours beside the verify-only reference ("ref")
and the write floor ("floor": verify plus one durable insert), measured in the same repeat."""
from __future__ import annotations

from bench import report


def ratio(ours: float, reference: float) -> float:
    """ours / reference, 0 when the reference is 0."""
    return ours / reference if reference else 0.0


def _name(run: dict) -> str:
    """A repeat's row name: the store and the repeat's number."""
    return f"{run['store']} #{run['repeat'] + 1}"


def accepted_rows(runs: list[dict]) -> list[list]:
    """Table 1's rows: accepted/s against both references, fulfilled/s against the old path."""
    rows = []
    for r in runs:
        ours = r["closed"]["rate"]
        fulfilled = r["closed_drain"]["fulfilled_per_s"]
        rows.append([_name(r), ours, r["ref_closed"]["rate"], ratio(ours, r["ref_closed"]["rate"]),
                     r["floor_closed"]["rate"], ratio(ours, r["floor_closed"]["rate"]),
                     fulfilled, r["old"]["closed"]["rate"],
                     ratio(fulfilled, r["old"]["closed"]["rate"]),
                     r["closed"]["errors"] + r["open"]["errors"], r["new_retrieves"],
                     r["orders"], r["unique_events"]])
    return rows


def latency_rows(runs: list[dict]) -> list[list]:
    """Table 2's rows: p99 at the offered rate against both references; the lag behind it."""
    rows = []
    for r in runs:
        p99 = r["open"]["p99_ms"]
        rows.append([_name(r), r["open"]["p50_ms"], r["open"]["p95_ms"], p99,
                     r["ref_open"]["p99_ms"], ratio(p99, r["ref_open"]["p99_ms"]),
                     r["floor_open"]["p50_ms"], r["floor_open"]["p99_ms"],
                     ratio(p99, r["floor_open"]["p99_ms"]), r["open_drain"]["lag_p50_ms"],
                     r["open_drain"]["lag_p99_ms"], r["old"]["open"]["p99_ms"],
                     r["open"]["errors"]])
    return rows


def duplicate_rows(runs: list[dict]) -> list[list]:
    """Table 3's rows: the mixed stream against the floor, duplicates only against both."""
    rows = []
    for r in runs:
        mixed, dups = r["dup_first"]["rate"], r["dup"]["rate"]
        rows.append([_name(r), mixed, r["floor_dup_first"]["rate"],
                     ratio(mixed, r["floor_dup_first"]["rate"]),
                     r["dup_retrieves"] - r["dup_sessions"], dups, r["ref_dup"]["rate"],
                     ratio(dups, r["ref_dup"]["rate"]), r["floor_dup"]["rate"],
                     ratio(dups, r["floor_dup"]["rate"]), r["dup_only_retrieves"],
                     r["dup_first"]["errors"] + r["dup"]["errors"]])
    return rows


def print_tables(runs: list[dict], offered_rate: int, copies: int) -> None:
    """The three tables: accepted and fulfilled events, latency at the offered rate, duplicates."""
    print(report.table(
        "1. New events, closed loop (8 threads): accepted by the sidecar vs the verify-only"
        " reference and the write floor; fulfilled (first receipt to drained) vs the old path",
        ["run", "accepted/s", "ref/s", "ours/ref", "floor/s", "ours/floor", "fulfilled/s",
         "old path/s", "fulfilled/old", "errors", "retrieves", "orders in store",
         "unique events"], accepted_rows(runs)))
    print()
    print(report.table(
        f"2. Answer latency at {offered_rate} new events/s offered (ms, from the due time);"
        " receipt-to-order lag behind it; old path p99",
        ["run", "p50", "p95", "p99", "ref p99", "p99 ours/ref", "floor p50", "floor p99",
         "p99 ours/floor", "lag p50", "lag p99", "old p99", "errors"], latency_rows(runs)))
    print()
    print(report.table(
        f"3. Duplicates: each event {copies}x, shuffled, 8 threads (mixed: first sight and"
        " copies; dups: the same stream again)",
        ["run", "mixed/s", "floor mixed/s", "ours/floor", "extra retrieves", "dups/s", "ref/s",
         "ours/ref", "floor dups/s", "ours/floor", "dup retrieves", "errors"],
        duplicate_rows(runs)))
