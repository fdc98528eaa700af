"""The webhook log off the answer's path: lines written after the answer by one background
writer, in batches; a clean stop (SIGTERM) writes what is queued; refusals still counted."""
from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import UTC, datetime

import pytest
import requests

from harness.processes import free_port, python_module, start
from harness.webhook_signing import checkout_event, signed
from lib.config.settings import build_settings
from lib.stores.factory import WEBHOOK_LOG_FILENAME
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.stores.webhook_log import LoggedEvent
from lib.webhooks.delivery_log import DeliveryLogWriter, log_deliveries

SECRET = "whsec_test_secret_for_the_log_writer"
EXPIRED = "checkout.session.expired"  # answered "ignored" with a line of its own, no Stripe call
AT = datetime(2026, 12, 7, 10, 30, 15, tzinfo=UTC)


def line(n: int, outcome: str = "queued", signature: str = "valid") -> LoggedEvent:
    """The n-th answered delivery."""
    return LoggedEvent(AT, f"evt_{n}", "checkout.session.completed", f"cs_test_{n}", signature,
                       outcome, 400 if outcome == "rejected" else 200, 1.5, f"line {n}")


class HeldLog(SqliteWebhookLog):
    """The real SQLite log, counting its writes; each waits until `released` is set (`entered`
    says one has begun)."""

    def __init__(self, path):
        super().__init__(path)
        self.released, self.entered, self.writes = threading.Event(), threading.Event(), []

    def record_many(self, events):
        """Wait until released, then the real write."""
        self.entered.set()
        assert self.released.wait(30), "the test never released the log"
        self.writes.append(len(events))
        super().record_many(events)


def test_lines_queued_during_a_write_go_together_in_the_next(tmp_path):
    log = HeldLog(tmp_path / "log.sqlite3")
    writer = DeliveryLogWriter(log)
    writer.put(line(0))  # taken at once: its write now waits
    assert log.entered.wait(10)
    for n in range(1, 6):
        writer.put(line(n))
    assert log.recent() == []
    log.released.set()
    assert writer.flush(10)
    writer.close()
    assert log.writes[0] == 1 and sum(log.writes) == 6 and len(log.writes) <= 2
    assert [e.event_id for e in log.recent()] == [f"evt_{n}" for n in reversed(range(6))]


def test_close_writes_what_is_still_queued(tmp_path):
    log = HeldLog(tmp_path / "log.sqlite3")
    writer = DeliveryLogWriter(log)
    for n in range(20):
        writer.put(line(n))
    threading.Timer(0.2, log.released.set).start()
    writer.close(10)
    assert len(log.recent(100)) == 20
    writer.put(line(20))  # after close the caller writes its own line
    assert len(log.recent(100)) == 21


def test_a_full_queue_has_the_answering_thread_write_its_own_line(tmp_path):
    log = HeldLog(tmp_path / "log.sqlite3")
    writer = DeliveryLogWriter(log, max_queued=1)
    writer.put(line(0))  # in the writer's hands, held
    assert log.entered.wait(10)
    writer.put(line(1))  # queued: the queue is full now
    done = threading.Event()
    threading.Thread(target=lambda: (writer.put(line(2)), done.set())).start()
    assert not done.wait(0.2)  # the caller writes line 2 itself, so it waits on the log
    log.released.set()
    assert done.wait(10) and writer.flush(10)
    writer.close()
    assert sorted(e.event_id for e in log.recent()) == ["evt_0", "evt_1", "evt_2"]


def test_refusals_in_one_batch_cost_one_count_per_reason(tmp_path):
    log = SqliteWebhookLog(tmp_path / "log.sqlite3")
    events = [line(n, "rejected", "missing" if n % 3 else "invalid") for n in range(30)]
    events.insert(7, line(99))
    log_deliveries(log, events)
    assert {c.reason: c.count for c in log.rejected()} == {
        "rejected: signature missing": 20, "rejected: signature invalid": 10}
    assert {c.last_detail for c in log.rejected()} == {"line 29", "line 27"}
    assert [e.event_id for e in log.recent()] == ["evt_99"]


def test_a_failing_log_costs_a_warning_and_the_writer_goes_on(tmp_path, caplog):
    class BrokenOnce(SqliteWebhookLog):
        """Fails its first write, as a store outage would."""

        broken = True

        def record_many(self, events):
            if self.broken:
                self.broken = False
                raise OSError("disk gone")
            super().record_many(events)

    log = BrokenOnce(tmp_path / "log.sqlite3")
    writer = DeliveryLogWriter(log)
    with caplog.at_level(logging.WARNING, "storefront.webhook_log"):
        writer.put(line(1))
        assert writer.flush(10)
    writer.put(line(2))
    assert writer.flush(10)
    writer.close()
    assert "could not log 1 webhook deliveries: disk gone" in caplog.text
    assert [e.event_id for e in log.recent()] == ["evt_2"]


def test_the_answer_does_not_wait_for_its_log_line(tmp_path):
    from webhook_server import create_app, flush_log, shutdown

    settings = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    log = HeldLog(tmp_path / "log.sqlite3")
    app = create_app(settings, store=SqliteOrderStore(tmp_path / "orders.sqlite3"),
                     stripe_client=object(), event_log=log, worker_threads=1)
    try:
        body, headers = signed(checkout_event("cs_test_1", event_type=EXPIRED), SECRET)
        answer = app.test_client().post("/webhook", data=body, headers=headers)
        assert answer.status_code == 200 and answer.get_json()["outcome"] == "ignored"
        assert log.recent() == []  # answered while the log could not be written
        log.released.set()
        assert flush_log(app)
        assert [(e.outcome, e.status) for e in log.recent()] == [("ignored", 200)]
    finally:
        shutdown(app)


@pytest.mark.processes  # a sidecar process
def test_sigterm_writes_the_queued_lines_before_the_sidecar_exits(tmp_path):
    """tests/gated_log_sidecar.py: its log cannot write until the gate file exists. Three
    deliveries are answered with no line written; SIGTERM comes while they are queued; the gate
    opens only after it: the process still writes all three before it exits."""
    port, gate = free_port(), tmp_path / "gate"
    env = {"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET,
           "WEBHOOK_URL": f"http://127.0.0.1:{port}", "GATE_FILE": str(gate)}
    server = start("gated-log-sidecar", python_module("tests.gated_log_sidecar"), env, tmp_path,
                   "/healthz", port)
    log = SqliteWebhookLog(tmp_path / WEBHOOK_LOG_FILENAME)
    try:
        for n in range(3):
            body, headers = signed(checkout_event(f"cs_test_{n}", event_type=EXPIRED), SECRET)
            answer = requests.post(f"{server.url}/webhook", data=body, headers=headers,
                                   timeout=10)
            assert answer.json()["outcome"] == "ignored"
        assert log.recent() == []
        os.killpg(server.proc.pid, signal.SIGTERM)
        threading.Timer(0.5, gate.touch).start()
        assert server.proc.wait(20) == 0
        assert [e.session_id for e in log.recent()] == ["cs_test_2", "cs_test_1", "cs_test_0"]
    finally:
        gate.touch()
        server.stop()
        log.close()
