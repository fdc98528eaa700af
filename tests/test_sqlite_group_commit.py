"""Group commit: concurrent writes share transactions, each caller gets its own result once it
is committed, and a failure reaches every caller in the failed transaction and no other."""
import math
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.waiting import wait_until
from lib.stores.sqlite.connections import ThreadConnections
from lib.stores.sqlite.group_commit import GroupCommit


def table(tmp_path) -> ThreadConnections:
    """Connections to a fresh file with one keyed table."""
    conns = ThreadConnections(tmp_path / "t.sqlite3")
    conns.get().execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    return conns


def insert(conn, params):
    """INSERT OR IGNORE: True if the key is new."""
    return conn.execute("INSERT OR IGNORE INTO t VALUES (?)", params).rowcount == 1


def test_concurrent_writes_share_commits_and_each_gets_its_own_result(tmp_path):
    """The first write's transaction is held open until every other write has queued behind
    it; then they go in batches of max_batch, so the count of transactions is exact."""
    conns = table(tmp_path)
    writes = 200
    keys = [f"k{n % 100}" for n in range(writes)]  # every key twice
    queued = threading.Event()

    def held_first(conn, params):
        if group.commits == 0:  # only the first transaction runs before the others queued
            assert queued.wait(60), "the other writes never queued"
        return insert(conn, params)

    group = GroupCommit(conns, held_first)
    with ThreadPoolExecutor(writes) as pool:
        futures = [pool.submit(group.submit, (key,)) for key in keys]
        wait_until(lambda: group.waiting == writes - 1, timeout=60)
        queued.set()
        results = [future.result(60) for future in futures]
    assert sum(results) == 100  # each key new exactly once
    # One transaction for the first write, then the 199 queued in batches of 64: 4 more.
    assert group.max_batch == 64
    assert group.commits == 1 + math.ceil((writes - 1) / group.max_batch) == 5
    fresh = sqlite3.connect(tmp_path / "t.sqlite3")
    assert fresh.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 100  # committed, visible


def test_a_failed_write_fails_its_whole_transaction_and_only_it(tmp_path):
    conns = table(tmp_path)

    def fussy(conn, params):
        if params[0] == "bad":
            raise sqlite3.IntegrityError("refused")
        return insert(conn, params)

    group = GroupCommit(conns, fussy)
    with pytest.raises(sqlite3.IntegrityError):
        group.submit(("bad",))
    assert group.submit(("good",)) is True  # the next transaction is unaffected
    assert [row[0] for row in conns.get().execute("SELECT k FROM t")] == ["good"]
