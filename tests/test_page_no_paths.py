"""No page a visitor can open shows an absolute file path of this machine: the store is named by
its kind and a short id, and a store's failure is told without the file it is in."""
import re
import secrets

import pytest

from lib.checkout.session import start_checkout
from lib.config.settings import load_settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.errors import StoreError
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page, page_text
from tests.hosted_page import pay_in_the_page

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
# Every page a guest opens in sandbox mode, presenter pages included.
PAGES = ["pages/shop.py", "pages/basket.py", "pages/orders.py", "pages/account.py",
         "pages/setup.py", "pages/webhook_inspector.py", "pages/sales_dashboard.py",
         "pages/explorer.py", "pages/demo_data.py", "pages/timeline.py", "pages/success.py"]
# A POSIX path of two parts or more, as the stores' own messages would name their files.
ABSOLUTE = re.compile(r"(?<![\w:/.])/(?:[\w.-]+/)+[\w.-]+")


def paths_in(text: str, data_dir) -> list[str]:
    """The absolute paths in text (anything under data_dir counted however it is spelled),
    Markdown's backslash escapes taken away first."""
    text = text.replace("\\", "")
    found = [p for p in ABSOLUTE.findall(text) if not p.startswith(("/v1/", "/app/static/"))]
    return found + ([str(data_dir)] if str(data_dir) in text else [])


@pytest.fixture
def bought(app_env, sandbox, monkeypatch):
    """A purchase paid in the hosted page and recorded by the success page's confirmation."""
    monkeypatch.setenv("STRIPE_API_BASE", sandbox.url)
    settings = load_settings({"DATA_DIR": str(app_env), "STRIPE_API_BASE": sandbox.url,
                              "STORE_CURRENCY": "INR"})
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    # A basket version of its own: the sandbox is shared by the module's tests.
    basket = Basket({"aurora-kettle": 1}, secrets.randbelow(2**31))
    session = start_checkout(make_stripe_client(settings), basket, catalog, ADA, settings)
    assert pay_in_the_page(session.url).status_code == 303
    at = open_page("pages/success.py", ADA, query_params={"session_id": session.id})
    store = SqliteOrderStore(app_env / "orders.sqlite3")
    try:
        assert store.get_order(ADA.email, session.id).status == OrderStatus.PAID, page_text(at)
    finally:
        store.close()
    return session.id


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_file_path(bought, app_env, page):
    at = open_page(page, ADA)
    assert paths_in(page_text(at), app_env) == []


def test_the_store_is_named_by_kind_and_short_id(bought, app_env):
    for page in ("pages/explorer.py", "pages/sales_dashboard.py"):
        assert re.search(r"SQLite store [0-9a-f]{16}\b", page_text(open_page(page))), page
    rows = open_page("pages/timeline.py").dataframe[0].value.to_dict("records")
    assert re.search(r"in SQLite store [0-9a-f]{16}$", rows[5]["detail"]), rows[5]


@pytest.mark.parametrize("page", ["pages/orders.py", "pages/explorer.py", "pages/sales_dashboard.py",
                                  "pages/timeline.py", "pages/demo_data.py"])
def test_a_failing_store_is_told_without_its_file(app_env, monkeypatch, page):
    path = app_env / "orders.sqlite3"

    def fail(self, *args, **kwargs):
        raise StoreError(f"The order database {path} failed: disk I/O error")

    for method in ("page_orders", "stored_orders", "sales_summary", "count_orders"):
        monkeypatch.setattr(SqliteOrderStore, method, fail)
    text = page_text(open_page(page, ADA))
    assert "disk I/O error" in text.replace("\\", "")
    assert paths_in(text, app_env) == []
