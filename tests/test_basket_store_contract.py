"""One contract for every basket store adapter: versions, atomic changes, no lost updates, and
the guest merge as one operation that loses nothing when it fails."""
import sqlite3
import threading

import pytest

from lib.shop.basket import Basket, BasketError
from lib.stores.errors import StoreError
from lib.stores.sqlite.baskets import SqliteBasketStore

ALICE = "user:alice@example.com"
BOB = "user:bob@example.com"
GUEST = "guest:tab-one"


def add(lines: dict, extra: dict) -> dict:
    """A plain combine for merges: quantities of the same product add up."""
    return {pid: lines.get(pid, 0) + extra.get(pid, 0) for pid in {*lines, *extra}}


def test_an_unknown_shopper_has_an_empty_basket(basket_store):
    assert basket_store.load(ALICE) == Basket({}, 0)


def test_baskets_persist_across_store_instances(open_basket_store):
    first = open_basket_store()
    first.update(ALICE, lambda lines: {**lines, "a": 2})
    second = open_basket_store()
    assert second.load(ALICE) == Basket({"a": 2}, 1)
    second.update(ALICE, lambda lines: {**lines, "b": 1})
    assert first.load(ALICE) == Basket({"a": 2, "b": 1}, 2)


def test_each_change_bumps_the_version(basket_store):
    versions = [basket_store.update(ALICE, lambda lines, n=n: {**lines, "a": n}).version
                for n in (1, 2, 3)]
    assert versions == [1, 2, 3]
    assert basket_store.load(ALICE) == Basket({"a": 3}, 3)


def test_the_change_sees_the_current_lines(basket_store):
    basket_store.update(ALICE, lambda lines: {"a": 1})
    seen = []
    basket_store.update(ALICE, lambda lines: seen.append(dict(lines)) or lines)
    assert seen == [{"a": 1}]


def test_shoppers_are_kept_apart(basket_store):
    basket_store.update(ALICE, lambda lines: {"a": 1})
    basket_store.update(BOB, lambda lines: {"b": 2})
    assert basket_store.load(ALICE).lines == {"a": 1}
    assert basket_store.load(BOB).lines == {"b": 2}


def test_a_failing_change_rolls_back(basket_store):
    basket_store.update(ALICE, lambda lines: {"a": 1})

    def refuse(lines):
        raise BasketError("no")

    with pytest.raises(BasketError):
        basket_store.update(ALICE, refuse)
    assert basket_store.load(ALICE) == Basket({"a": 1}, 1)
    # The store is still usable afterwards (no transaction left open).
    assert basket_store.update(ALICE, lambda lines: {**lines, "b": 1}) == Basket({"a": 1, "b": 1},
                                                                                 2)


def test_concurrent_updates_from_threads_lose_nothing(open_basket_store):
    stores = [open_basket_store(), open_basket_store()]
    threads_count, per_thread = 8, 25
    start = threading.Barrier(threads_count)
    errors = []

    def bump(lines):
        return {**lines, "n": lines.get("n", 0) + 1}

    def work(index):
        try:
            start.wait()
            for _ in range(per_thread):
                stores[index % 2].update(ALICE, bump)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = threads_count * per_thread
    assert stores[0].load(ALICE) == Basket({"n": total}, total)


def test_merge_moves_the_guest_lines_and_empties_the_guest(basket_store):
    basket_store.update(GUEST, lambda lines: {"a": 2, "b": 1})
    basket_store.update(ALICE, lambda lines: {"a": 1})
    merged = basket_store.merge(GUEST, ALICE, add)
    assert merged == Basket({"a": 3, "b": 1}, 2)
    assert basket_store.load(ALICE) == merged
    after = basket_store.load(GUEST)
    assert after.lines == {} and after.version == 2
    # A second merge finds nothing to move and changes nothing.
    assert basket_store.merge(GUEST, ALICE, add) == merged
    assert basket_store.load(GUEST) == after


def test_merge_gives_combine_the_target_lines_then_the_source_lines(basket_store):
    basket_store.update(GUEST, lambda lines: {"g": 1})
    basket_store.update(ALICE, lambda lines: {"u": 1})
    seen = []
    basket_store.merge(GUEST, ALICE, lambda mine, theirs: seen.append((mine, theirs)) or mine)
    assert seen == [({"u": 1}, {"g": 1})]


def test_merge_of_an_unknown_guest_changes_nothing(basket_store):
    basket_store.update(ALICE, lambda lines: {"a": 1})
    assert basket_store.merge("guest:nobody", ALICE, add) == Basket({"a": 1}, 1)
    assert basket_store.load("guest:nobody") == Basket({}, 0)
    assert basket_store.merge("guest:nobody", BOB, add) == Basket({}, 0)


def test_merge_into_an_empty_basket_and_onto_itself(basket_store):
    basket_store.update(GUEST, lambda lines: {"a": 2})
    assert basket_store.merge(GUEST, GUEST, add) == Basket({"a": 2}, 1)
    assert basket_store.merge(GUEST, BOB, add) == Basket({"a": 2}, 1)
    assert basket_store.load(GUEST).lines == {}


def test_a_merge_that_fails_midway_loses_nothing(basket_store):
    """The old merge took the guest basket in one transaction and wrote the shopper's in a
    second: a failure between them lost the guest's lines. Now both stay as they were."""
    basket_store.update(GUEST, lambda lines: {"a": 2})
    basket_store.update(ALICE, lambda lines: {"b": 1})

    def fail_after_reading(mine, theirs):
        raise BasketError("the catalog could not be read")

    with pytest.raises(BasketError):
        basket_store.merge(GUEST, ALICE, fail_after_reading)
    assert basket_store.load(GUEST) == Basket({"a": 2}, 1)
    assert basket_store.load(ALICE) == Basket({"b": 1}, 1)
    # And the merge, tried again, still moves everything.
    assert basket_store.merge(GUEST, ALICE, add).lines == {"a": 2, "b": 1}


def test_concurrent_merges_of_one_guest_move_its_lines_once(open_basket_store):
    """Two tabs signing in at once: the guest's lines arrive once, not twice."""
    stores = [open_basket_store() for _ in range(4)]
    stores[0].update(GUEST, lambda lines: {"a": 3})
    start = threading.Barrier(len(stores))
    errors = []

    def work(store):
        try:
            start.wait()
            store.merge(GUEST, ALICE, add)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert stores[0].load(ALICE).lines == {"a": 3}
    assert stores[0].load(GUEST).lines == {}


def test_clear(basket_store):
    basket_store.update(ALICE, lambda lines: {"a": 2})
    assert basket_store.clear(ALICE) == Basket({}, 2)
    assert basket_store.load(ALICE) == Basket({}, 2)


def test_describe(basket_store):
    assert basket_store.backend in basket_store.describe().lower()


# SQLite only: the file, and a failure of the second write inside the merge itself.

def test_sqlite_a_failed_write_of_the_shopper_basket_keeps_the_guest_basket(tmp_path):
    """The store fails after the guest row was emptied, before the shopper's row is written:
    the transaction rolls back, so the guest's lines are still there."""
    path = tmp_path / "baskets.sqlite3"
    store = SqliteBasketStore(path)
    store.update(GUEST, lambda lines: {"a": 2})
    store.update(ALICE, lambda lines: {"b": 1})
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TRIGGER refuse_alice BEFORE UPDATE ON baskets "
                     f"WHEN NEW.shopper = '{ALICE}' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.Error, match="disk full"):
        store.merge(GUEST, ALICE, add)
    assert store.load(GUEST) == Basket({"a": 2}, 1)
    assert store.load(ALICE) == Basket({"b": 1}, 1)
    store.close()


def test_sqlite_describe_names_the_file(tmp_path):
    store = SqliteBasketStore(tmp_path / "baskets.sqlite3")
    assert str(tmp_path / "baskets.sqlite3") in store.describe()
    store.close()


def test_sqlite_an_unopenable_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open the basket store"):
        SqliteBasketStore(blocker / "baskets.sqlite3")
