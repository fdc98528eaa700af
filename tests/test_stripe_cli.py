"""The tutorial's Stripe CLI, unmodified (npm's @stripe/cli, pinned), against the sandbox and the real sidecar:
listen --print-secret, listen --forward-to with trigger, events resend, logs tail, and the triggers for
payment intents and refunds. Offline: --api-base points every command at the sandbox."""
from __future__ import annotations

import re

import pytest
import requests

from harness.waiting import wait_until
from lib.config.settings import build_settings
from lib.stores.factory import make_order_store
from tests.fixtures_app import start_sidecar
from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for

EMAIL = "stripe@example.com"  # the billing email of the CLI's checkout.session.completed fixture


@pytest.fixture
def cli_stack(start_sandbox, cli_for, tmp_path):
    """A sandbox that delivers only through the CLI, the CLI aimed at it, and the real sidecar verifying
    with the secret `stripe listen --print-secret` printed (what the tutorial's step 14 pastes)."""
    box = start_sandbox()
    cli = cli_for(box)
    printed = cli.run("listen", "--print-secret")
    assert printed.returncode == 0, printed.stderr
    env = {"DATA_DIR": str(tmp_path / "shop"), "STRIPE_API_BASE": box.url, "STRIPE_SECRET_KEY": "",
           "STRIPE_WEBHOOK_SECRET": printed.stdout.strip(), "SANDBOX_API_KEY": box.api_key,
           "APP_URL": "http://127.0.0.1:8501"}
    sidecar = start_sidecar(tmp_path, env)
    yield box, cli, sidecar, make_order_store(build_settings(env))
    sidecar.stop()


def attempts(box, event_id: str) -> list[dict]:
    """The sandbox's delivery attempts for one event, as the Webhook inspector reads them."""
    events = requests.get(f"{box.url}/_sandbox/events", params={"limit": 100}, auth=(box.api_key, "")).json()
    return next(e for e in events if e["id"] == event_id)["attempts"]


def test_print_secret_is_the_sandboxs_webhook_signing_secret(sandbox, cli_for):
    printed = cli_for(sandbox).run("listen", "--print-secret")
    assert (printed.returncode, printed.stdout.strip()) == (0, sandbox.webhook_secret)


def test_listen_and_trigger_make_one_order_and_resend_keeps_it_one(cli_stack, tmp_path):
    box, cli, sidecar, orders = cli_stack
    refused = cli.run("listen", "--forward-to", f"127.0.0.1:{sidecar.port}/webhook")
    assert "must specify events to forward using --events" in refused.stdout + refused.stderr
    listen = cli.start(tmp_path / "listen.log", "listen", "--events", "checkout.session.completed",
                       "--forward-to", f"127.0.0.1:{sidecar.port}/webhook")
    listen.wait_for(r"Ready! .*Your webhook signing secret is whsec_")
    triggered = cli.run("trigger", "checkout.session.completed")
    assert "Trigger succeeded!" in triggered.stdout, triggered.stdout + triggered.stderr
    event_id = listen.wait_for(r"--> checkout\.session\.completed \[(evt_\w+)\]").group(1)
    listen.wait_for(rf"<--  \[200\] POST http://127\.0\.0\.1:{sidecar.port}/webhook \[{event_id}\]")
    session_id = stripe_client_for(box).v1.checkout.sessions.list(params={"limit": 1}).data[0].id
    order = wait_until(lambda: orders.get_order(EMAIL, session_id))
    assert order.amount == 3000 and orders.count_orders(EMAIL) == 1
    assert [(a["url"], a["status_code"]) for a in attempts(box, event_id)] == [("stripe listen", 200)]
    dashboard = requests.post(f"{box.url}/dashboard/sign-in", data={"key": box.api_key}).text
    assert re.search(rf"{event_id}.*?stripe listen → 200", dashboard, re.S)

    resent = cli.run("events", "resend", event_id)
    assert resent.returncode == 0 and f'"id": "{event_id}"' in resent.stdout
    wait_until(lambda: len(re.findall(rf"<--  \[200\] .*\[{event_id}\]", listen.output())) == 2)
    wait_until(lambda: len(attempts(box, event_id)) == 2)
    assert orders.count_orders(EMAIL) == 1


def test_an_event_made_while_no_cli_listens_arrives_when_one_does(cli_stack, tmp_path):
    box, cli, sidecar, orders = cli_stack
    forward = ["listen", "--events", "checkout.session.completed", "--forward-to",
               f"127.0.0.1:{sidecar.port}/webhook"]
    first = cli.start(tmp_path / "first.log", *forward)
    first.wait_for("Ready!")
    first.stop()
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params(customer_email="ada@example.com"))
    complete_session(client, session.id)
    wait_until(lambda: any(e["object_id"] == session.id and e["attempts"] for e in requests.get(
        f"{box.url}/_sandbox/events", auth=(box.api_key, "")).json()))
    assert orders.get_order("ada@example.com", session.id) is None
    again = cli.start(tmp_path / "again.log", *forward)
    again.wait_for(r"<--  \[200\] POST")
    assert wait_until(lambda: orders.get_order("ada@example.com", session.id)).session_id == session.id


def test_logs_tail_prints_each_request(sandbox, sandbox_client, cli_for, tmp_path):
    tail = cli_for(sandbox).start(tmp_path / "tail.log", "logs", "tail")
    tail.wait_for("Ready! You're now waiting to receive API request logs")
    sandbox_client.v1.checkout.sessions.create(params=session_params())
    tail.wait_for(r"\[200\] POST /v1/checkout/sessions \[req_\w+\]")


def test_triggers_for_payment_intents_and_refunds_succeed(sandbox, sandbox_client, cli_for):
    cli = cli_for(sandbox)
    for event_type in ("payment_intent.succeeded", "charge.refunded"):
        triggered = cli.run("trigger", event_type)
        assert "Trigger succeeded!" in triggered.stdout, triggered.stdout + triggered.stderr
        sent = sandbox_client.v1.events.list(params={"type": event_type, "limit": 1}).data
        assert sent and sent[0].type == event_type
    refunded = sandbox_client.v1.events.list(params={"type": "charge.refunded", "limit": 1}).data[0]
    assert refunded.data.object["refunded"] is True
