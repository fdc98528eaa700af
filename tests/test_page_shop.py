"""The Shop page through AppTest: grid, search, filter, sort, details and add to basket."""

import pytest

from lib.config.settings import ROOT, build_settings
from lib.shop.money import format_money
from lib.shoppers.identity import demo_shopper
from lib.stores.factory import make_basket_store, make_sign_out_store
from lib.stores.sqlite.baskets import SqliteBasketStore
from tests.fixtures_pages import new_app, open_page
from ui.markdown_text import md_text


@pytest.fixture
def catalog(shipped_catalog):
    """The shipped catalog in INR, the currency these tests' app runs in."""
    return shipped_catalog("INR")


@pytest.fixture
def bank(catalog):
    """The power bank, the product these tests add and open."""
    return catalog.get("pebblecell-power-bank")


@pytest.fixture
def app(app_env):
    """A fresh app session on its own data directory, in sandbox mode and INR."""
    at = new_app()
    at.run()
    assert not at.exception
    return at


def card_pictures(at) -> list[str]:
    """Each card's picture as its Markdown image, ![name](url), in order."""
    return [m.value.split("\n\n")[0] for m in at.markdown if m.value.startswith("![")]


def shown(at) -> list[str]:
    """Ids of the product cards on screen, in order."""
    return [b.key.removeprefix("add_") for b in at.button if b.key.startswith("add_")]


def bar_links(at) -> list[str]:
    """The labels of the page's own links (the storefront bar's), not the sidebar's."""
    return [link.label for link in at.main.get("page_link")]


def test_grid_shows_products_with_images_titles_and_prices(catalog, app):
    ids = shown(app)
    assert ids == [p.id for p in catalog.products[:len(ids)]]
    assert len(ids) >= 8
    markdown = [m.value for m in app.markdown]
    for product in map(catalog.get, ids):
        assert any(m.endswith(f"\n\n**{md_text(product.title)}**") for m in markdown)
        assert f"#### {format_money(product.price, 'INR')}" in markdown
    assert len(card_pictures(app)) == len(ids)
    assert f"{len(catalog.products)} products" in " ".join(c.value for c in app.caption)


def test_pictures_are_static_folder_urls_the_browser_can_cache(catalog, app):
    """Each card's picture is its file's stable URL under /app/static/products/, the same on
    every run, not a copy of the file inlined into each run's messages, with the product's name
    as its text alternative."""
    first = card_pictures(app)
    assert first == [f"![{md_text(catalog.get(i).title)}](/app/static/products/"
                     f"{catalog.get(i).image})" for i in shown(app)]
    assert all((ROOT / "static" / "products" / catalog.get(i).image).is_file() for i in shown(app))
    assert app.get("image") == []  # no st.image: its own script would hold the picture back
    app.button(key=f"add_{shown(app)[0]}").click().run()
    assert card_pictures(app) == first


def test_search_narrows(app):
    app.text_input(key="search").input("wireless").run()
    assert not app.exception
    assert shown(app) == ["aurora-wireless-headphones", "tidal-mini-earbuds"]


def test_empty_search_shows_a_friendly_empty_state(app):
    app.text_input(key="search").input("zebra umbrella").run()
    assert shown(app) == []
    assert len(app.info) == 1
    assert "No products match “zebra umbrella”" in app.info[0].value
    assert "Try another word" in app.info[0].value
    assert not app.exception


def test_category_filter(catalog, app):
    app.selectbox(key="category").select("Books").run()
    books = [p.id for p in catalog.products if p.category == "Books"]
    assert shown(app) == books
    app.text_input(key="search").input("kettle").run()
    assert "in Books" in app.info[0].value


def test_sort_by_price(catalog, app):
    app.selectbox(key="sort").select("Price: low to high").run()
    prices = [catalog.get(pid).price for pid in shown(app)]
    assert prices == sorted(prices)
    assert prices[0] == min(p.price for p in catalog.products)
    app.selectbox(key="sort").select("Price: high to low").run()
    prices = [catalog.get(pid).price for pid in shown(app)]
    assert prices == sorted(prices, reverse=True)
    assert prices[0] == max(p.price for p in catalog.products)


def test_details_view_and_back(bank, app):
    app.button(key=f"details_{bank.id}").click().run()
    assert [t.value for t in app.title] == [md_text(bank.title)]
    assert [h.value for h in app.header] == [format_money(bank.price, "INR")]
    assert any(md_text(bank.description) in m.value for m in app.markdown)
    assert shown(app) == []
    app.button(key="detail_add").click().run()
    assert "Added 1 × Pebblecell" in app.toast[0].value
    app.button(key="back").click().run()
    assert [t.value for t in app.title] == ["Shop"]
    assert bank.id in shown(app)


def test_add_shows_a_toast_and_the_bar_count_changes(bank, app):
    assert "Basket (0)" in bar_links(app)
    assert "Basket" in [link.label for link in app.sidebar.get("page_link")]  # one count only
    app.button(key=f"add_{bank.id}").click().run()
    assert [t.value for t in app.toast] == [f"Added 1 × {bank.title} to your basket"]
    app.button(key=f"add_{bank.id}").click().run()
    assert "Basket (2)" in bar_links(app)
    # A fresh run of the entry script reads the same count back from the store.
    app.switch_page("streamlit_app.py").run()
    assert not app.exception
    assert "Basket (2)" in bar_links(app)


def test_adding_past_the_limit_is_refused_in_a_toast(bank, app, tmp_path):
    baskets = SqliteBasketStore(tmp_path / "baskets.sqlite3")
    guest = app.session_state["shopper"]
    baskets.update(guest.key, lambda lines: {bank.id: 10})
    app.button(key=f"add_{bank.id}").click().run()
    assert "at most 10" in app.toast[0].value
    assert baskets.load(guest.key).lines == {bank.id: 10}


def test_details_add_uses_the_quantity_entered_with_the_click(bank, app, tmp_path):
    # A browser sends the typed quantity and the click in one rerun (typing, then clicking).
    app.button(key=f"details_{bank.id}").click().run()
    app.number_input(key="detail_qty").set_value(3)
    app.button(key="detail_add").click().run()
    assert app.toast[0].value == f"Added 3 × {bank.title} to your basket"
    guest = app.session_state["shopper"]
    assert SqliteBasketStore(tmp_path / "baskets.sqlite3").load(guest.key).lines == {bank.id: 3}


def test_later_pages_of_the_grid(catalog, app):
    first = shown(app)
    app.number_input(key="shop_page").set_value(3).run()
    rest = shown(app)
    assert rest and not set(rest) & set(first)
    assert rest == [p.id for p in catalog.products][-len(rest):]
    app.text_input(key="search").input("wireless").run()  # fewer pages: back to the first
    assert shown(app) == ["aurora-wireless-headphones", "tidal-mini-earbuds"]


def test_a_catalog_of_ones_own_shows_its_pictures_from_their_files(catalog, app_env,
                                                                    monkeypatch):
    """Pictures the app does not serve (a catalog kept elsewhere, CATALOG_PATH) have no URL to
    put in Markdown: the card hands the file to st.image, which inlines it."""
    own = app_env / "own" / "catalog"
    own.mkdir(parents=True)
    (own / "products.json").write_text((ROOT / "catalog" / "products.json").read_text())
    pictures = app_env / "own" / "static" / "products"
    pictures.mkdir(parents=True)
    for product in catalog.products:
        (pictures / product.image).write_bytes(
            (ROOT / "static" / "products" / product.image).read_bytes())
    monkeypatch.setenv("CATALOG_PATH", str(own / "products.json"))
    at = new_app()
    at.run()
    assert not at.exception
    assert card_pictures(at) == []
    images = at.get("image")
    assert len(images) == len(shown(at)) and all(image.value for image in images)
    assert not any(url.startswith("/app/static/") for image in at.image for url in image.value)


def test_an_add_after_a_sign_out_elsewhere_changes_no_basket(bank, app_env):
    """A tab left open on the shop while its demo shopper signs out in another: the next "Add
    to basket" adds nothing to the signed-out shopper's basket, says why, and the page takes on
    a guest (the add's callback runs before the page's own sign-out check)."""
    ada = demo_shopper("Ada", "ada@example.com")
    at = open_page("pages/shop.py", ada)
    assert "Basket (0)" in bar_links(at)
    settings = build_settings({"DATA_DIR": str(app_env), "ORDER_STORE": "sqlite"})
    make_sign_out_store(settings).sign_out(ada.key)  # "Sign out" in another tab
    at.button(key=f"add_{bank.id}").click().run()
    assert not at.exception
    assert make_basket_store(settings).load(ada.key).count == 0
    assert [t.value for t in at.toast] == [
        "You were signed out in another tab or browser, so nothing was changed."]
    assert at.session_state["shopper"].kind == "guest"
    assert "Sign in" in bar_links(at) and "Basket (0)" in bar_links(at)


def test_a_detail_add_after_a_sign_out_elsewhere_changes_no_basket(bank, app_env):
    """The detail view's add is refused the same way; its run is a full one already."""
    ada = demo_shopper("Ada", "ada@example.com")
    at = open_page("pages/shop.py", ada)
    at.button(key=f"details_{bank.id}").click().run()
    settings = build_settings({"DATA_DIR": str(app_env), "ORDER_STORE": "sqlite"})
    make_sign_out_store(settings).sign_out(ada.key)
    at.button(key="detail_add").click().run()
    assert not at.exception
    assert make_basket_store(settings).load(ada.key).count == 0
    assert "signed out in another tab" in at.toast[0].value
    assert at.session_state["shopper"].kind == "guest"
    assert "shop_shopper_stale" not in at.session_state  # no extra rerun left for later
