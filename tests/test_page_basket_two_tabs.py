"""Two tabs on one basket (two AppTest sessions): an edit from a stale tab is added to what the
other tab stored, with a notice and the fresh basket shown, never a silent overwrite."""
from lib.shoppers.identity import demo_shopper
from lib.stores.sqlite.baskets import SqliteBasketStore
from tests.fixtures_pages import open_page

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
BANK, MUG = "pebblecell-power-bank", "saffron-glaze-mug-set"


def test_a_stale_tabs_plus_adds_to_the_other_tabs_quantity(app_env):
    baskets = SqliteBasketStore(app_env / "baskets.sqlite3")
    baskets.update(ADA.key, lambda lines: {BANK: 2, MUG: 1})
    stale = open_page("pages/basket.py", ADA)
    fresh = open_page("pages/basket.py", ADA)
    fresh.number_input(key=f"qty_{BANK}").set_value(4).run()
    assert baskets.load(ADA.key).lines[BANK] == 4

    stale.number_input(key=f"qty_{BANK}").increment().run()  # the stale tab still shows 2
    assert not stale.exception
    assert baskets.load(ADA.key).lines == {BANK: 5, MUG: 1}  # 4 + 1, not 2 + 1 over the 4
    assert "changed in another tab" in stale.info[0].value
    assert stale.number_input(key=f"qty_{BANK}").value == 5  # the fresh basket is shown


def test_an_item_removed_in_another_tab_is_not_brought_back(app_env):
    baskets = SqliteBasketStore(app_env / "baskets.sqlite3")
    baskets.update(ADA.key, lambda lines: {BANK: 2, MUG: 1})
    stale = open_page("pages/basket.py", ADA)
    fresh = open_page("pages/basket.py", ADA)
    fresh.button(key=f"remove_{BANK}").click().run()
    stale.number_input(key=f"qty_{BANK}").increment().run()
    assert baskets.load(ADA.key).lines == {MUG: 1}
    assert "removed from your basket in another tab" in stale.error[0].value.replace("\\", "")
    assert stale.number_input(key=f"qty_{MUG}").value == 1


def test_in_one_tab_a_typed_quantity_is_simply_saved(app_env):
    baskets = SqliteBasketStore(app_env / "baskets.sqlite3")
    baskets.update(ADA.key, lambda lines: {BANK: 2})
    tab = open_page("pages/basket.py", ADA)
    tab.number_input(key=f"qty_{BANK}").set_value(7).run()
    assert baskets.load(ADA.key).lines == {BANK: 7} and not tab.info
