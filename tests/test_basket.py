"""Basket rules: ids and quantities only, 1..10 each, prices from the catalog."""
import pytest

from lib.shop.basket import (
    MAX_QUANTITY,
    Basket,
    BasketError,
    QuantityEdit,
    add_item,
    check_quantity,
    merge_lines,
    priced_lines,
    remove_item,
    set_quantity,
    subtotal,
)

BANK = "pebblecell-power-bank"      # USD 19.99
ROPE = "comet-skipping-rope"        # USD 9.50


@pytest.fixture(scope="module")
def catalog(shipped_catalog):
    """The shipped catalog in USD."""
    return shipped_catalog("USD")


def test_add_new_and_existing_lines(catalog):
    lines = add_item({}, catalog, BANK)
    assert lines == {BANK: 1}
    lines = add_item(lines, catalog, BANK, 2)
    lines = add_item(lines, catalog, ROPE, 4)
    assert lines == {BANK: 3, ROPE: 4}


def test_add_does_not_mutate_its_input(catalog):
    before = {BANK: 1}
    add_item(before, catalog, BANK)
    assert before == {BANK: 1}


def test_add_is_capped_at_ten_in_all(catalog):
    assert add_item({}, catalog, BANK, 10) == {BANK: 10}
    assert add_item({BANK: 7}, catalog, BANK, 3) == {BANK: 10}
    with pytest.raises(BasketError, match=r"at most 10 of Pebblecell .* \(you have 8\)"):
        add_item({BANK: 8}, catalog, BANK, 3)
    with pytest.raises(BasketError, match="at most 10"):
        add_item({BANK: 10}, catalog, BANK, 1)


@pytest.mark.parametrize("quantity, message", [
    (0, "between 1 and 10; 0 is not"),
    (11, "between 1 and 10; 11 is not"),
    (-1, "between 1 and 10; -1 is not"),
    ("3", "whole number, not '3'"),
    (True, "whole number, not True"),
    (2.0, "whole number, not 2.0"),
    (None, "whole number, not None"),
])
def test_bad_quantities_are_refused_clearly(catalog, quantity, message):
    with pytest.raises(BasketError, match=message):
        check_quantity(quantity)
    with pytest.raises(BasketError, match=message):
        add_item({}, catalog, BANK, quantity)
    with pytest.raises(BasketError, match=message):
        set_quantity({BANK: 1}, catalog, BANK, quantity)


def test_good_quantities_pass():
    assert [check_quantity(q) for q in (1, 5, MAX_QUANTITY)] == [1, 5, 10]


@pytest.mark.parametrize("product_id", ["no-such-product", "", None, 42])
def test_unknown_product_ids_are_refused(catalog, product_id):
    with pytest.raises(BasketError, match="There is no product .* in this shop"):
        add_item({}, catalog, product_id)
    with pytest.raises(BasketError, match="There is no product"):
        set_quantity({}, catalog, product_id, 1)


def test_set_quantity_replaces(catalog):
    assert set_quantity({BANK: 3, ROPE: 1}, catalog, BANK, 7) == {BANK: 7, ROPE: 1}
    assert set_quantity({BANK: 3}, catalog, BANK, 10) == {BANK: 10}


def test_set_quantity_of_a_product_not_in_the_basket(catalog):
    with pytest.raises(BasketError, match="not in your basket"):
        set_quantity({ROPE: 1}, catalog, BANK, 2)


def test_remove(catalog):
    assert remove_item({BANK: 3, ROPE: 1}, BANK) == {ROPE: 1}
    assert remove_item({ROPE: 1}, BANK) == {ROPE: 1}
    assert remove_item({}, BANK) == {}


def test_merge_adds_caps_and_drops_unknown_ids(catalog):
    merged = merge_lines({BANK: 8, ROPE: 1}, {BANK: 5, "gone-product": 2,
                                             "the-lantern-cartographer": 2}, catalog)
    assert merged == {BANK: 10, ROPE: 1, "the-lantern-cartographer": 2}
    assert merge_lines({}, {}, catalog) == {}
    assert merge_lines({ROPE: 2}, {}, catalog) == {ROPE: 2}


def test_subtotal_is_integer_arithmetic_on_catalog_prices(catalog):
    basket = Basket({BANK: 3, ROPE: 2}, 4)
    assert subtotal(basket, catalog) == 3 * 1999 + 2 * 950 == 7897
    assert isinstance(subtotal(basket, catalog), int)
    assert subtotal(Basket({}), catalog) == 0
    assert basket.count == 5


def test_priced_lines_leave_out_products_no_longer_sold(catalog):
    basket = Basket({"retired-product": 2, BANK: 1})
    lines = priced_lines(basket, catalog)
    assert [(line.product.id, line.quantity, line.total) for line in lines] == [(BANK, 1, 1999)]
    assert subtotal(basket, catalog) == 1999


def test_subtotal_of_a_full_basket_of_everything(catalog):
    basket = Basket({p.id: MAX_QUANTITY for p in catalog.products})
    assert subtotal(basket, catalog) == 10 * sum(p.price for p in catalog.products)


def test_adjust_quantity_adds_to_the_stored_quantity_within_limits(shipped_catalog):
    from lib.shop.basket import MAX_QUANTITY, adjust_quantity

    catalog = shipped_catalog("INR")
    bank = "pebblecell-power-bank"
    assert adjust_quantity({bank: 4}, catalog, bank, +1) == {bank: 5}
    assert adjust_quantity({bank: 4}, catalog, bank, -9) == {bank: 1}
    assert adjust_quantity({bank: 9}, catalog, bank, +5) == {bank: MAX_QUANTITY}
    with pytest.raises(BasketError, match="removed from your basket in another tab"):
        adjust_quantity({}, catalog, bank, +1)


def test_a_quantity_edit_from_the_page_that_showed_the_stored_quantity_says_nothing(catalog):
    edit = QuantityEdit(BANK, shown=2, wanted=3)
    assert edit.apply({BANK: 2}, catalog) == {BANK: 3}
    assert edit.conflict() == ""


def test_a_quantity_edit_from_a_stale_tab_adds_its_change_and_says_so(catalog):
    edit = QuantityEdit(BANK, shown=2, wanted=3)
    assert edit.apply({BANK: 5, ROPE: 1}, catalog) == {BANK: 6, ROPE: 1}
    assert edit.conflict() == ("Your basket changed in another tab (5 there, 2 here): your "
                               "change of +1 was added to it. This is the basket now.")


def test_a_quantity_edit_says_what_the_store_held_when_it_last_ran(catalog):
    edit = QuantityEdit(BANK, shown=4, wanted=1)
    edit.apply({BANK: 6}, catalog)  # a store that retries its change runs it again
    assert edit.apply({BANK: 4}, catalog) == {BANK: 1}
    assert edit.conflict() == ""


def test_a_quantity_edit_of_a_line_removed_elsewhere_is_refused(catalog):
    edit = QuantityEdit(BANK, shown=2, wanted=3)
    with pytest.raises(BasketError, match="removed from your basket in another tab"):
        edit.apply({ROPE: 1}, catalog)
    assert edit.conflict() == ""
