"""Benchmarks 1-3: the sidecar's answers (accepted events/s, p99 at 100/s, duplicates) with
SQLite and the Firestore emulator, alternating with two reference receivers (verify-only, and
verify plus one durable insert) and the old synchronous path in the same run; orders are
counted once the inbox has drained."""
from __future__ import annotations

import json
import random
import tempfile
import uuid
from pathlib import Path

from bench import report, webhook_tables
from bench.drain import wait_drained
from bench.loadgen import Delivery, LoadResult, closed_loop, open_loop
from bench.servers import (
    SECRET,
    retrieves,
    sidecar_env,
    start_insert_reference,
    start_reference,
    start_sandbox,
    start_sidecar,
    start_sync_receiver,
    store_hosts,
)
from bench.sessions import deliveries, emails, paid_sessions
from harness.webhook_signing import checkout_event, signed
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client

OFFERED_RATE = 100  # events/s for the latency run
COPIES = 5          # deliveries of each event in the duplicates run
WARM_EVENTS = 100   # new events the write floor stores before anything is measured
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


def reference_stats(result: LoadResult, name: str) -> dict:
    """stats() of a reference receiver's run, which must have answered every delivery 2xx (a
    failing reference would make every ratio against it meaningless)."""
    if result.errors:
        raise RuntimeError(f"the {name} failed {result.errors} of {result.sent} deliveries:"
                           f" {result.failures}")
    return stats(result)


def stats(result: LoadResult) -> dict:
    """The numbers a table row needs, and the outcomes for the JSON."""
    return {"sent": result.sent, "rate": round(result.rate, 1), "errors": result.errors,
            "p50_ms": round(report.percentile(result.latencies, 50), 2),
            "p95_ms": round(report.percentile(result.latencies, 95), 2),
            "p99_ms": round(report.percentile(result.latencies, 99), 2),
            "max_ms": round(max(result.latencies, default=0), 2),
            "outcomes": dict(result.outcomes), "failures": result.failures}


def event_ids(stream: list[Delivery]) -> set[str]:
    """The distinct event ids a stream of deliveries carries."""
    return {json.loads(d.body)["id"] for d in stream}


def drained(env: dict, stream: list[Delivery]) -> dict:
    """Wait for the inbox to fulfil every event of the stream; the fulfilment figures."""
    done = wait_drained(env, event_ids(stream))
    return {"events": len(done.done_at), "fulfilled": done.fulfilled,
            "states": dict(done.states), "span_s": round(done.span_s, 3),
            "fulfilled_per_s": round(done.fulfilled / done.span_s, 1) if done.span_s else 0.0,
            "lag_p50_ms": round(report.percentile(done.lags_ms, 50), 1),
            "lag_p99_ms": round(report.percentile(done.lags_ms, 99), 1),
            "waited_s": round(done.waited_s, 2)}


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


def old_path(store: str, rep: int, sandbox, closed_set: list[dict], open_set: list[dict],
             work: Path, emulator: str) -> dict:
    """The old synchronous path (bench/sync_receiver.py) on its own fresh store: new events
    closed loop and at OFFERED_RATE, answered only once each order is written."""
    env = sidecar_env(sandbox, work / f"{store}-{rep}-sync", store, emulator,
                      f"demo-bench-{uuid.uuid4().hex[:10]}")
    receiver = start_sync_receiver(work, env)
    try:
        warm_up(receiver.port)
        out = {"closed": stats(closed_loop(receiver.port, deliveries(closed_set))),
               "open": stats(open_loop(receiver.port, deliveries(open_set), OFFERED_RATE))}
    finally:
        receiver.stop()
    out["orders"] = count_orders(env, closed_set + open_set)
    return out


def one_repeat(store: str, rep: int, sandbox, reference, pool: list[dict], size: dict,
               work: Path, emulator: str) -> dict:
    """One fresh sidecar and store: new events closed and open loop, then duplicates, each
    alternated with both reference receivers on the same deliveries (the verify-only one, and
    the write floor on a fresh store of the same kind); after each of ours, the inbox drains
    before anything else runs, so no phase pays for the one before."""
    closed_set = pool[:size["closed"]]
    open_set = pool[size["closed"]:size["closed"] + size["open"]]
    dup_set = pool[size["closed"] + size["open"]:]
    env = sidecar_env(sandbox, work / f"{store}-{rep}", store, emulator,
                      f"demo-bench-{uuid.uuid4().hex[:10]}")
    floor_env = sidecar_env(sandbox, work / f"{store}-{rep}-floor", store, emulator,
                            f"demo-floor-{uuid.uuid4().hex[:10]}")
    sidecar = start_sidecar(work, env)
    floor = start_insert_reference(work, floor_env)
    try:
        warm_up(sidecar.port)
        warm_up(floor.port)
        # Real inserts, discarded: the emulator's JVM is slow until warm, and whoever wrote to
        # it first would pay for that (the floor's store is not counted; fresh event ids).
        reference_stats(closed_loop(floor.port, deliveries(pool[:WARM_EVENTS])), "write floor")
        out: dict = {"store": store, "repeat": rep}

        def ref(result: LoadResult) -> dict:
            """The verify-only reference's figures."""
            return reference_stats(result, "verify-only reference")

        def floor_stats(result: LoadResult) -> dict:
            """The write floor's figures."""
            return reference_stats(result, "write floor")

        before = retrieves(sandbox)
        out["ref_closed"] = ref(closed_loop(reference.port, deliveries(closed_set)))
        out["floor_closed"] = floor_stats(closed_loop(floor.port, deliveries(closed_set)))
        stream = deliveries(closed_set)
        out["closed"] = stats(closed_loop(sidecar.port, stream))
        out["closed_drain"] = drained(env, stream)
        out["ref_open"] = ref(open_loop(reference.port, deliveries(open_set), OFFERED_RATE))
        out["floor_open"] = floor_stats(open_loop(floor.port, deliveries(open_set),
                                                  OFFERED_RATE))
        stream = deliveries(open_set)
        out["open"] = stats(open_loop(sidecar.port, stream, OFFERED_RATE))
        out["open_drain"] = drained(env, stream)
        out["new_retrieves"] = retrieves(sandbox) - before
        stream = copies_shuffled(dup_set, rep)
        out["floor_dup_first"] = floor_stats(closed_loop(floor.port, stream))
        before = retrieves(sandbox)
        out["dup_first"] = stats(closed_loop(sidecar.port, stream))
        out["dup_drain"] = drained(env, stream)
        out["dup_retrieves"] = retrieves(sandbox) - before
        # Every event is in the inbox now (and in the write floor's store): the same shuffled
        # stream again is duplicates only.
        before = retrieves(sandbox)
        out["ref_dup"] = ref(closed_loop(reference.port, stream))
        out["floor_dup"] = floor_stats(closed_loop(floor.port, stream))
        out["dup"] = stats(closed_loop(sidecar.port, stream))
        out["dup_only_retrieves"] = retrieves(sandbox) - before
        out["new_events"] = len(closed_set) + len(open_set)
        out["dup_sessions"] = len(dup_set)
        out["dup_deliveries"] = len(stream)
    finally:
        floor.stop()
        sidecar.stop()
    out["orders"] = count_orders(env, pool)
    out["unique_events"] = len(pool)
    out["old"] = old_path(store, rep, sandbox, closed_set, open_set, work, emulator)
    return out


def run(quick: bool = False, stores: tuple[str, ...] = ("sqlite", "firestore")) -> dict:
    """Benchmarks 1-3; returns their results (also printed and saved)."""
    size = SIZES["quick" if quick else "full"]
    work = Path(tempfile.mkdtemp(prefix="storefront-bench-"))
    sandbox = start_sandbox(work, work / "sandbox")
    reference = start_reference(work)
    runs: list[dict] = []
    try:
        settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(work)})
        count = size["closed"] + size["open"] + size["dups"]
        print(f"creating and paying {count} sessions in the sandbox ...", flush=True)
        pool = paid_sessions(make_stripe_client(settings), settings, count)
        warm_up(reference.port)
        with store_hosts(stores, work) as hosts:
            for store, host in hosts.items():
                for rep in range(size["repeats"]):
                    print(f"{store}: repeat {rep + 1} of {size['repeats']} ...", flush=True)
                    runs.append(one_repeat(store, rep, sandbox, reference, pool, size, work,
                                           host))
    finally:
        reference.stop()
        sandbox.stop()
    results = {"size": size, "offered_rate": OFFERED_RATE, "copies": COPIES, "runs": runs}
    webhook_tables.print_tables(runs, OFFERED_RATE, COPIES)
    print("saved", report.save("webhooks", results))
    return results
