"""One contract for every key store adapter: a key is made once and every process agrees."""
import threading

import pytest

from harness.ports import free_port
from lib.stores.errors import StoreError, StoreUnavailable
from lib.stores.keys import COOKIE_KEY
from lib.stores.sqlite.keys import FileKeyStore


def test_a_key_is_made_once_and_kept(open_key_store):
    first = open_key_store().key("app_secret")
    assert len(first) == 64 and all(chr(b) in "0123456789abcdef" for b in first)
    assert open_key_store().key("app_secret") == first


def test_names_have_their_own_keys(key_store):
    assert key_store.key("app_secret") != key_store.key("another")


def test_processes_racing_for_the_first_key_keep_one(open_key_store):
    stores = [open_key_store() for _ in range(6)]
    start = threading.Barrier(len(stores))
    seen = []

    def work(store):
        start.wait()
        seen.append(store.key("app_secret"))

    threads = [threading.Thread(target=work, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == len(stores) and len(set(seen)) == 1


def test_describe(key_store):
    assert key_store.backend in key_store.describe().lower()


@pytest.mark.parametrize("name", ["../app_secret", "a/b", "", "App_Secret", "__x__"])
def test_a_name_is_never_a_path(key_store, name):
    with pytest.raises(ValueError, match="not a key name"):
        key_store.key(name)


def test_file_stores_in_different_folders_have_different_keys(tmp_path):
    one, other = FileKeyStore(tmp_path / "a"), FileKeyStore(tmp_path / "b")
    assert one.key("app_secret") != other.key("app_secret")


def test_file_the_cookie_key_keeps_its_file_so_existing_cookies_stay_valid(tmp_path):
    """The key signed cookies before it was behind a port, in DATA_DIR/app_secret."""
    (tmp_path / "app_secret").write_text("f" * 64 + "\n")
    assert FileKeyStore(tmp_path).key(COOKIE_KEY) == b"f" * 64


def test_file_an_unwritable_folder_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot keep the key.*APP_SECRET"):
        FileKeyStore(blocker).key("app_secret")


def firestore_connection(emulator: str, project: str = "", timeout: float = 5.0):
    """A connection to the emulator in a project of its own (or the one named)."""
    from lib.stores.firestore.connection import FirestoreConnection
    from tests.fixtures_firestore import unique_project

    return FirestoreConnection(project=project or unique_project(), emulator_host=emulator,
                               timeout=timeout)


@pytest.mark.firestore
def test_firestore_projects_have_different_keys(firestore_emulator):
    from lib.stores.firestore.keys import FirestoreKeyStore

    one = FirestoreKeyStore(firestore_connection(firestore_emulator), owns_connection=True)
    other = FirestoreKeyStore(firestore_connection(firestore_emulator), owns_connection=True)
    try:
        assert one.key("app_secret") != other.key("app_secret")
    finally:
        one.close()
        other.close()


@pytest.mark.firestore
def test_firestore_the_key_is_the_app_secrets_document_and_a_broken_one_is_named(
        firestore_emulator):
    from lib.stores.firestore.keys import FirestoreKeyStore
    from tests.fixtures_firestore import raw_client, unique_project

    project = unique_project()
    store = FirestoreKeyStore(firestore_connection(firestore_emulator, project),
                                 owns_connection=True)
    documents = raw_client(project, firestore_emulator).collection("app_secrets")
    try:
        value = store.key("app_secret")
        stored = documents.document("app_secret").get().to_dict()
        assert stored["value"].encode() == value and stored["created_at"] is not None
        documents.document("broken").set({"value": 12})
        with pytest.raises(StoreError, match="app_secrets/broken.*no text field 'value'"):
            store.key("broken")
    finally:
        store.close()


@pytest.mark.firestore
def test_firestore_at_a_closed_port_is_unavailable():
    from lib.stores.firestore.keys import FirestoreKeyStore

    store = FirestoreKeyStore(firestore_connection(f"127.0.0.1:{free_port()}", timeout=1),
                                 owns_connection=True)
    try:
        with pytest.raises(StoreUnavailable, match="did not answer.*keep the key app_secret"):
            store.key("app_secret")
    finally:
        store.close()
