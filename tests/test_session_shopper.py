"""ui/session_shopper.py: a guest's basket merged into the shopper's on sign-in."""
import pytest

from lib.shop.basket import MAX_QUANTITY
from lib.stores.sqlite.baskets import SqliteBasketStore
from ui.session_shopper import merge_guest_basket

BANK = "pebblecell-power-bank"
ROPE = "comet-skipping-rope"


@pytest.fixture(scope="module")
def catalog(shipped_catalog):
    """The shipped catalog in USD."""
    return shipped_catalog("USD")


def test_merge_guest_basket_moves_the_guest_lines_into_the_shoppers(catalog, tmp_path):
    baskets = SqliteBasketStore(tmp_path / "baskets.sqlite3")
    baskets.update("guest:g", lambda _: {BANK: 8, ROPE: 1})
    baskets.update("user:ada@example.com", lambda _: {BANK: 5})
    merge_guest_basket(baskets, catalog, "guest:g", "user:ada@example.com")
    assert baskets.load("user:ada@example.com").lines == {BANK: MAX_QUANTITY, ROPE: 1}
    assert baskets.load("guest:g").lines == {}
    before = baskets.load("user:ada@example.com")
    merge_guest_basket(baskets, catalog, "guest:g", "user:ada@example.com")
    assert baskets.load("user:ada@example.com") == before  # an empty guest basket changes nothing
