"""One contract for every secret store adapter: a secret is made once and every process agrees."""
import threading

import pytest

from harness.ports import free_port
from lib.stores.app_secrets import COOKIE_SIGNING
from lib.stores.orders import StoreError, StoreUnavailable
from lib.stores.sqlite.secrets import FileSecretStore


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


@pytest.mark.parametrize("name", ["../app_secret", "a/b", "", "App_Secret", "__x__"])
def test_a_name_is_never_a_path(secret_store, name):
    with pytest.raises(ValueError, match="not a secret name"):
        secret_store.secret(name)


def test_file_stores_in_different_folders_have_different_secrets(tmp_path):
    one, other = FileSecretStore(tmp_path / "a"), FileSecretStore(tmp_path / "b")
    assert one.secret("app_secret") != other.secret("app_secret")


def test_file_the_cookie_key_keeps_its_file_so_existing_cookies_stay_valid(tmp_path):
    """The key signed cookies before it was behind a port, in DATA_DIR/app_secret."""
    (tmp_path / "app_secret").write_text("f" * 64 + "\n")
    assert FileSecretStore(tmp_path).secret(COOKIE_SIGNING) == b"f" * 64


def test_file_an_unwritable_folder_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot keep the secret.*APP_SECRET"):
        FileSecretStore(blocker).secret("app_secret")


def firestore_connection(emulator: str, project: str = "", timeout: float = 5.0):
    """A connection to the emulator in a project of its own (or the one named)."""
    from lib.stores.firestore.connection import FirestoreConnection
    from tests.fixtures_firestore import unique_project

    return FirestoreConnection(project=project or unique_project(), emulator_host=emulator,
                               timeout=timeout)


@pytest.mark.firestore
def test_firestore_projects_have_different_secrets(firestore_emulator):
    from lib.stores.firestore.secrets import FirestoreSecretStore

    one = FirestoreSecretStore(firestore_connection(firestore_emulator), owns_connection=True)
    other = FirestoreSecretStore(firestore_connection(firestore_emulator), owns_connection=True)
    try:
        assert one.secret("app_secret") != other.secret("app_secret")
    finally:
        one.close()
        other.close()


@pytest.mark.firestore
def test_firestore_the_secret_is_the_app_secrets_document_and_a_broken_one_is_named(
        firestore_emulator):
    from lib.stores.firestore.secrets import FirestoreSecretStore
    from tests.fixtures_firestore import raw_client, unique_project

    project = unique_project()
    store = FirestoreSecretStore(firestore_connection(firestore_emulator, project),
                                 owns_connection=True)
    documents = raw_client(project, firestore_emulator).collection("app_secrets")
    try:
        value = store.secret("app_secret")
        stored = documents.document("app_secret").get().to_dict()
        assert stored["value"].encode() == value and stored["created_at"] is not None
        documents.document("broken").set({"value": 12})
        with pytest.raises(StoreError, match="app_secrets/broken.*no text field 'value'"):
            store.secret("broken")
    finally:
        store.close()


@pytest.mark.firestore
def test_firestore_at_a_closed_port_is_unavailable():
    from lib.stores.firestore.secrets import FirestoreSecretStore

    store = FirestoreSecretStore(firestore_connection(f"127.0.0.1:{free_port()}", timeout=1),
                                 owns_connection=True)
    try:
        with pytest.raises(StoreUnavailable, match="did not answer.*keep the secret app_secret"):
            store.secret("app_secret")
    finally:
        store.close()
