"""A DATA_DIR of any name stays out of git: the folder this code creates ignores itself."""
import subprocess

from lib.config.private_files import private_dir
from lib.config.settings import build_settings
from lib.services import build_services
from lib.stores.sqlite.orders import SqliteOrderStore


def untracked(repo) -> str:
    """What `git status` would offer to add in repo."""
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo,
                          capture_output=True, text=True, check=True).stdout


def test_a_data_dir_of_any_name_is_ignored_when_the_app_creates_it(tmp_path):
    repo = tmp_path / "shop"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    data = repo / "workshop-data" / "day-one"
    svc = build_services(build_settings({"DATA_DIR": str(data), "ORDER_STORE": "sqlite"}))
    try:
        svc.orders.count_orders("ada@example.com")
        svc.baskets.update("guest:x", lambda lines: {"pebblecell-power-bank": 1})
    finally:
        for store in (svc.orders, svc.baskets, svc.webhook_log, svc.sign_outs, svc.inbox):
            store.close()
    assert [p for p in data.iterdir() if p.suffix == ".sqlite3"]  # written, yet not offered
    assert untracked(repo) == ""


def test_a_store_that_creates_the_folder_first_marks_it_too(tmp_path):
    store = SqliteOrderStore(tmp_path / "sidecar-data" / "orders.sqlite3")
    store.close()
    assert (tmp_path / "sidecar-data" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_an_existing_folder_is_left_as_it_is(tmp_path):
    private_dir(tmp_path)
    assert not (tmp_path / ".gitignore").exists()
