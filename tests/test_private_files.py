"""Secrets and state on disk are the user's alone: 0600 files in a 0700 DATA_DIR (POSIX)."""
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from devtools import demo
from lib.config.private_files import create_private_text, private_dir, private_file
from lib.config.settings import build_settings
from lib.services import build_services
from lib.stores.sqlite.webhook_log import LoggedEvent, SqliteWebhookLog
from stripe_sandbox.db import Database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path) -> int:
    """The permission bits of path."""
    return stat.S_IMODE(os.stat(path).st_mode)


def everything_under(folder):
    """Every folder and file under folder, itself included."""
    yield folder
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            yield os.path.join(root, name)


def fill_data_dir(data):
    """Let every process create what it keeps under DATA_DIR: the app (baskets, orders,
    cookie secret), the sidecar (webhook log), the demo launcher (the sandbox's webhook secret
    and API key) and the sandbox."""
    svc = build_services(build_settings({"DATA_DIR": str(data), "ORDER_STORE": "sqlite"}))
    svc.baskets.update("guest:x", lambda lines: {"pebblecell-power-bank": 1})
    svc.orders.count_orders("ada@example.com")
    log = SqliteWebhookLog(data / "webhook_log.sqlite3")
    log.record(LoggedEvent(datetime.now(UTC), "evt_1", "checkout.session.completed",
                           "cs_test_1", "valid", "order_created", 200, 1.0, ""))
    demo.webhook_secret(data)
    demo.sandbox_api_key(data)
    Database(data / "stripe_sandbox.sqlite3").set_setting("webhook_secret", "whsec_x")
    return svc


def test_every_file_the_processes_create_is_0600_in_a_0700_data_dir(tmp_path):
    data = tmp_path / "data"
    fill_data_dir(data)
    names = {os.path.basename(p) for p in everything_under(data)}
    assert {"app_secret", "sandbox_webhook_secret", "sandbox_api_key", "baskets.sqlite3", "baskets.sqlite3-wal",
            "orders.sqlite3", "webhook_log.sqlite3", "stripe_sandbox.sqlite3"} <= names, names
    for path in everything_under(data):
        expected = 0o700 if os.path.isdir(path) else 0o600
        assert mode(path) == expected, f"{path} is {oct(mode(path))}"


def test_a_world_readable_data_dir_from_before_is_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "app_secret").write_text("0" * 64)
    os.chmod(data / "app_secret", 0o644)
    (data / "baskets.sqlite3").touch(mode=0o644)
    os.chmod(data / "baskets.sqlite3", 0o644)
    fill_data_dir(data)
    assert mode(data) == 0o700
    assert mode(data / "app_secret") == 0o600
    assert mode(data / "baskets.sqlite3") == 0o600
    assert (data / "app_secret").read_text() == "0" * 64  # the secret itself is kept


def test_a_shared_sticky_folder_such_as_tmp_is_never_locked(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    private_dir(shared)
    private_file(shared / "state.sqlite3")
    assert mode(shared) == 0o1777
    assert mode(shared / "state.sqlite3") == 0o600


def test_create_private_text_keeps_the_first_writer(tmp_path):
    assert create_private_text(tmp_path / "secret", "first") is True
    assert create_private_text(tmp_path / "secret", "second") is False
    assert (tmp_path / "secret").read_text() == "first"
    assert mode(tmp_path / "secret") == 0o600


def test_tightening_an_open_sqlite_file_keeps_its_locks(tmp_path):
    # Closing any descriptor of a file drops this process's POSIX locks on it: were
    # private_file to open the file, another process could write while this one holds a lock.
    path = tmp_path / "inbox.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held
    private_file(path)
    other = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=0,"
         " isolation_level=None); c.execute('BEGIN IMMEDIATE')", str(path)],
        capture_output=True, text=True)
    holder.execute("ROLLBACK")
    holder.close()
    assert other.returncode != 0 and "database is locked" in other.stderr
