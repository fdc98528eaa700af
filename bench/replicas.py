"""One sidecar vs two on the same Firestore emulator: new orders per second, side by side.

Each sidecar is the production command of docs/deploy.md (gunicorn, 2 workers x 4 threads) with a
DATA_DIR of its own, so the two share nothing but Firestore. The load generator spreads one
new event per paid session over the sidecars (8 requests in flight in all, split between them)
and the rate counts from the first receipt to the last fulfilment in the inbox, so the work
done after the answer is in it. Both are measured in turn in each repeat, on fresh projects,
with Stripe answering at once and at a realistic 150 ms, after a discarded warm-up run.
"""
from __future__ import annotations

import json
import tempfile
import threading
import uuid
from pathlib import Path

from bench import report
from bench.drain import wait_drained
from bench.loadgen import Delivery, LoadResult, closed_loop
from bench.servers import GUNICORN, sidecar_env, start_sandbox
from bench.sessions import deliveries, emails, paid_sessions
from harness.replicas import start_sidecars, stop_all
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client

THREADS = 8  # requests in flight in all, whatever the number of sidecars
LATENCIES_MS = (0, 150)  # Stripe's round trip: none (CPU-bound), and a realistic one
WARM_UP = 40  # events of the discarded run before each latency's measured ones
SIZES = {"quick": dict(events=60, repeats=1), "full": dict(events=300, repeats=3)}


def gunicorn(port: int) -> list[str]:
    """The production command of docs/deploy.md for the sidecar, on port."""
    return [*GUNICORN, "-b", f"127.0.0.1:{port}", "webhook_server:create_app()"]


def spread(ports: list[int], batch: list[Delivery]) -> LoadResult:
    """The batch dealt round-robin over ports, each share sent closed-loop at once with
    THREADS / len(ports) threads; one result, its wall time that of the slowest share."""
    shares = [batch[n::len(ports)] for n in range(len(ports))]
    results: list[LoadResult] = [LoadResult() for _ in ports]

    def send(n: int) -> None:
        results[n] = closed_loop(ports[n], shares[n], max(1, THREADS // len(ports)))

    senders = [threading.Thread(target=send, args=(n,)) for n in range(len(ports))]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    merged = LoadResult(sent=len(batch), elapsed=max(r.elapsed for r in results))
    for r in results:
        merged.statuses.update(r.statuses)
        merged.outcomes.update(r.outcomes)
        merged.latencies.extend(r.latencies)
        merged.failures.extend(r.failures)
    return merged


def count_orders(env: dict, sessions: list[dict]) -> int:
    """Orders the store holds for the sessions' shoppers, read through the order store port."""
    from lib.stores.factory import make_order_store

    store = make_order_store(build_settings(env))
    try:
        return sum(store.count_orders(email) for email in emails(sessions))
    finally:
        store.close()


def one_run(replicas: int, sandbox, pool: list[dict], work: Path, emulator: str) -> dict:
    """replicas fresh sidecars on a fresh Firestore project: the pool's events spread over
    them, then drained; accepted and fulfilled per second, and the orders stored."""
    project = f"demo-replicas-{uuid.uuid4().hex[:10]}"
    env = sidecar_env(sandbox, work, "firestore", emulator, project)
    sidecars = start_sidecars(replicas, work, work / project, env, command=gunicorn)
    envs = [s.env for s in sidecars]  # each with its own DATA_DIR
    try:
        batch = deliveries(pool)
        answers = spread([s.port for s in sidecars], batch)
        # One inbox for every replica: it lives in Firestore, like the orders.
        drained = wait_drained(envs[0], {event_id(d) for d in batch})
    finally:
        stop_all(sidecars)
    span = drained.span_s
    return {"replicas": replicas, "events": len(batch), "errors": answers.errors,
            "accepted_per_s": round(answers.rate, 1),
            "orders_per_s": round(len(batch) / span, 1) if span else 0.0,
            "fulfilled": drained.fulfilled,
            "orders": count_orders(envs[0], pool), "unique_events": len(pool),
            "failures": answers.failures}


def event_id(delivery: Delivery) -> str:
    """The event id inside a delivery's body."""
    return json.loads(delivery.body)["id"]


def run(quick: bool = False) -> dict:
    """One sidecar vs two at each Stripe latency; returns the results (also printed, saved)."""
    from tools.firestore_emulator import start_emulator, unavailable_reason

    size = SIZES["quick" if quick else "full"]
    reason = unavailable_reason()
    if reason:
        print(f"replicas: skipped, it needs the Firestore emulator: {reason}")
        return {"skipped": reason}
    work = Path(tempfile.mkdtemp(prefix="storefront-replicas-"))
    emulator = start_emulator(log_path=work / "firestore.log")
    runs: list[dict] = []
    try:
        for latency in LATENCIES_MS:
            sandbox = start_sandbox(work, work / f"sandbox-{latency}", latency_ms=latency)
            try:
                settings = build_settings({"STRIPE_API_BASE": sandbox.url,
                                           "DATA_DIR": str(work)})
                print(f"replicas: paying {size['events']} sessions at {latency} ms ...",
                      flush=True)
                pool = paid_sessions(make_stripe_client(settings), settings, size["events"],
                                     threads=16)
                # Discarded: the emulator's JVM is slow until warm, which charged the first
                # measured run (always one sidecar's) up to 3x.
                print(f"replicas: warming up at {latency} ms ...", flush=True)
                one_run(2, sandbox, pool[:WARM_UP], work, emulator.host_port)
                for rep in range(size["repeats"]):
                    # Alternate which goes first, so a drifting machine load favours neither.
                    for replicas in ((1, 2) if rep % 2 == 0 else (2, 1)):
                        print(f"replicas: {replicas} sidecar(s), {latency} ms, repeat"
                              f" {rep + 1} of {size['repeats']} ...", flush=True)
                        runs.append({"latency_ms": latency, "repeat": rep,
                                     **one_run(replicas, sandbox, pool, work,
                                               emulator.host_port)})
            finally:
                sandbox.stop()
    finally:
        emulator.stop()
    results = {"size": size, "threads": THREADS, "runs": runs}
    exact = all(r["orders"] == r["unique_events"] == r["fulfilled"] for r in runs)
    results["orders_equal_unique_events"] = exact
    print(table(runs))
    print(f"orders in store == unique events in every run: {exact}")
    print("saved", report.save("replicas", results))
    return results


def table(runs: list[dict]) -> str:
    """One row per latency and repeat: one sidecar and two side by side, and their ratio."""
    rows = []
    for latency in LATENCIES_MS:
        reps = sorted({r["repeat"] for r in runs if r["latency_ms"] == latency})
        ratios = []
        for rep in reps:
            pair = {r["replicas"]: r for r in runs
                    if r["latency_ms"] == latency and r["repeat"] == rep}
            one, two = pair[1], pair[2]
            ratio = two["orders_per_s"] / one["orders_per_s"] if one["orders_per_s"] else 0.0
            ratios.append(ratio)
            rows.append([f"{latency} ms #{rep + 1}", one["accepted_per_s"], one["orders_per_s"],
                         two["accepted_per_s"], two["orders_per_s"], ratio,
                         one["errors"] + two["errors"],
                         f"{one['orders']}/{one['unique_events']}",
                         f"{two['orders']}/{two['unique_events']}"])
        if len(ratios) > 1:
            rows.append([f"{latency} ms median", "", "", "", "", report.median(ratios), "", "",
                         ""])
    return report.table(
        f"Replicas: new orders/s, one sidecar vs two on one Firestore emulator"
        f" ({THREADS} in flight in all)",
        ["Stripe latency", "1: accepted/s", "1: orders/s", "2: accepted/s", "2: orders/s",
         "2 / 1", "errors", "1: orders/unique", "2: orders/unique"], rows)
