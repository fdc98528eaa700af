"""The SQLite inbox's durability split: the add an answer waits on is fsynced, the workers'
claims and settles are not (a lost one only sends its event round again)."""
from datetime import UTC, datetime

from lib.stores.sqlite_inbox import SqliteInbox

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
