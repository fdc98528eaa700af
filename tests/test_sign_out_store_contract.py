"""One contract for every sign-out store adapter: generations start at 0, a sign-out bumps
one shopper's, every process sees it, and racing sign-outs lose no bump."""
import threading

import pytest

from harness.ports import free_port
from lib.shoppers.identity import cookie_shopper, demo_shopper, make_token
from lib.stores.errors import StoreUnavailable

SECRET = b"0" * 64
ADA = demo_shopper("Ada", "ada@example.com")


def test_a_generation_starts_at_zero_and_each_sign_out_bumps_it(open_sign_out_store):
    store = open_sign_out_store()
    assert store.generation(ADA.key) == 0
    assert store.sign_out(ADA.key) == 1 and store.sign_out(ADA.key) == 2
    assert store.generation(ADA.key) == 2 and store.generation("user:bob@example.com") == 0
    assert open_sign_out_store().generation(ADA.key) == 2  # another process sees it


def test_racing_sign_outs_lose_no_bump(open_sign_out_store):
    stores = [open_sign_out_store() for _ in range(6)]
    start = threading.Barrier(len(stores))

    def work(store):
        start.wait()
        for _ in range(5):
            store.sign_out(ADA.key)

    threads = [threading.Thread(target=work, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].generation(ADA.key) == 30


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(open_sign_out_store):
    store = open_sign_out_store()
    copied = make_token(ADA, SECRET, store.generation(ADA.key))
    assert cookie_shopper(copied, SECRET, store) == ADA
    store.sign_out(ADA.key)
    assert cookie_shopper(copied, SECRET, store) is None
    fresh = make_token(ADA, SECRET, store.generation(ADA.key))  # signing in again
    assert cookie_shopper(fresh, SECRET, store) == ADA


@pytest.fixture
def sign_out_store_pair(open_sign_out_store):
    """Two instances on one fresh backing store, as two processes."""
    return open_sign_out_store(), open_sign_out_store()


def test_keys_with_path_characters_are_their_own_shoppers(sign_out_store_pair):
    store, other = sign_out_store_pair
    odd = "user:a/b@example.com"
    assert store.sign_out(odd) == 1
    assert other.generation(odd) == 1
    assert other.generation("user:a") == 0 and other.generation("user:a%2Fb@example.com") == 0


@pytest.mark.firestore
def test_firestore_a_sign_out_is_the_shoppers_document(firestore_emulator):
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.sign_outs import FirestoreSignOutStore
    from tests.fixtures_firestore import raw_client, unique_project

    project = unique_project()
    store = FirestoreSignOutStore(FirestoreConnection(
        project=project, emulator_host=firestore_emulator), owns_connection=True)
    try:
        store.sign_out(ADA.key)
    finally:
        store.close()
    documents = raw_client(project, firestore_emulator).collection("sign_outs").stream()
    assert [(d.id, d.to_dict()) for d in documents] == [
        (ADA.key, {"shopper_key": ADA.key, "generation": 1})]


@pytest.mark.firestore
def test_firestore_at_a_closed_port_is_unavailable():
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.sign_outs import FirestoreSignOutStore

    store = FirestoreSignOutStore(FirestoreConnection(
        project="demo-closed", emulator_host=f"127.0.0.1:{free_port()}", timeout=1),
        owns_connection=True)
    try:
        for call in (lambda: store.generation(ADA.key), lambda: store.sign_out(ADA.key)):
            with pytest.raises(StoreUnavailable, match="did not answer"):
                call()
    finally:
        store.close()
