"""Benchmarks 1-3: new orders through the sidecar (SQLite, Firestore emulator), the reference
receiver measured alternately in the same run, and duplicate deliveries."""
from __future__ import annotations

import random
import tempfile
import uuid
from pathlib import Path

from bench import report
from bench.loadgen import Delivery, LoadResult, closed_loop, open_loop
from bench.servers import (
    SECRET,
    retrieves,
    sidecar_env,
    start_reference,
    start_sandbox,
    start_sidecar,
)
from bench.sessions import deliveries, emails, paid_sessions
from harness.webhook_signing import checkout_event, signed
from lib.settings import build_settings
from lib.stripe_client import make_stripe_client

OFFERED_RATE = 100  # orders/s for the latency run
COPIES = 5          # deliveries of each event in the duplicates run
SIZES = {"quick": dict(closed=120, open=100, dups=60, repeats=1),
         "full": dict(closed=500, open=400, dups=200, repeats=3)}


def warm_up(port: int, count: int = 40) -> None:
    """Signed events of a type nobody handles: each worker and thread verifies and answers once."""
    warm = []
    for _ in range(count):
        body, headers = signed(checkout_event("cs_test_warm", event_type="customer.created"),
                               SECRET)
        warm.append(Delivery(body, headers["Stripe-Signature"]))
    closed_loop(port, warm)


def stats(result: LoadResult) -> dict:
    """The numbers a table row needs, and the outcomes for the JSON."""
    return {"sent": result.sent, "rate": round(result.rate, 1), "errors": result.errors,
            "p50_ms": round(report.percentile(result.latencies, 50), 2),
            "p95_ms": round(report.percentile(result.latencies, 95), 2),
            "p99_ms": round(report.percentile(result.latencies, 99), 2),
            "max_ms": round(max(result.latencies, default=0), 2),
            "outcomes": dict(result.outcomes), "failures": result.failures}


def count_orders(store_env: dict, sessions: list[dict]) -> int:
    """Orders the store holds for the sessions' shoppers, read through the order store port."""
    from lib.stores.factory import make_order_store

    store = make_order_store(build_settings(store_env))
    try:
        return sum(store.count_orders(email) for email in emails(sessions))
    finally:
        store.close()


def copies_shuffled(sessions: list[dict], seed: int) -> list[Delivery]:
    """COPIES deliveries of one new event per session, all shuffled together."""
    events = deliveries(sessions)
    stream = [d for d in events for _ in range(COPIES)]
    random.Random(seed).shuffle(stream)
    return stream


def one_repeat(store: str, rep: int, sandbox, reference, pool: list[dict], size: dict,
               work: Path, emulator: str) -> dict:
    """One fresh sidecar and store: new orders closed and open loop, then duplicates, each
    alternated with the reference receiver on the same deliveries."""
    closed_set = pool[:size["closed"]]
    open_set = pool[size["closed"]:size["closed"] + size["open"]]
    dup_set = pool[size["closed"] + size["open"]:]
    data_dir = work / f"{store}-{rep}"
    env = sidecar_env(sandbox, data_dir, store, emulator, f"demo-bench-{uuid.uuid4().hex[:10]}")
    sidecar = start_sidecar(work, env)
    try:
        warm_up(sidecar.port)
        out: dict = {"store": store, "repeat": rep}
        before = retrieves(sandbox)
        # Alternate: reference, ours, on the same number of freshly signed deliveries.
        out["ref_closed"] = stats(closed_loop(reference.port, deliveries(closed_set)))
        out["closed"] = stats(closed_loop(sidecar.port, deliveries(closed_set)))
        out["ref_open"] = stats(open_loop(reference.port, deliveries(open_set), OFFERED_RATE))
        out["open"] = stats(open_loop(sidecar.port, deliveries(open_set), OFFERED_RATE))
        new_retrieves = retrieves(sandbox) - before
        stream = copies_shuffled(dup_set, rep)
        before = retrieves(sandbox)
        out["dup_first"] = stats(closed_loop(sidecar.port, stream))
        dup_retrieves = retrieves(sandbox) - before
        # Every event is recorded now: the same shuffled stream again is duplicates only.
        before = retrieves(sandbox)
        out["ref_dup"] = stats(closed_loop(reference.port, stream))
        out["dup"] = stats(closed_loop(sidecar.port, stream))
        out["dup_only_retrieves"] = retrieves(sandbox) - before
        out["new_events"] = len(closed_set) + len(open_set)
        out["new_retrieves"] = new_retrieves
        out["dup_sessions"] = len(dup_set)
        out["dup_deliveries"] = len(stream)
        out["dup_retrieves"] = dup_retrieves
    finally:
        sidecar.stop()
    out["orders"] = count_orders(env, pool)
    out["unique_events"] = len(pool)
    return out


def run(quick: bool = False, stores: tuple[str, ...] = ("sqlite", "firestore")) -> dict:
    """Benchmarks 1-3; returns their results (also printed and saved)."""
    size = SIZES["quick" if quick else "full"]
    work = Path(tempfile.mkdtemp(prefix="storefront-bench-"))
    sandbox = start_sandbox(work, work / "sandbox")
    reference = start_reference(work)
    emulator = None
    runs: list[dict] = []
    try:
        settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(work)})
        count = size["closed"] + size["open"] + size["dups"]
        print(f"creating and paying {count} sessions in the sandbox ...", flush=True)
        pool = paid_sessions(make_stripe_client(settings), settings, count)
        warm_up(reference.port)
        for store in stores:
            host = ""
            if store == "firestore":
                from tools.firestore_emulator import start_emulator, unavailable_reason

                reason = unavailable_reason()
                if reason:
                    print(f"skipping Firestore: {reason}")
                    continue
                emulator = start_emulator(log_path=work / "firestore.log")
                host = emulator.host_port
            for rep in range(size["repeats"]):
                print(f"{store}: repeat {rep + 1} of {size['repeats']} ...", flush=True)
                runs.append(one_repeat(store, rep, sandbox, reference, pool, size, work, host))
    finally:
        if emulator is not None:
            emulator.stop()
        reference.stop()
        sandbox.stop()
    results = {"size": size, "offered_rate": OFFERED_RATE, "copies": COPIES, "runs": runs}
    print_tables(runs)
    print("saved", report.save("webhooks", results))
    return results


def print_tables(runs: list[dict]) -> None:
    """The three tables: new orders, latency at 100/s, duplicates."""
    rows = []
    for r in runs:
        ratio = r["closed"]["rate"] / r["ref_closed"]["rate"] if r["ref_closed"]["rate"] else 0
        rows.append([f"{r['store']} #{r['repeat'] + 1}", r["closed"]["rate"],
                     r["ref_closed"]["rate"], ratio, r["closed"]["errors"] + r["open"]["errors"],
                     r["new_retrieves"], r["orders"], r["unique_events"]])
    print(report.table("1+2. New orders, closed loop (8 threads), ours vs reference receiver",
                       ["run", "orders/s", "ref/s", "ours/ref", "errors", "retrieves",
                        "orders in store", "unique events"], rows))
    print()
    rows = [[f"{r['store']} #{r['repeat'] + 1}", r["open"]["p50_ms"], r["open"]["p95_ms"],
             r["open"]["p99_ms"], r["open"]["errors"], r["ref_open"]["p50_ms"],
             r["ref_open"]["p99_ms"]] for r in runs]
    print(report.table(f"1. Latency at {OFFERED_RATE} new orders/s offered (ms, from the due time)",
                       ["run", "p50", "p95", "p99", "errors", "ref p50", "ref p99"], rows))
    print()
    rows = []
    for r in runs:
        ratio = r["dup"]["rate"] / r["ref_dup"]["rate"] if r["ref_dup"]["rate"] else 0
        rows.append([f"{r['store']} #{r['repeat'] + 1}", r["dup_first"]["rate"],
                     r["dup_retrieves"] - r["dup_sessions"], r["dup"]["rate"],
                     r["ref_dup"]["rate"], ratio, r["dup_only_retrieves"],
                     r["dup_first"]["errors"] + r["dup"]["errors"]])
    print(report.table(f"3. Duplicates: each event {COPIES}x, shuffled, 8 threads",
                       ["run", "mixed/s", "extra retrieves", "dups/s", "ref/s", "ours/ref",
                        "dup retrieves", "errors"], rows))
