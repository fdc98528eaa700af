"""One contract for every webhook log adapter: append, newest first, shared by writer and reader."""
import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from harness.ports import free_port
from lib.stores.errors import StoreUnavailable
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from lib.stores.webhook_log import DETAIL_LIMIT, LoggedEvent

START = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


def line(n: int, **overrides) -> LoggedEvent:
    """The n-th test delivery, n seconds after START."""
    values = dict(received_at=START + timedelta(seconds=n), event_id=f"evt_{n}",
                  event_type="checkout.session.completed", session_id=f"cs_test_{n}",
                  signature="valid", outcome="order_created", status=200, latency_ms=12.5,
                  detail="paid")
    return LoggedEvent(**{**values, **overrides})


def test_an_empty_log(webhook_log):
    assert webhook_log.recent() == []
    assert webhook_log.last_received_at() is None


def test_a_line_round_trips_every_field(webhook_log):
    event = line(1, signature="invalid", outcome="rejected", status=400, latency_ms=0.75,
                 detail="signature: no match", event_id="", event_type="", session_id="")
    webhook_log.record(event)
    assert webhook_log.recent() == [event]
    assert webhook_log.last_received_at() == event.received_at


def test_recent_is_the_last_recorded_first_and_limited(webhook_log):
    for n in range(5):
        webhook_log.record(line(n))
    assert [e.event_id for e in webhook_log.recent(3)] == ["evt_4", "evt_3", "evt_2"]
    assert len(webhook_log.recent()) == 5
    assert webhook_log.last_received_at() == START + timedelta(seconds=4)


def test_recording_order_wins_over_the_clock(webhook_log):
    """Two processes' clocks may disagree: the inspector shows arrival order."""
    webhook_log.record(line(9))
    webhook_log.record(line(1))
    assert [e.event_id for e in webhook_log.recent()] == ["evt_1", "evt_9"]
    assert webhook_log.last_received_at() == START + timedelta(seconds=1)


def test_recording_order_wins_over_the_clock_across_writers(open_webhook_log):
    """Two sidecar replicas with clocks apart: the reader sees the order they recorded in."""
    fast_clock, slow_clock, reader = open_webhook_log(), open_webhook_log(), open_webhook_log()
    fast_clock.record(line(60))
    slow_clock.record(line(2))
    fast_clock.record(line(61))
    assert [e.event_id for e in reader.recent()] == ["evt_61", "evt_2", "evt_60"]


def test_for_session_is_that_sessions_lines_in_recording_order(webhook_log):
    """The timeline reads one session's deliveries as they happened, not the clock's order."""
    webhook_log.record(line(9, session_id="cs_a", event_id="evt_a1"))
    webhook_log.record(line(2, session_id="cs_b"))
    webhook_log.record(line(1, session_id="cs_a", event_id="evt_a2", outcome="duplicate"))
    webhook_log.record(line(3, session_id="cs_c"))
    webhook_log.record(line(4, session_id="cs_a", event_id="evt_a3"))
    assert [e.event_id for e in webhook_log.for_session("cs_a")] == ["evt_a1", "evt_a2",
                                                                      "evt_a3"]
    assert webhook_log.for_session("cs_b") == [line(2, session_id="cs_b")]


def test_for_session_across_writers(open_webhook_log):
    """Two sidecar replicas answered one session's retries: the reader sees both, in order."""
    first, second, reader = open_webhook_log(), open_webhook_log(), open_webhook_log()
    first.record(line(1, session_id="cs_a", event_id="evt_a1"))
    second.record(line(2, session_id="cs_a", event_id="evt_a2"))
    assert [e.event_id for e in reader.for_session("cs_a")] == ["evt_a1", "evt_a2"]


def test_for_session_of_an_unknown_session_is_empty(webhook_log):
    assert webhook_log.for_session("cs_none") == []
    webhook_log.record(line(1))
    assert webhook_log.for_session("cs_none") == []
    assert webhook_log.for_session("cs_test") == []  # a prefix of cs_test_1 is not it


def test_for_session_keeps_the_first_lines_up_to_its_limit(webhook_log):
    for n in range(5):
        webhook_log.record(line(n, session_id="cs_a"))
    assert [e.event_id for e in webhook_log.for_session("cs_a", 3)] == ["evt_0", "evt_1",
                                                                        "evt_2"]
    assert webhook_log.for_session("cs_a", 0) == [] and webhook_log.for_session("cs_a", -1) == []


def test_a_zero_limit_reads_nothing(webhook_log):
    webhook_log.record(line(1))
    webhook_log.count_rejected(START, "rejected: signature missing", line(1))
    assert webhook_log.recent(0) == [] and webhook_log.rejected(0) == []


def test_a_long_detail_is_cut(webhook_log):
    webhook_log.record(line(1, detail="x" * (DETAIL_LIMIT + 100)))
    assert webhook_log.recent(1)[0].detail == "x" * DETAIL_LIMIT


def test_the_writer_and_the_reader_share_the_log(open_webhook_log):
    writer, reader = open_webhook_log(), open_webhook_log()
    writer.record(line(1))
    assert [e.event_id for e in reader.recent()] == ["evt_1"]


def test_concurrent_writers_lose_no_line(open_webhook_log):
    logs = [open_webhook_log(), open_webhook_log()]
    start = threading.Barrier(8)

    def work(index):
        start.wait()
        for n in range(10):
            logs[index % 2].record(line(index * 100 + n))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(logs[0].recent(1000)) == 80


def test_record_many_appends_the_lines_in_their_order(open_webhook_log):
    """One batch's lines share a commit: the reader still sees them in the order given, between
    the lines recorded before and after, and a session's lines in that order too."""
    writer, reader = open_webhook_log(), open_webhook_log()
    writer.record(line(0))
    batch = [line(n, session_id="cs_batch" if n % 2 else f"cs_test_{n}") for n in
             (7, 3, 9, 1, 5, 2, 8)]
    writer.record_many(batch)
    writer.record(line(4))
    writer.record_many([])
    assert [e.event_id for e in reader.recent()] == (
        ["evt_4"] + [e.event_id for e in reversed(batch)] + ["evt_0"])
    assert [e.event_id for e in reader.for_session("cs_batch")] == [
        "evt_7", "evt_3", "evt_9", "evt_1", "evt_5"]
    assert reader.recent(3)[1:] == [batch[-1], batch[-2]]


def test_record_many_takes_more_lines_than_one_commit_holds(webhook_log):
    webhook_log.record_many([line(n) for n in range(620)])
    assert [e.event_id for e in webhook_log.recent(1000)] == [f"evt_{n}" for n in
                                                               reversed(range(620))]


def test_a_refusal_count_can_add_several_at_once(webhook_log):
    minute = START.replace(second=0, microsecond=0)
    webhook_log.count_rejected(minute, "rejected: signature missing", line(1, detail="a"), 40)
    webhook_log.count_rejected(minute, "rejected: signature missing", line(2, detail="b"))
    [count] = webhook_log.rejected()
    assert (count.count, count.last_detail) == (41, "b")


def test_describe(webhook_log):
    assert webhook_log.backend in webhook_log.describe().lower()


def test_sqlite_describe_names_the_file(tmp_path):
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    assert str(tmp_path / "webhook_log.sqlite3") in log.describe()
    log.close()


def test_refusals_are_counted_per_minute_and_reason_and_keep_the_last_detail(webhook_log):
    minute = START.replace(second=0, microsecond=0)
    for n in range(300):
        webhook_log.count_rejected(minute, "rejected: signature missing",
                                   line(n % 50, outcome="rejected", detail=f"junk {n}"))
    webhook_log.count_rejected(minute, "rejected: signature invalid", line(51, outcome="rejected"))
    later = minute + timedelta(minutes=1)
    webhook_log.count_rejected(later, "rejected: signature missing", line(61, outcome="rejected"))
    counts = webhook_log.rejected()
    assert [(c.minute, c.reason, c.count) for c in counts] == [
        (later, "rejected: signature missing", 1),
        (minute, "rejected: signature invalid", 1),
        (minute, "rejected: signature missing", 300)]
    assert counts[2].last_detail == "junk 299"
    assert webhook_log.recent() == []  # no line for a refusal
    assert len(webhook_log.rejected(2)) == 2


def firestore_log(emulator: str, project: str, timeout: float = 5.0):
    """A FirestoreWebhookLog on its own connection to the emulator's project."""
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.webhook_log import FirestoreWebhookLog

    return FirestoreWebhookLog(FirestoreConnection(project=project, emulator_host=emulator,
                                                   timeout=timeout), owns_connection=True)


@pytest.mark.firestore
def test_firestore_lines_and_counts_are_documents_that_can_expire(firestore_emulator):
    from tests.fixtures_firestore import raw_client, unique_project

    project = unique_project()
    log = firestore_log(firestore_emulator, project)
    try:
        log.record(line(1))
        log.count_rejected(START.replace(second=0, microsecond=0), "rejected: signature missing",
                           line(2, outcome="rejected", detail="no header"))
    finally:
        log.close()
    client = raw_client(project, firestore_emulator)
    [stored] = [d.to_dict() for d in client.collection("webhook_log").stream()]
    assert stored["event_id"] == "evt_1" and stored["status"] == 200
    assert stored["received_at"] == line(1).received_at and stored["recorded_at"] is not None
    assert stored["expire_at"] == line(1).received_at + timedelta(days=30)
    [(doc_id, count)] = [(d.id, d.to_dict()) for d in
                         client.collection("webhook_rejections").stream()]
    assert doc_id == "2026-03-14T09:26Z%20rejected:%20signature%20missing"
    assert (count["reason"], count["count"], count["last_detail"]) == (
        "rejected: signature missing", 1, "no header")


@pytest.mark.firestore
def test_firestore_an_unreadable_line_is_skipped_and_named(firestore_emulator, caplog):
    from tests.fixtures_firestore import raw_client, unique_project

    project = unique_project()
    log = firestore_log(firestore_emulator, project)
    try:
        log.record(line(1))
        raw_client(project, firestore_emulator).collection("webhook_log").document("junk").set(
            {"recorded_at": START + timedelta(days=400), "status": "not a number",
             "session_id": line(1).session_id})
        with caplog.at_level(logging.WARNING, logger="storefront.webhook_log"):
            assert [e.event_id for e in log.recent()] == ["evt_1"]
            assert [e.event_id for e in log.for_session(line(1).session_id)] == ["evt_1"]
        assert "webhook_log/junk" in caplog.text
    finally:
        log.close()


@pytest.mark.firestore
def test_firestore_at_a_closed_port_is_unavailable():
    log = firestore_log(f"127.0.0.1:{free_port()}", "demo-closed", timeout=1)
    try:
        for call in (lambda: log.record(line(1)), log.recent, log.rejected,
                     lambda: log.count_rejected(START, "rejected: signature missing", line(1))):
            with pytest.raises(StoreUnavailable, match="did not answer"):
                call()
    finally:
        log.close()
