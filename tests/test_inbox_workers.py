"""The inbox workers: each event handled exactly once across pools sharing one inbox, retries
with backoff, a final failed state, and the sidecar answering before any fulfilment."""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from harness.waiting import wait_until
from lib.stores.sqlite.inbox import SqliteInbox
from lib.webhooks.events import Verdict, WebhookOutcome
from lib.webhooks.intake import AnswersInFlight
from lib.webhooks.workers import InboxWorkers, RetryPolicy, work_one

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def body(event_id: str) -> bytes:
    """A stored event body."""
    return json.dumps({"id": event_id, "type": "checkout.session.completed"}).encode()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def test_two_worker_pools_sharing_one_inbox_handle_each_event_exactly_once(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    first, second = SqliteInbox(path), SqliteInbox(path)
    handled: Counter[str] = Counter()
    lock = threading.Lock()

    def handle(event, create_order):
        with lock:
            handled[event["id"]] += 1
        return Verdict(WebhookOutcome.ORDER_CREATED, "paid")

    pools = [InboxWorkers(inbox, handle, threads=4, idle_seconds=0.02).start()
             for inbox in (first, second)]
    ids = [f"evt_{n:04}" for n in range(300)]
    try:
        for n, event_id in enumerate(ids):
            (first if n % 2 else second).add(event_id, "checkout.session.completed",
                                             "cs_test_x", body(event_id), datetime.now(UTC))
            pools[n % 2].wake()
        wait_until(lambda: sum(handled.values()) >= len(ids), timeout=30)
        wait_until(lambda: all(e.state == "fulfilled" for e in first.recent(400)), timeout=60)
    finally:
        for pool in pools:
            pool.stop()
    assert handled == Counter(ids)  # every event once, none twice
    assert {e.attempts for e in first.recent(400)} == {1}


def test_errors_retry_with_backoff_then_succeed(tmp_path):
    inbox, clock = SqliteInbox(tmp_path / "inbox.sqlite3"), Clock()
    inbox.add("evt_1", "checkout.session.completed", "cs_test_1", body("evt_1"), T0)
    answers = iter([Verdict(WebhookOutcome.ERROR, "stripe: APIConnectionError: down"),
                    Verdict(WebhookOutcome.ERROR, "store: locked"),
                    Verdict(WebhookOutcome.ORDER_CREATED, "paid")])
    policy = RetryPolicy(base_seconds=2, cap_seconds=3)
    assert work_one(inbox, lambda event, create_order: next(answers), policy, clock)
    stored = inbox.get("evt_1")
    assert (stored.state, stored.next_attempt_at) == ("retrying", T0 + timedelta(seconds=2))
    assert stored.last_error == "stripe: APIConnectionError: down"
    # Not due yet:
    assert not work_one(inbox, lambda event, create_order: next(answers), policy, clock)
    clock.now = T0 + timedelta(seconds=2)
    assert work_one(inbox, lambda event, create_order: next(answers), policy, clock)
    # The second wait would be 4 s; the cap holds it at 3.
    assert inbox.get("evt_1").next_attempt_at == clock.now + timedelta(seconds=3)
    clock.now += timedelta(seconds=3)
    assert work_one(inbox, lambda event, create_order: next(answers), policy, clock)
    assert inbox.get("evt_1").state == "fulfilled" and inbox.get("evt_1").attempts == 3


def test_an_event_that_keeps_failing_ends_failed_with_its_last_error(tmp_path):
    inbox, clock = SqliteInbox(tmp_path / "inbox.sqlite3"), Clock()
    inbox.add("evt_1", "checkout.session.completed", "cs_test_1", body("evt_1"), T0)
    policy = RetryPolicy(max_attempts=3, base_seconds=1)

    def broken(event, create_order):
        raise RuntimeError("boom")

    for _ in range(3):
        assert work_one(inbox, broken, policy, clock)
        clock.now += timedelta(minutes=1)
    stored = inbox.get("evt_1")
    assert (stored.state, stored.attempts, stored.last_error) == ("failed", 3, "RuntimeError: boom")
    assert not work_one(inbox, broken, policy, clock)


def test_an_event_stripe_does_not_know_fails_at_once(tmp_path):
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    inbox.add("evt_1", "checkout.session.completed", "cs_test_1", body("evt_1"), T0)
    verdict = Verdict(WebhookOutcome.REJECTED, "Stripe has no such checkout session")
    assert work_one(inbox, lambda event, create_order: verdict, RetryPolicy(), Clock())
    assert inbox.get("evt_1").state == "failed" and inbox.get("evt_1").attempts == 1


def test_the_inspector_columns_say_the_state_and_the_lag(tmp_path):
    from lib.presenter.inbox_view import inbox_columns

    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    inbox.add("evt_1", "checkout.session.completed", "cs_test_1", body("evt_1"), T0)
    later = T0 + timedelta(seconds=2)
    assert inbox_columns(inbox, "evt_1", later) == {"inbox": "received", "to order ms": 2000.0}
    claim = inbox.claim(T0, 30, "w1")
    inbox.retry(claim, "stripe: down", later)
    assert inbox_columns(inbox, "evt_1", later)["inbox"] == "retrying (attempt 1): stripe: down"
    claim = inbox.claim(later, 30, "w1")
    inbox.fulfilled(claim, T0 + timedelta(milliseconds=2500))
    assert inbox_columns(inbox, "evt_1", T0 + timedelta(days=1)) == {
        "inbox": "fulfilled", "to order ms": 2500.0}
    assert inbox_columns(inbox, "evt_unknown", later) == {"inbox": "-", "to order ms": None}


def test_workers_defer_to_answers_in_flight_but_not_for_ever(tmp_path):
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    handled = threading.Event()
    quiet = threading.Event()  # set once no delivery is being answered; not yet

    def handle(event, create_order):
        handled.set()
        return Verdict(WebhookOutcome.ORDER_CREATED, "paid")

    inbox.add("evt_1", "checkout.session.completed", "cs_test_x", body("evt_1"),
              datetime.now(UTC))
    started = time.monotonic()
    pool = InboxWorkers(inbox, handle, threads=1, idle_seconds=0.02,
                        answering=quiet.wait, max_defer_seconds=0.6).start()
    try:
        assert not handled.wait(0.3)  # the answers go first ...
        assert handled.wait(5)  # ... and the cap lets the event through all the same
        assert time.monotonic() - started >= 0.55
    finally:
        pool.stop()
    # With nothing being answered there is no deferring at all: a deferral here would hold
    # the event for an hour.
    quiet.set()
    inbox.add("evt_2", "checkout.session.completed", "cs_test_x", body("evt_2"),
              datetime.now(UTC))
    patient = InboxWorkers(inbox, handle, threads=1, idle_seconds=0.02,
                           answering=quiet.wait, max_defer_seconds=3600).start()
    try:
        wait_until(lambda: inbox.get("evt_2").state == "fulfilled", timeout=60)
    finally:
        patient.stop()


def test_answers_in_flight_counts_what_is_being_answered():
    in_flight = AnswersInFlight()
    assert not in_flight
    with in_flight, in_flight:
        assert in_flight
    assert not in_flight


def test_waiting_on_answers_in_flight_ends_when_the_last_one_leaves():
    in_flight = AnswersInFlight()
    assert in_flight.wait_until_none(0)  # none in flight: no wait at all
    in_flight.__enter__()
    assert not in_flight.wait_until_none(0.05)  # one in flight: the timeout ends the wait
    leaving = threading.Timer(0.1, in_flight.__exit__)
    leaving.start()
    started = time.monotonic()
    assert in_flight.wait_until_none(30)  # woken when it leaves, not at the timeout
    assert time.monotonic() - started < 10
    leaving.join()


def test_the_inspector_reads_every_row_of_the_inbox_in_one_call(tmp_path):
    from lib.presenter.inbox_view import inbox_columns_for

    class CountingInbox(SqliteInbox):
        """Counts the inspector's reads: one many() per refresh, never a get() per row."""

        reads: Counter = Counter()

        def many(self, event_ids):
            self.reads["many"] += 1
            return super().many(event_ids)

        def get(self, event_id):
            self.reads["get"] += 1
            return super().get(event_id)

    inbox = CountingInbox(tmp_path / "inbox.sqlite3")
    for n in range(50):
        inbox.add(f"evt_{n}", "checkout.session.completed", "cs_test_1", body(f"evt_{n}"), T0)
    ids = [f"evt_{n}" for n in range(50)] + ["", "evt_refused"]
    rows = inbox_columns_for(inbox, ids, T0 + timedelta(seconds=1))
    assert inbox.reads == Counter(many=1)
    assert list(rows) == ids and rows["evt_7"] == {"inbox": "received", "to order ms": 1000.0}
    assert rows[""] == rows["evt_refused"] == {"inbox": "-", "to order ms": None}
    assert inbox_columns_for(None, ["evt_1"], T0) == {"evt_1": {"inbox": "-", "to order ms": None}}


def test_a_worker_outlives_an_unexpected_error_from_the_inbox(tmp_path, caplog):
    class HiccupInbox(SqliteInbox):
        """Raises a non-store error on its first claim, as a bug or a malformed record would."""

        hiccups = 1

        def claim(self, now, lease_seconds, token):
            if self.hiccups:
                self.hiccups -= 1
                raise KeyError("attempts")
            return super().claim(now, lease_seconds, token)

    inbox = HiccupInbox(tmp_path / "inbox.sqlite3")
    inbox.add("evt_1", "checkout.session.completed", "cs_test_1", body("evt_1"), T0)
    pool = InboxWorkers(inbox,
                        lambda event, create_order: Verdict(WebhookOutcome.ORDER_CREATED, "paid"),
                        threads=1, idle_seconds=0.02).start()
    try:
        wait_until(lambda: inbox.get("evt_1").state == "fulfilled", timeout=60)
        assert all(thread.is_alive() for thread in pool._threads)
    finally:
        pool.stop()
    assert inbox.hiccups == 0 and "claiming or settling an event failed" in caplog.text
