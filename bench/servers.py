"""The processes a benchmark runs: the counting sandbox, the sidecar and the reference receivers
under gunicorn (the production command of docs/deploy.md), and the Firestore emulator."""
from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.counting_sandbox import session_retrieves
from harness.processes import Server, free_port, python_module, start
from lib.config.settings import SANDBOX_KEY

SECRET = "whsec_bench_" + uuid.uuid4().hex
# The production command of docs/deploy.md, on a free port instead of 4242.
GUNICORN = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "-w", "2",
            "--threads", "4", "--timeout", "30"]


# Real Stripe serves any number of calls at once; the sandbox's threads must not be the limit.
SANDBOX_THREADS = 64


def start_sandbox(log_dir: Path, data_dir: Path, webhook_url: str = "",
                  latency_ms: float = 0) -> Server:
    """`python -m stripe_sandbox` (with a request counter) delivering to webhook_url, or nowhere;
    latency_ms > 0 sets SANDBOX_LATENCY_MS (with its default jitter, a fifth either way)."""
    port = free_port()
    # The sandbox's own key is the one the app's settings send when SANDBOX_API_KEY is unset.
    env = {"SANDBOX_PORT": port, "DATA_DIR": data_dir, "SANDBOX_WEBHOOK_URL": webhook_url,
           "STRIPE_WEBHOOK_SECRET": SECRET, "SANDBOX_PUBLIC_URL": "",
           "SANDBOX_API_KEY": SANDBOX_KEY, "SANDBOX_THREADS": SANDBOX_THREADS,
           "SANDBOX_LATENCY_MS": latency_ms}
    return start(f"sandbox_{port}", python_module("harness.counting_sandbox"), env, log_dir,
                 "/healthz", port)


def retrieves(sandbox: Server) -> int:
    """How many session retrieves (GET /v1/checkout/sessions/{id}) the sandbox has served."""
    return session_retrieves(sandbox.url)


def sidecar_env(sandbox: Server, data_dir: Path, store: str = "sqlite",
                emulator: str = "", project: str = "") -> dict:
    """The environment `webhook_server:create_app()` reads its settings from."""
    env = {"DATA_DIR": data_dir, "STRIPE_API_BASE": sandbox.url, "STRIPE_WEBHOOK_SECRET": SECRET,
           "STRIPE_SECRET_KEY": "", "ORDER_STORE": store, "APP_URL": "http://127.0.0.1:8501"}
    if store == "firestore":
        env.update(FIRESTORE_EMULATOR_HOST=emulator, GOOGLE_CLOUD_PROJECT=project)
    return env


def start_sidecar(log_dir: Path, env: dict, port: int | None = None) -> Server:
    """gunicorn -w 2 --threads 4 -b 127.0.0.1:PORT 'webhook_server:create_app()'."""
    port = port or free_port()
    return start(f"sidecar_{port}", [*GUNICORN, "-b", f"127.0.0.1:{port}",
                                     "webhook_server:create_app()"],
                 env, log_dir, "/healthz", port, timeout=60)


def start_sync_receiver(log_dir: Path, env: dict, port: int | None = None) -> Server:
    """The old synchronous path (fulfil, then answer) under the same gunicorn command."""
    port = port or free_port()
    return start(f"sync_{port}", [*GUNICORN, "-b", f"127.0.0.1:{port}",
                                  "bench.sync_receiver:create_app()"],
                 env, log_dir, "/healthz", port, timeout=60)


def start_insert_reference(log_dir: Path, env: dict, port: int | None = None) -> Server:
    """The write-floor reference (verify, one durable insert) on env's store, same command."""
    port = port or free_port()
    return start(f"insert_reference_{port}", [*GUNICORN, "-b", f"127.0.0.1:{port}",
                                              "bench.insert_reference:create_app()"],
                 env, log_dir, "/healthz", port, timeout=60)


def start_reference(log_dir: Path) -> Server:
    """The verify-only reference receiver under the same gunicorn command."""
    port = free_port()
    return start(f"reference_{port}", [*GUNICORN, "-b", f"127.0.0.1:{port}",
                                       "bench.reference_receiver:create_app()"],
                 {"STRIPE_WEBHOOK_SECRET": SECRET}, log_dir, "/healthz", port)


@contextmanager
def store_hosts(stores: tuple[str, ...], log_dir: Path) -> Iterator[dict[str, str]]:
    """{store: its emulator's host, '' for SQLite} for those of stores that can run here; the
    Firestore emulator, started when asked for, stops on leaving."""
    from tools.firestore_emulator import start_emulator, unavailable_reason

    hosts, emulator = {}, None
    try:
        for store in stores:
            if store != "firestore":
                hosts[store] = ""
            elif reason := unavailable_reason():
                print(f"skipping Firestore: {reason}")
            else:
                emulator = emulator or start_emulator(log_path=log_dir / "firestore.log")
                hosts[store] = emulator.host_port
        yield hosts
    finally:
        if emulator is not None:
            emulator.stop()
