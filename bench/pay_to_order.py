"""Benchmark 5: from the test-helper payment to the order being readable in the store, the
sandbox delivering to the inbox sidecar or to the old synchronous path, without and with
Stripe's round trip simulated (SANDBOX_LATENCY_MS)."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import report
from bench.servers import sidecar_env, start_sandbox, start_sidecar, start_sync_receiver
from bench.sessions import BASKETS, SHOPPERS
from harness.processes import free_port
from lib.checkout.session import build_session_params
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog

POLL = 0.001  # seconds between store reads while waiting for the order
# (path, SANDBOX_LATENCY_MS): the inbox sidecar and the old path, each at 0 and 150 ms.
RUNS = (("inbox", 0), ("sync", 0), ("inbox", 150), ("sync", 150))


def purchases(path: str, latency_ms: float, count: int, work: Path) -> list[float]:
    """count purchases one after another; the milliseconds from payment to order for each."""
    from lib.stores.factory import make_order_store

    folder = work / f"{path}-{latency_ms:g}"
    folder.mkdir(parents=True)
    hook_port = free_port()
    sandbox = start_sandbox(folder, folder / "sandbox", f"http://127.0.0.1:{hook_port}/webhook",
                            latency_ms=latency_ms)
    latencies = []
    try:
        env = sidecar_env(sandbox, folder / "data")
        start = start_sidecar if path == "inbox" else start_sync_receiver
        receiver = start(folder, env, hook_port)
        try:
            settings = build_settings(env)
            client = make_stripe_client(settings)
            catalog = load_catalog(settings.catalog_path, settings.store_currency)
            store = make_order_store(settings)
            for n in range(count):
                shopper = SHOPPERS[n % len(SHOPPERS)]
                params = build_session_params(Basket(BASKETS[n % len(BASKETS)], n), catalog,
                                              shopper, settings)
                session = client.v1.checkout.sessions.create(params)
                began = time.perf_counter()
                client.raw_request("post",
                                   f"/v1/test_helpers/checkout/sessions/{session.id}/complete")
                deadline = began + 10
                while store.get_order(shopper.email, session.id) is None:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"no order for {session.id} after 10 s ({path})")
                    time.sleep(POLL)
                latencies.append((time.perf_counter() - began) * 1000)
            store.close()
        finally:
            receiver.stop()
    finally:
        sandbox.stop()
    return latencies


def run(quick: bool = False) -> dict:
    """Benchmark 5 for each of RUNS, the gunicorn receiver on a fresh SQLite store each time."""
    count = 10 if quick else 50
    work = Path(tempfile.mkdtemp(prefix="storefront-pay-"))
    runs = []
    for path, latency_ms in RUNS:
        print(f"pay-to-order: {path} path, {latency_ms} ms latency ...", flush=True)
        latencies = purchases(path, latency_ms, count, work)
        runs.append({"path": path, "latency_ms": latency_ms, "purchases": count,
                     "median_ms": round(report.median(latencies), 1),
                     "p95_ms": round(report.percentile(latencies, 95), 1),
                     "p99_ms": round(report.percentile(latencies, 99), 1),
                     "max_ms": round(max(latencies), 1), "latencies_ms": latencies})
    print(report.table("5. Pay-to-order, one purchase at a time: sandbox -> gunicorn receiver ->"
                       " SQLite (the clock includes the payment call's own latency)",
                       ["path", "latency ms", "purchases", "median ms", "p95 ms", "p99 ms",
                        "max ms"],
                       [[r["path"], r["latency_ms"], r["purchases"], r["median_ms"], r["p95_ms"],
                         r["p99_ms"], r["max_ms"]] for r in runs]))
    results = {"runs": runs}
    print("saved", report.save("pay_to_order", results))
    return results
