"""One contract for every secret store adapter: a secret is made once and every process agrees."""
import threading

import pytest

from lib.stores.app_secrets import COOKIE_SIGNING
from lib.stores.base import StoreError
from lib.stores.file_secrets import FileSecretStore


def test_a_secret_is_made_once_and_kept(open_secret_store):
    first = open_secret_store().secret("app_secret")
    assert len(first) == 64 and all(chr(b) in "0123456789abcdef" for b in first)
    assert open_secret_store().secret("app_secret") == first


def test_names_have_their_own_secrets(secret_store):
    assert secret_store.secret("app_secret") != secret_store.secret("another")


def test_processes_racing_for_the_first_secret_keep_one(open_secret_store):
    stores = [open_secret_store() for _ in range(6)]
    start = threading.Barrier(len(stores))
    seen = []

    def work(store):
        start.wait()
        seen.append(store.secret("app_secret"))

    threads = [threading.Thread(target=work, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == len(stores) and len(set(seen)) == 1


def test_describe(secret_store):
    assert secret_store.backend in secret_store.describe().lower()


def test_file_stores_in_different_folders_have_different_secrets(tmp_path):
    one, other = FileSecretStore(tmp_path / "a"), FileSecretStore(tmp_path / "b")
    assert one.secret("app_secret") != other.secret("app_secret")


def test_file_the_cookie_key_keeps_its_file_so_existing_cookies_stay_valid(tmp_path):
    """The key signed cookies before it was behind a port, in DATA_DIR/app_secret."""
    (tmp_path / "app_secret").write_text("f" * 64 + "\n")
    assert FileSecretStore(tmp_path).secret(COOKIE_SIGNING) == b"f" * 64


def test_file_a_name_is_never_a_path(tmp_path):
    with pytest.raises(ValueError, match="not a secret name"):
        FileSecretStore(tmp_path / "secrets").secret("../app_secret")


def test_file_an_unwritable_folder_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot keep the secret.*APP_SECRET"):
        FileSecretStore(blocker).secret("app_secret")
