"""Catalog: the shipped file loads in every currency; bad rows name file, product and field."""
import copy
import json

import pytest

from lib.config.settings import ROOT
from lib.shop.catalog import SORTS, CatalogError, load_catalog
from tests.fixtures_catalog import SHIPPED_CATALOG as SHIPPED

GOOD_ROW = {
    "id": "test-teapot",
    "title": "Test Teapot",
    "description": "A teapot that exists only in tests.",
    "category": "Home",
    "rating": 4.5,
    "prices": {"USD": "19.99", "JPY": "2980"},
    "image": "test-teapot.svg",
}
OTHER_ROW = {**GOOD_ROW, "id": "test-cup", "title": "Test Cup"}


def write_catalog(tmp_path, rows, name="products.json"):
    """A catalog file holding these rows."""
    path = tmp_path / name
    path.write_text(json.dumps({"products": rows}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def usd(shipped_catalog):
    """The shipped catalog in USD."""
    return shipped_catalog("USD")


@pytest.mark.parametrize("currency", ["INR", "USD", "GBP", "EUR", "JPY"])
def test_shipped_catalog_loads_in_every_currency(currency):
    catalog = load_catalog(SHIPPED, currency)
    assert len(catalog.products) >= 24
    assert len(catalog.categories) >= 4
    assert catalog.currency == currency
    assert all(isinstance(p.price, int) and p.price > 0 for p in catalog.products)
    assert len({p.id for p in catalog.products}) == len(catalog.products)


def test_every_shipped_image_exists_under_static_products(usd):
    assert usd.images_dir == ROOT / "static" / "products"
    for product in usd.products:
        path = usd.image_path(product)
        assert path.is_file(), f"{product.id}: no image at {path}"
        assert path.stat().st_size > 0


def test_prices_are_exact_minor_units(usd):
    assert usd.get("pebblecell-power-bank").price == 1999
    assert load_catalog(SHIPPED, "JPY").get("pebblecell-power-bank").price == 2980
    assert load_catalog(SHIPPED, "INR").get("monsoon-table-lamp").price == 234950


def test_a_good_row_loads(tmp_path):
    catalog = load_catalog(write_catalog(tmp_path, [GOOD_ROW, OTHER_ROW]), "USD")
    teapot = catalog.get("test-teapot")
    assert teapot.price == 1999 and teapot.currency == "USD" and teapot.rating == 4.5
    assert catalog.get("no-such-thing") is None
    assert catalog.images_dir == tmp_path.parent / "static" / "products"


def _without(field):
    row = copy.deepcopy(GOOD_ROW)
    del row[field]
    return row


def _with(field, value):
    row = copy.deepcopy(GOOD_ROW)
    row[field] = value
    return row


def _price(value):
    row = copy.deepcopy(GOOD_ROW)
    row["prices"]["USD"] = value
    return row


@pytest.mark.parametrize("row, field, why", [
    (_without("title"), "title", "is missing"),
    (_without("prices"), "prices", "is missing"),
    (_without("image"), "image", "is missing"),
    (_with("title", ""), "title", "non-empty string"),
    (_with("title", "   "), "title", "non-empty string"),
    (_with("description", 7), "description", "non-empty string"),
    (_with("category", None), "category", "non-empty string"),
    (_with("rating", 5.5), "rating", "from 0 to 5"),
    (_with("rating", -1), "rating", "from 0 to 5"),
    (_with("rating", "4.5"), "rating", "from 0 to 5"),
    (_with("rating", True), "rating", "from 0 to 5"),
    (_with("prices", "19.99"), "prices.USD", "is missing"),
    (_price(19.99), "prices.USD", "decimal string"),
    (_price(1999), "prices.USD", "decimal string"),
    (_price("19.995"), "prices.USD", "more than 2 decimal places"),
    (_price("0.00"), "prices.USD", "must be positive"),
    (_price("-5.00"), "prices.USD", "must be positive"),
    (_price("cheap"), "prices.USD", "not a decimal number"),
    (_price("NaN"), "prices.USD", "not a finite amount"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_bad_field_names_file_product_and_field(tmp_path, row, field, why):
    path = write_catalog(tmp_path, [OTHER_ROW, row])
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, "USD")
    message = str(caught.value)
    assert str(path) in message
    assert "'test-teapot'" in message
    assert f"field '{field}'" in message
    assert why in message


def test_missing_price_for_the_store_currency(tmp_path):
    path = write_catalog(tmp_path, [GOOD_ROW])
    with pytest.raises(CatalogError, match=r"'test-teapot': field 'prices.GBP' is missing"):
        load_catalog(path, "GBP")


def test_product_without_id_is_named_by_position(tmp_path):
    path = write_catalog(tmp_path, [OTHER_ROW, _without("id")])
    with pytest.raises(CatalogError, match=r"product #2: field 'id' is missing"):
        load_catalog(path, "USD")


def test_duplicate_id(tmp_path):
    path = write_catalog(tmp_path, [GOOD_ROW, OTHER_ROW, {**GOOD_ROW, "title": "Another"}])
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, "USD")
    assert str(path) in str(caught.value)
    assert "'test-teapot': field 'id' is used by more than one product" in str(caught.value)


def test_row_that_is_not_an_object(tmp_path):
    path = write_catalog(tmp_path, [GOOD_ROW, "teapot"])
    with pytest.raises(CatalogError, match=r"product #2 is not an object"):
        load_catalog(path, "USD")


def test_non_json_file(tmp_path):
    path = tmp_path / "products.json"
    path.write_text("{'products': [", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON") as caught:
        load_catalog(path, "USD")
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content", ['{"products": []}', '{"items": []}', "[]"])
def test_file_without_products(tmp_path, content):
    path = tmp_path / "products.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match='needs a non-empty "products" list') as caught:
        load_catalog(path, "USD")
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.json"
    with pytest.raises(CatalogError, match="file not found") as caught:
        load_catalog(path, "USD")
    assert str(path) in str(caught.value)


def test_search_matches_every_word_in_title_description_or_category(usd):
    assert [p.id for p in usd.search("wireless")] == [
        "aurora-wireless-headphones", "tidal-mini-earbuds"]
    assert [p.id for p in usd.search("AURORA kettle")] == ["aurora-kettle"]
    assert {p.category for p in usd.search("books")} >= {"Books"}
    assert usd.search("zzz-no-such-thing") == []
    assert len(usd.search("")) == len(usd.products)
    assert len(usd.search("   ")) == len(usd.products)


def test_filter_by_category(usd):
    books = usd.search(category="Books")
    assert books and all(p.category == "Books" for p in books)
    assert len(usd.search(category="All")) == len(usd.products)
    assert len(usd.search(category=None)) == len(usd.products)
    assert usd.search(category="Nonexistent") == []
    assert [p.id for p in usd.search("aurora", category="Electronics")] == [
        "aurora-wireless-headphones"]


def test_sorts(usd):
    assert list(SORTS)[0] == "Featured"
    assert usd.search(sort="Featured") == list(usd.products)
    low = [p.price for p in usd.search(sort="Price: low to high")]
    assert low == sorted(low) and low[0] == 950
    high = [p.price for p in usd.search(sort="Price: high to low")]
    assert high == sorted(high, reverse=True) and high[0] == 7450
    ratings = [p.rating for p in usd.search(sort="Rating")]
    assert ratings == sorted(ratings, reverse=True)
    assert usd.search(sort="no such sort") == list(usd.products)


def test_categories_in_first_seen_order(usd):
    assert usd.categories == ["Electronics", "Home & Kitchen", "Books", "Fashion",
                              "Sports & Outdoors"]
