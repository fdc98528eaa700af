"""One contract for every sign-out store adapter: generations start at 0, a sign-out bumps
one shopper's, every process sees it, and racing sign-outs lose no bump."""
import threading

from lib.identity import cookie_shopper, demo_sign_in, make_token

SECRET = b"0" * 64
ADA = demo_sign_in("Ada", "ada@example.com")


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
