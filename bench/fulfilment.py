"""Benchmark 7 (issue 14): fulfilment with Stripe's round trip in the sandbox
(SANDBOX_LATENCY_MS=150, jitter a fifth either way), the inbox sidecar against the old
synchronous path (bench/sync_receiver.py), both under the production gunicorn command, in turn,
each on a fresh store, SQLite and then the Firestore emulator: a burst of new events (sustained
orders/s from the first receipt to the last order), then new events at 100/s offered
(event-to-order latency, from each one's due time)."""
from __future__ import annotations

import json
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.drain import wait_drained
from bench.loadgen import closed_loop, open_loop
from bench.servers import (
    sidecar_env,
    start_sandbox,
    start_sidecar,
    start_sync_receiver,
    store_hosts,
)
from bench.sessions import deliveries, paid_sessions
from bench.webhooks import count_orders, stats, warm_up
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client

LATENCY_MS = 150
OFFERED_RATE = 100   # events/s in the steady run
BURST_THREADS = 16   # deliveries in flight in the burst (Stripe sends many at once)
STEADY_THREADS = 64  # enough that the load generator never holds back a due delivery
SIZES = {"quick": dict(burst=300, steady=200), "full": dict(burst=1000, steady=600)}
PATHS = ("inbox", "sync")
# Fulfilment threads per sidecar process for this run: at 150 ms a retrieve, the default 4 (x 2
# gunicorn workers) cap fulfilment at 8 / 0.15 s = 53 orders/s, so the target needs more.
INBOX_WORKERS = "16"


def _due_to_order_ms(result, stream, done_at: dict) -> list[float]:
    """For each delivery of an open loop, from when it was due to when its order was done."""
    out = []
    for index, delivery in enumerate(stream):
        finished = done_at.get(json.loads(delivery.body)["id"])
        if finished is not None:
            due = result.started_wall + index / OFFERED_RATE
            out.append((finished.timestamp() - due) * 1000)
    return out


def one_path(path: str, store: str, sandbox, burst: list[dict], steady: list[dict], work: Path,
             emulator: str = "") -> dict:
    """One path on a fresh store of the kind given: the burst, then the steady run."""
    env = {**sidecar_env(sandbox, work / f"{path}-{store}", store, emulator,
                         f"demo-fulfil-{uuid.uuid4().hex[:10]}"),
           "INBOX_WORKERS": INBOX_WORKERS}
    start = start_sidecar if path == "inbox" else start_sync_receiver
    server = start(work, env)
    out: dict = {}
    try:
        warm_up(server.port)
        stream = deliveries(burst)
        accepted = closed_loop(server.port, stream, BURST_THREADS)
        out["burst_answers"] = stats(accepted)
        if path == "inbox":
            done = wait_drained(env, {json.loads(d.body)["id"] for d in stream})
            rate = done.fulfilled / done.span_s if done.span_s else 0.0
        else:  # every order is written before its answer: the last answer is the last order
            rate = accepted.rate
        out["burst"] = {"events": len(stream), "accepted_per_s": round(accepted.rate, 1),
                        "fulfilled_per_s": round(rate, 1)}
        stream = deliveries(steady)
        answered = open_loop(server.port, stream, OFFERED_RATE, STEADY_THREADS)
        out["steady_answers"] = stats(answered)
        if path == "inbox":
            done = wait_drained(env, {json.loads(d.body)["id"] for d in stream})
            lags = _due_to_order_ms(answered, stream, done.done_at)
        else:  # the answer comes after the order, so due-to-answer bounds due-to-order
            lags = answered.latencies
        out["steady"] = {"events": len(stream), "p50_ms": round(report.percentile(lags, 50), 1),
                         "p99_ms": round(report.percentile(lags, 99), 1),
                         "max_ms": round(max(lags, default=0), 1), "measured": len(lags)}
    finally:
        server.stop()
    out["orders"] = count_orders(env, burst + steady)
    out["exact"] = out["orders"] == len(burst) + len(steady)
    return out


def run(quick: bool = False, stores: tuple[str, ...] = ("sqlite", "firestore")) -> dict:
    """Benchmark 7; returns its results (also printed and saved)."""
    size = SIZES["quick" if quick else "full"]
    work = Path(tempfile.mkdtemp(prefix="storefront-fulfil-"))
    sandbox = start_sandbox(work, work / "sandbox", latency_ms=LATENCY_MS)
    paths: dict = {}
    try:
        settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(work)})
        count = size["burst"] + size["steady"]
        print(f"creating and paying {count} sessions in the sandbox at {LATENCY_MS} ms ...",
              flush=True)
        pool = paid_sessions(make_stripe_client(settings), settings, count, threads=32)
        with store_hosts(stores, work) as hosts:
            for store, host in hosts.items():
                for path in PATHS:
                    print(f"{path} path, {store}, at {LATENCY_MS} ms ...", flush=True)
                    paths[f"{path}, {store}"] = one_path(
                        path, store, sandbox, pool[:size["burst"]], pool[size["burst"]:], work,
                        host)
    finally:
        sandbox.stop()
    results = {"size": size, "latency_ms": LATENCY_MS, "offered_rate": OFFERED_RATE,
               "inbox_workers": INBOX_WORKERS,
               "measured_at": datetime.now(UTC).isoformat(), "paths": paths}
    rows = [[path, p["burst"]["events"], p["burst"]["accepted_per_s"],
             p["burst"]["fulfilled_per_s"], p["steady"]["p50_ms"], p["steady"]["p99_ms"],
             p["steady"]["max_ms"], p["burst_answers"]["errors"] + p["steady_answers"]["errors"],
             p["orders"], size["burst"] + size["steady"]] for path, p in paths.items()]
    print(report.table(f"7. Fulfilment with SANDBOX_LATENCY_MS={LATENCY_MS}: inbox sidecar"
                       f" (INBOX_WORKERS={INBOX_WORKERS}) vs old synchronous path;"
                       f" burst ({BURST_THREADS} in flight), then"
                       f" {OFFERED_RATE}/s offered (event-to-order ms)",
                       ["path", "burst", "accepted/s", "fulfilled/s", "p50", "p99", "max",
                        "errors", "orders in store", "unique events"], rows))
    print("saved", report.save("fulfilment", results))
    return results
