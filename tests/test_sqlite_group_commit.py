"""Group commit: concurrent writes share transactions, each caller gets its own result once it
is committed, and a failure reaches every caller in the failed transaction and no other."""
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

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
    conns = table(tmp_path)
    first = threading.Event()

    def slow_first(conn, params):
        if not first.is_set():  # hold the first transaction open so the others queue up
            first.set()
            time.sleep(0.2)
        return insert(conn, params)

    group = GroupCommit(conns, slow_first)
    keys = [f"k{n % 150}" for n in range(300)]  # every key twice
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda key: group.submit((key,)), keys))
    assert sum(results) == 150  # each key new exactly once
    assert group.commits < 100  # 300 writes, far fewer transactions
    fresh = sqlite3.connect(tmp_path / "t.sqlite3")
    assert fresh.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 150  # committed, visible


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
