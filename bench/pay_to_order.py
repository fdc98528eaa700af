"""Benchmark 5: from the test-helper payment to the order being readable in the store."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench import report
from bench.servers import sidecar_env, start_sandbox, start_sidecar
from bench.sessions import BASKETS, SHOPPERS
from harness.processes import free_port
from lib.basket import Basket
from lib.catalog import load_catalog
from lib.checkout import build_session_params
from lib.settings import build_settings
from lib.stores.sqlite_orders import SqliteOrderStore
from lib.stripe_client import make_stripe_client

POLL = 0.001  # seconds between store reads while waiting for the order


def run(quick: bool = False) -> dict:
    """Benchmark 5: purchases one after another, the sandbox delivering to the gunicorn sidecar."""
    count = 10 if quick else 50
    work = Path(tempfile.mkdtemp(prefix="storefront-pay-"))
    hook_port = free_port()
    # The sandbox with its default (production-like) timings, delivering to the sidecar.
    sandbox = start_sandbox(work, work / "sandbox", f"http://127.0.0.1:{hook_port}/webhook")
    latencies = []
    try:
        env = sidecar_env(sandbox, work / "data")
        sidecar = start_sidecar(work, env, hook_port)
        try:
            settings = build_settings(env)
            client = make_stripe_client(settings)
            catalog = load_catalog(settings.catalog_path, settings.store_currency)
            store = SqliteOrderStore(settings.data_dir / "orders.sqlite3")
            for n in range(count):
                shopper = SHOPPERS[n % len(SHOPPERS)]
                params = build_session_params(Basket(BASKETS[n % len(BASKETS)], n), catalog,
                                              shopper, settings)
                session = client.v1.checkout.sessions.create(params)
                start = time.perf_counter()
                client.raw_request("post",
                                   f"/v1/test_helpers/checkout/sessions/{session.id}/complete")
                deadline = start + 10
                while store.get_order(shopper.email, session.id) is None:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"no order for {session.id} after 10 s")
                    time.sleep(POLL)
                latencies.append((time.perf_counter() - start) * 1000)
            store.close()
        finally:
            sidecar.stop()
    finally:
        sandbox.stop()
    results = {"purchases": count, "median_ms": round(report.median(latencies), 1),
               "p95_ms": round(report.percentile(latencies, 95), 1),
               "max_ms": round(max(latencies), 1), "latencies_ms": latencies}
    print(report.table("5. Pay-to-order latency, sandbox -> gunicorn sidecar -> SQLite",
                       ["purchases", "median ms", "p95 ms", "max ms"],
                       [[count, results["median_ms"], results["p95_ms"], results["max_ms"]]]))
    print("saved", report.save("pay_to_order", results))
    return results
