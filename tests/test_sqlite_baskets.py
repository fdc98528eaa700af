"""The SQLite basket store: persistence, versions, atomic changes, no lost updates."""
import threading

import pytest

from lib.basket import Basket, BasketError
from lib.stores.base import StoreError
from lib.stores.sqlite_baskets import SqliteBasketStore

ALICE = "user:alice@example.com"
BOB = "user:bob@example.com"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "baskets.sqlite3"


@pytest.fixture
def store(path):
    return SqliteBasketStore(path)


def test_an_unknown_shopper_has_an_empty_basket(store):
    assert store.load(ALICE) == Basket({}, 0)


def test_baskets_persist_across_store_instances_on_one_file(path):
    first = SqliteBasketStore(path)
    first.update(ALICE, lambda lines: {**lines, "a": 2})
    second = SqliteBasketStore(path)
    assert second.load(ALICE) == Basket({"a": 2}, 1)
    second.update(ALICE, lambda lines: {**lines, "b": 1})
    assert first.load(ALICE) == Basket({"a": 2, "b": 1}, 2)


def test_each_change_bumps_the_version(store):
    versions = [store.update(ALICE, lambda lines: {**lines, "a": n}).version
                for n in (1, 2, 3)]
    assert versions == [1, 2, 3]
    assert store.load(ALICE) == Basket({"a": 3}, 3)


def test_the_change_sees_the_current_lines(store):
    store.update(ALICE, lambda lines: {"a": 1})
    seen = []
    store.update(ALICE, lambda lines: seen.append(dict(lines)) or lines)
    assert seen == [{"a": 1}]


def test_shoppers_are_kept_apart(store):
    store.update(ALICE, lambda lines: {"a": 1})
    store.update(BOB, lambda lines: {"b": 2})
    assert store.load(ALICE).lines == {"a": 1}
    assert store.load(BOB).lines == {"b": 2}


def test_a_failing_change_rolls_back(store):
    store.update(ALICE, lambda lines: {"a": 1})

    def refuse(lines):
        raise BasketError("no")

    with pytest.raises(BasketError):
        store.update(ALICE, refuse)
    assert store.load(ALICE) == Basket({"a": 1}, 1)
    # The store is still usable afterwards (no transaction left open).
    assert store.update(ALICE, lambda lines: {**lines, "b": 1}) == Basket({"a": 1, "b": 1}, 2)


def test_concurrent_updates_from_threads_lose_nothing(path):
    stores = [SqliteBasketStore(path), SqliteBasketStore(path)]
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


def test_take_empties_and_returns_what_was_there(store):
    store.update(ALICE, lambda lines: {"a": 2, "b": 1})
    taken = store.take(ALICE)
    assert taken.lines == {"a": 2, "b": 1}
    after = store.load(ALICE)
    assert after.lines == {} and after.version == 2
    assert store.take(ALICE).lines == {}


def test_take_of_an_unknown_shopper(store):
    assert store.take("guest:nobody").lines == {}


def test_clear(store):
    store.update(ALICE, lambda lines: {"a": 2})
    assert store.clear(ALICE) == Basket({}, 2)
    assert store.load(ALICE) == Basket({}, 2)


def test_an_unopenable_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open the basket store"):
        SqliteBasketStore(blocker / "baskets.sqlite3")
