"""The webhook sidecar's HTTP contract: each rejection case, limits and health."""
from __future__ import annotations

import json
import threading
import time

import pytest
import stripe

from harness.processes import free_port, python_module, start
from harness.webhook_signing import checkout_event, signature_header, signed
from lib.config.settings import build_settings
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.webhooks.events import WebhookOutcome
from tests.fixtures_stores import last_logged_outcome
from webhook_server import create_app, shutdown
from webhook_server.routes import HTTP_STATUS

SECRET = "whsec_test_secret_for_the_sidecar"


class UnusedStripe:
    """A Stripe client that must not be called: these deliveries are refused before that."""

    def __getattr__(self, name):
        raise AssertionError(f"Stripe was called ({name}) for a delivery that should be refused")


@pytest.fixture
def sidecar(tmp_path, sidecar_app):
    """A sidecar app on a tmp SQLite store, its test client, store and log."""
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    store = SqliteOrderStore(tmp_path / "orders.sqlite3")
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    app = sidecar_app(settings, store=store, stripe_client=UnusedStripe(), event_log=log)
    return app.test_client(), store, log


def nothing_written(store, log_entry_outcome, log):
    """Assert no order exists and the last log line has the outcome."""
    assert store.count_orders("ada@example.com") == 0
    assert last_logged_outcome(log) == log_entry_outcome


def post(client, body, headers):
    """POST a delivery to /webhook."""
    return client.post("/webhook", data=body, headers=headers)


def test_missing_signature_is_400(sidecar):
    client, store, log = sidecar
    body, _ = signed(checkout_event("cs_test_a"), SECRET)
    response = post(client, body, {"Content-Type": "application/json"})
    assert response.status_code == 400
    nothing_written(store, "rejected", log)
    assert log.rejected(1)[0].reason == "rejected: signature missing"


def test_malformed_signature_is_400(sidecar):
    client, store, log = sidecar
    body, _ = signed(checkout_event("cs_test_a"), SECRET)
    assert post(client, body, {"Stripe-Signature": "nonsense"}).status_code == 400
    nothing_written(store, "rejected", log)


def test_wrong_secret_is_400(sidecar):
    client, store, log = sidecar
    body, headers = signed(checkout_event("cs_test_a"), "whsec_someone_else")
    assert post(client, body, headers).status_code == 400
    nothing_written(store, "rejected", log)
    assert log.rejected(1)[0].reason == "rejected: signature invalid"


def test_tampered_body_is_400(sidecar):
    client, store, log = sidecar
    body, headers = signed(checkout_event("cs_test_a"), SECRET)
    assert post(client, body.replace(b"ada@", b"eve@"), headers).status_code == 400
    nothing_written(store, "rejected", log)


def test_stale_timestamp_is_400(sidecar):
    client, store, log = sidecar
    body, headers = signed(checkout_event("cs_test_a"), SECRET, int(time.time()) - 301)
    assert post(client, body, headers).status_code == 400
    nothing_written(store, "rejected", log)


def test_future_timestamp_is_400(sidecar):
    client, store, log = sidecar
    body, headers = signed(checkout_event("cs_test_a"), SECRET, int(time.time()) + 3600)
    assert post(client, body, headers).status_code == 400
    nothing_written(store, "rejected", log)


def test_signed_body_that_is_not_json_is_400(sidecar):
    client, store, log = sidecar
    body = b"this is not json"
    headers = {"Stripe-Signature": signature_header(body, SECRET)}
    assert post(client, body, headers).status_code == 400
    nothing_written(store, "rejected", log)


def test_signed_json_that_is_not_an_event_is_400(sidecar):
    client, store, log = sidecar
    body = json.dumps([1, 2, 3]).encode()
    assert post(client, body, {"Stripe-Signature": signature_header(body, SECRET)}
                ).status_code == 400


def test_get_is_405(sidecar):
    client, _, _ = sidecar
    assert client.get("/webhook").status_code == 405
    assert client.put("/webhook").status_code == 405


def test_body_over_one_mib_is_413(sidecar):
    client, store, _ = sidecar
    body = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    response = post(client, body, {"Stripe-Signature": signature_header(body, SECRET)})
    assert response.status_code == 413
    assert store.count_orders("ada@example.com") == 0


def test_unhandled_event_type_is_200_and_ignored(sidecar):
    client, store, log = sidecar
    body, headers = signed(checkout_event("cs_test_a", event_type="customer.created"), SECRET)
    response = post(client, body, headers)
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "ignored"
    nothing_written(store, "ignored", log)


def test_expired_session_is_200_and_records_nothing(sidecar):
    client, store, log = sidecar
    event = checkout_event("cs_test_a", event_type="checkout.session.expired")
    body, headers = signed(event, SECRET)
    assert post(client, body, headers).status_code == 200
    nothing_written(store, "ignored", log)
    assert log.recent(1)[0].event_id == event["id"]


def test_sdk_accepts_the_test_signatures():
    """The signing helper agrees with the SDK, so the rejection tests test the real scheme."""
    body, headers = signed(checkout_event("cs_test_a"), SECRET)
    event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)
    assert event.type == "checkout.session.completed"


def test_healthz_reports_the_store(sidecar):
    client, _, _ = sidecar
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["store"] == "sqlite" and data["reachable"] is True
    # /healthz answers anyone: it names the store by an id, never by its file path.
    assert len(data["store_id"]) == 16 and "location" not in data
    assert "orders.sqlite3" not in response.get_data(as_text=True)


def test_healthz_is_503_when_the_store_is_down(tmp_path, sidecar_app):
    class DownStore(SqliteOrderStore):
        def ping(self):
            from lib.stores.errors import StoreUnavailable
            raise StoreUnavailable("disk on fire")

    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    app = sidecar_app(settings, store=DownStore(tmp_path / "o.sqlite3"),
                      stripe_client=UnusedStripe(),
                      event_log=SqliteWebhookLog(tmp_path / "log.sqlite3"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "disk on fire" in response.get_json()["detail"]


def test_no_secret_configured_refuses_everything(tmp_path, sidecar_app):
    settings = build_settings({"DATA_DIR": str(tmp_path)})
    store = SqliteOrderStore(tmp_path / "o.sqlite3")
    app = sidecar_app(settings, store=store, stripe_client=UnusedStripe(),
                      event_log=SqliteWebhookLog(tmp_path / "log.sqlite3"))
    body, headers = signed(checkout_event("cs_test_a"), SECRET)
    assert app.test_client().post("/webhook", data=body, headers=headers).status_code == 400


def test_every_outcome_has_exactly_one_status():
    """The table next to the route covers every outcome lib can return, with the codes Stripe
    reads as done (2xx), hopeless (4xx) and retry (5xx)."""
    assert set(HTTP_STATUS) == set(WebhookOutcome)
    assert {outcome: HTTP_STATUS[outcome] for outcome in WebhookOutcome} == {
        "order_created": 200, "status_updated": 200, "already_recorded": 200, "queued": 200, "ignored": 200,
        "rejected": 400, "too_large": 413, "error": 500}


def test_the_answer_and_the_log_carry_the_status_from_the_table(sidecar):
    client, _, log = sidecar
    body, headers = signed(checkout_event("cs_test_a", event_type="checkout.session.expired"),
                           SECRET)
    response = post(client, body, headers)
    assert response.get_json() == {"received": True, "outcome": "ignored",
                                   "detail": "session expired unpaid: nothing to record"}
    assert (log.recent(1)[0].status, log.recent(1)[0].outcome) == (200, "ignored")
    bad = post(client, body, {"Stripe-Signature": "nonsense"})
    assert bad.get_json()["received"] is False and bad.status_code == 400
    assert last_logged_outcome(log) == "rejected"


def test_a_body_over_one_mib_answers_too_large_and_is_not_logged(sidecar):
    client, _, log = sidecar
    body = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    response = post(client, body, {"Stripe-Signature": signature_header(body, SECRET)})
    assert response.get_json()["outcome"] == "too_large"
    assert log.recent(1) == []


@pytest.mark.processes  # a sidecar process
def test_the_sidecar_process_listens_at_the_port_settings_derive(tmp_path):
    """With only WEBHOOK_URL set (as run.py's environment may be), `python -m webhook_server`
    listens on that URL's port: the port comes from Settings, not a raw WEBHOOK_PORT read."""
    port = free_port()
    env = {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET,
           "WEBHOOK_URL": f"http://127.0.0.1:{port}"}
    server = start("sidecar_from_url", python_module("webhook_server"), env, tmp_path,
                   "/healthz", port)
    try:
        assert f"127.0.0.1:{port}/webhook" in server.log()
    finally:
        server.stop()


def inbox_worker_threads() -> int:
    """How many inbox worker threads are alive in this process."""
    return sum(t.name.startswith("inbox-worker-") and t.is_alive()
               for t in threading.enumerate())


def test_the_inbox_knobs_come_from_settings_and_shutdown_stops_the_workers(tmp_path):
    before = inbox_worker_threads()
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET,
                               "INBOX_WORKERS": "3", "INBOX_LEASE_SECONDS": "7.5"})
    app = create_app(settings, store=SqliteOrderStore(tmp_path / "o.sqlite3"),
                     stripe_client=UnusedStripe(),
                     event_log=SqliteWebhookLog(tmp_path / "log.sqlite3"))
    workers = app.extensions["storefront"].workers
    assert workers.policy.lease_seconds == 7.5
    assert workers.idle_seconds == 0.25  # unset: the SQLite inbox's own pause
    assert inbox_worker_threads() == before + 3
    shutdown(app, timeout=5)
    assert inbox_worker_threads() == before
    # The inbox create_app opened is closed with it; a new app on the same DATA_DIR still works.
    again = create_app(settings, store=SqliteOrderStore(tmp_path / "o.sqlite3"),
                       stripe_client=UnusedStripe(),
                       event_log=SqliteWebhookLog(tmp_path / "log.sqlite3"), worker_threads=1)
    assert inbox_worker_threads() == before + 1
    shutdown(again)
    assert inbox_worker_threads() == before


class Console:
    """A console that records each write the sidecar makes to it."""

    def __init__(self):
        self.writes = []

    def write(self, text):
        """Keep one write."""
        self.writes.append(text)
        return len(text)

    def flush(self):
        """Nothing buffered."""


def test_each_console_line_is_one_write_so_threads_cannot_split_it(tmp_path, sidecar_app):
    console = Console()
    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    app = sidecar_app(settings, stripe_client=UnusedStripe(), worker_threads=1,
                      say=lambda *args, **kwargs: print(*args, file=console, **kwargs))
    client = app.test_client()
    # Two real lines (a refused post of the same kind twice a minute is printed once).
    for session_id in ("cs_test_a", "cs_test_b"):
        post(client, *signed(checkout_event(session_id, event_type="checkout.session.expired"),
                             SECRET))
    written = [text for text in console.writes if text]
    assert len(written) == 2
    assert all(text.endswith("\n") and text.count("\n") == 1 for text in written), written
