"""kill -9 of a real sidecar process after it answered, with events waiting and retrieves in
flight: on restart every inboxed event is fulfilled, none twice."""
from __future__ import annotations

import os
import signal

import requests

from harness.processes import free_port, python_module, start
from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signed
from lib.identity import demo_sign_in
from lib.settings import build_settings
from lib.stores.sqlite_inbox import SqliteInbox
from lib.stores.sqlite_orders import SqliteOrderStore
from tests.fixtures_sandbox import paid_session

SHOPPER = demo_sign_in("Ada Lovelace", "ada@example.com")


def test_kill_9_after_the_answer_and_during_fulfilment_loses_nothing(start_sandbox, tmp_path):
    from lib.catalog import load_catalog
    from lib.stripe_client import make_stripe_client

    # Slow Stripe: each retrieve takes ~1.5 s, so the kill lands with retrieves in flight
    # (during fulfilment) and events not yet claimed (after the answer, before fulfilment).
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="", SANDBOX_LATENCY_MS="1500",
                            SANDBOX_LATENCY_JITTER_MS="0")
    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path)})
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    sessions = [paid_session(client, catalog, settings, n) for n in range(8)]
    port = free_port()
    env = {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret,
           "STRIPE_API_BASE": sandbox.url, "WEBHOOK_URL": f"http://127.0.0.1:{port}",
           "INBOX_LEASE_SECONDS": "2"}
    sidecar = start("sidecar", python_module("webhook_server"), env, tmp_path, "/healthz", port)
    events = [checkout_event(s.id, SHOPPER.email) for s in sessions]
    for event in events:
        body, headers = signed(event, sandbox.webhook_secret)
        answer = requests.post(f"{sidecar.url}/webhook", data=body, headers=headers, timeout=10)
        assert answer.status_code == 200 and answer.json()["outcome"] == "queued"
    os.killpg(sidecar.proc.pid, signal.SIGKILL)
    sidecar.proc.wait(10)
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    states = {inbox.get(e["id"]).state for e in events}
    assert "fulfilled" not in states and states <= {"received", "claimed"}
    assert "claimed" in states  # some were mid-fulfilment when the process died

    restarted = start("sidecar2", python_module("webhook_server"), env, tmp_path, "/healthz",
                      port)
    try:
        wait_until(lambda: all(inbox.get(e["id"]).state == "fulfilled" for e in events),
                   timeout=60)
    finally:
        restarted.stop()
    orders = SqliteOrderStore(tmp_path / "orders.sqlite3")
    assert orders.count_orders(SHOPPER.email) == len(sessions)  # every one, none twice
    assert {orders.get_order(SHOPPER.email, s.id).status for s in sessions} == {"paid"}


def test_a_process_dead_after_the_insert_before_the_answer_loses_nothing(start_sandbox, tmp_path):
    """The insert committed, the answer never left (the process died between): Stripe resends;
    the restarted sidecar answers the resend as a duplicate at once and fulfils the event once.
    The dead process is stood in for by writing its insert straight into the inbox file."""
    from datetime import UTC, datetime

    from lib.catalog import load_catalog
    from lib.stripe_client import make_stripe_client

    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL="")
    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path)})
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = paid_session(client, catalog, settings, 1)
    event = checkout_event(session.id, SHOPPER.email)
    body, headers = signed(event, sandbox.webhook_secret)
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    assert inbox.add(event["id"], event["type"], session.id, body, datetime.now(UTC))
    port = free_port()
    env = {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret,
           "STRIPE_API_BASE": sandbox.url, "WEBHOOK_URL": f"http://127.0.0.1:{port}"}
    sidecar = start("sidecar", python_module("webhook_server"), env, tmp_path, "/healthz", port)
    try:
        answer = requests.post(f"{sidecar.url}/webhook", data=body, headers=headers, timeout=10)
        assert answer.status_code == 200 and answer.json()["outcome"] == "already_recorded"
        wait_until(lambda: inbox.get(event["id"]).state == "fulfilled", timeout=30)
    finally:
        sidecar.stop()
    assert inbox.get(event["id"]).attempts == 1
    assert SqliteOrderStore(tmp_path / "orders.sqlite3").count_orders(SHOPPER.email) == 1
