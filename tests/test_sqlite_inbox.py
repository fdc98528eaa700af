"""The SQLite inbox's durability split: the add an answer waits on is fsynced, the workers'
claims and settles are not (a lost one only sends its event round again); rows it cannot read
are put aside, not in the way."""
import sqlite3
from datetime import UTC, datetime, timedelta

from lib.stores.sqlite.inbox import SqliteInbox

FULL, NORMAL = 2, 1  # PRAGMA synchronous values


def test_adds_are_full_and_the_workers_writes_normal(tmp_path):
    inbox = SqliteInbox(tmp_path / "inbox.sqlite3")
    now = datetime(2026, 12, 2, tzinfo=UTC)
    assert inbox.add("evt_1", "checkout.session.completed", "cs_test_1", b"{}", now)
    claim = inbox.claim(now, 60, "token")
    assert claim is not None and inbox.fulfilled(claim, now)
    assert inbox._conns.get().execute("PRAGMA synchronous").fetchone()[0] == FULL
    assert inbox._worker_conns.get().execute("PRAGMA synchronous").fetchone()[0] == NORMAL
    # Both connection sets see one file: the settle is what the FULL side reads back.
    assert inbox.get("evt_1").state == "fulfilled"
    inbox.close()


def plant_unreadable(path) -> None:
    """Two due rows older than any event the tests add, written by hand as a person might: a
    payload as text (the column's type is only an affinity), and a receipt time not ISO 8601."""
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO inbox (event_id, event_type, session_id, payload, received_at,"
                     " state, next_attempt_at) VALUES (?,?,?,?,?,?,?)",
                     ("evt_text", "checkout.session.completed", "cs_hand", '{"id": "evt_text"}',
                      "2026-12-01T00:00:00+00:00", "received", "2026-12-01T00:00:00+00:00"))
        conn.execute("INSERT INTO inbox (event_id, event_type, session_id, payload, received_at,"
                     " state, next_attempt_at) VALUES (?,?,?,?,?,?,?)",
                     ("evt_when", "checkout.session.completed", "cs_hand", b"{}",
                      "yesterday", "received", "2026-12-01T00:00:01+00:00"))
    conn.close()


def test_unreadable_rows_are_marked_failed_and_do_not_block_the_events_behind_them(tmp_path,
                                                                                    caplog):
    path = tmp_path / "inbox.sqlite3"
    inbox = SqliteInbox(path)
    now = datetime(2026, 12, 2, tzinfo=UTC)
    plant_unreadable(path)
    assert inbox.add("evt_good", "checkout.session.completed", "cs_test_1", b"{}", now)
    claim = inbox.claim(now, 60, "w1")
    assert claim is not None and claim.event.event_id == "evt_good"
    assert inbox.fulfilled(claim, now)
    rows = dict(inbox._conns.get().execute(
        "SELECT event_id, state || ' / ' || last_error FROM inbox WHERE event_id != 'evt_good'"))
    assert rows == {
        "evt_text": "failed / unreadable inbox row: payload is str, not bytes",
        "evt_when": "failed / unreadable inbox row: Invalid isoformat string: 'yesterday'"}
    assert inbox.claim(now + timedelta(days=1), 60, "w2") is None
    assert caplog.text.count("marked unreadable row") == 2
    # The reads skip them and say so.
    assert [event.event_id for event in inbox.recent()] == ["evt_good"]
    assert inbox.get("evt_text") is None and list(inbox.many(["evt_good", "evt_when"])) == [
        "evt_good"]
    assert "skipped unreadable inbox row 'evt_text'" in caplog.text
    inbox.close()
