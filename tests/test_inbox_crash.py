"""kill -9 of a real sidecar process at each point of a delivery (after the insert and before
the answer; after the answer and before fulfilment; during fulfilment), over SQLite and over
the Firestore emulator: on restart every inboxed event is fulfilled, none twice."""
from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness.processes import free_port, python_module, start
from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.config.settings import build_settings
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_inbox, make_order_store
from tests.fixtures_firestore import store_env
from tests.fixtures_sandbox import paid_session

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")
STORES = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]


def sidecar_env(sandbox, tmp_path, store: dict, port: int) -> dict:
    """The environment of a sidecar on port, with the given store, Stripe played by sandbox."""
    return {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret,
            "STRIPE_API_BASE": sandbox.url, "WEBHOOK_URL": f"http://127.0.0.1:{port}",
            "INBOX_LEASE_SECONDS": "2", **store}


def paid_sessions(sandbox, tmp_path, count: int) -> list:
    """count sessions paid at the sandbox, all at once (its latency is per call, not shared)."""
    from lib.config.stripe_client import make_stripe_client
    from lib.shop.catalog import load_catalog

    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path)})
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda n: paid_session(client, catalog, settings, n), range(count)))


def kill_9(server) -> None:
    """SIGKILL the server's whole process group and reap it."""
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(10)


@pytest.mark.parametrize("kind", STORES)
def test_kill_9_after_the_answer_and_during_fulfilment_loses_nothing(kind, request,
                                                                     start_sandbox, tmp_path):
    # Slow Stripe: each retrieve takes ~1.5 s, so the kill lands with retrieves in flight
    # (during fulfilment) and events handed to the workers in memory but not yet started
    # (after the answer, before fulfilment): all of them leased to the dead process.
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="", SANDBOX_LATENCY_MS="1500",
                            SANDBOX_LATENCY_JITTER_MS="0")
    sessions = paid_sessions(sandbox, tmp_path, 8)
    port = free_port()
    env = sidecar_env(sandbox, tmp_path, store_env(kind, request), port)
    settings = build_settings(env)
    sidecar = start("sidecar", python_module("webhook_server"), env, tmp_path, "/healthz", port)
    events = [checkout_event(s.id, SHOPPER.email) for s in sessions]
    for event in events:
        body, headers = signed(event, sandbox.webhook_secret)
        answer = requests.post(f"{sidecar.url}/webhook", data=body, headers=headers, timeout=10)
        assert answer.status_code == 200 and answer.json()["outcome"] == "queued"
    kill_9(sidecar)
    inbox, orders = make_inbox(settings), make_order_store(settings)
    try:
        states = {inbox.get(e["id"]).state for e in events}
        assert "fulfilled" not in states and states <= {"received", "claimed"}
        assert "claimed" in states  # some were mid-fulfilment when the process died

        restarted = start("sidecar2", python_module("webhook_server"), env, tmp_path,
                          "/healthz", port)
        try:
            wait_until(lambda: all(inbox.get(e["id"]).state == "fulfilled" for e in events),
                       timeout=60)
        finally:
            restarted.stop()
        assert orders.count_orders(SHOPPER.email) == len(sessions)  # every one, none twice
        assert {orders.get_order(SHOPPER.email, s.id).status for s in sessions} == {"paid"}
    finally:
        inbox.close()
        orders.close()


@pytest.mark.parametrize("kind", STORES)
def test_kill_9_after_the_insert_before_the_answer_loses_nothing(kind, request, start_sandbox,
                                                                 tmp_path):
    """The real sidecar app, halted by tests/crash_sidecar.py right after its insert committed
    (the event leased to it, one attempt counted), is killed before the hand-off to its worker
    and before it answers; Stripe, never answered, resends: the restarted sidecar answers the
    resend as a duplicate at once, and once the dead process's lease runs out a poll takes the
    event and fulfils it once."""
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="")
    session = paid_sessions(sandbox, tmp_path, 1)[0]
    event = checkout_event(session.id, SHOPPER.email)
    body, headers = signed(event, sandbox.webhook_secret)
    port = free_port()
    marker = tmp_path / "inserted"
    env = sidecar_env(sandbox, tmp_path, store_env(kind, request), port)
    settings = build_settings(env)
    halting = start("crash-sidecar", python_module("tests.crash_sidecar"),
                    {**env, "CRASH_MARKER": str(marker)}, tmp_path, "/healthz", port)
    answers: list = []

    def deliver() -> None:
        """Stripe's first delivery: it never gets an answer."""
        try:
            answers.append(requests.post(f"{halting.url}/webhook", data=body, headers=headers,
                                         timeout=30))
        except requests.RequestException as exc:
            answers.append(exc)

    first = threading.Thread(target=deliver)
    first.start()
    wait_until(marker.exists, timeout=60)
    kill_9(halting)
    first.join(15)
    assert len(answers) == 1 and isinstance(answers[0], requests.ConnectionError), answers
    inbox, orders = make_inbox(settings), make_order_store(settings)
    try:
        assert marker.read_text() == event["id"]
        stored = inbox.get(event["id"])
        assert (stored.state, stored.attempts, stored.payload) == ("claimed", 1, body)
        assert orders.count_orders(SHOPPER.email) == 0

        sidecar = start("sidecar", python_module("webhook_server"), env, tmp_path, "/healthz",
                        port)
        try:
            resend = requests.post(f"{sidecar.url}/webhook", data=body, headers=headers,
                                   timeout=10)
            assert resend.status_code == 200
            assert resend.json()["outcome"] == "already_recorded"
            wait_until(lambda: inbox.get(event["id"]).state == "fulfilled", timeout=30)
            again = requests.post(f"{sidecar.url}/webhook", data=body, headers=headers,
                                  timeout=10)
            assert again.json()["outcome"] == "already_recorded"
        finally:
            sidecar.stop()
        assert inbox.get(event["id"]).attempts == 2  # the dead process's, then the poll's
        assert orders.count_orders(SHOPPER.email) == 1
        assert orders.get_order(SHOPPER.email, session.id).status == "paid"
    finally:
        inbox.close()
        orders.close()
