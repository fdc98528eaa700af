"""The Demo data page through AppTest, against a real sandbox and sidecar: create, then remove,
for the presenter alone."""
import pytest

from lib.presenter.demo_data import GENERATED_DOMAIN
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_pages import open_page


@pytest.fixture
def stack_env(stack_factory, app_env, monkeypatch):
    """A sandbox delivering to a sidecar, and the app's environment pointed at both."""
    stack = stack_factory({"ORDER_STORE": "sqlite", "STORE_CURRENCY": "INR"})
    for name, value in stack.env.items():
        monkeypatch.setenv(name, value)
    return stack


def as_presenter(at, key: str):
    """Type the sandbox's key into the page's presenter field."""
    at.text_input(key="presenter_key").input(key).run()
    assert not at.exception, at.exception
    return at


def test_create_fills_the_dashboard_then_remove_empties_it(stack_env):
    at = as_presenter(open_page("pages/demo_data.py"), stack_env.settings.api_key)
    assert at.metric[0].value == "0"
    assert at.button(key="demo_remove").disabled
    at.number_input(key="demo_count").set_value(6)
    at.button(key="demo_create").click().run()
    assert not at.exception
    assert at.success[0].value == "6 purchases paid and recorded as orders."
    store = SqliteOrderStore(stack_env.settings.data_dir / "orders.sqlite3")
    try:
        stored = store.stored_orders()
        assert len(stored) == 6
        assert all(doc.document["email"].endswith("@" + GENERATED_DOMAIN) for doc in stored)
        assert all(doc.document["demo"] is True for doc in stored)
    finally:
        store.close()
    board = open_page("pages/sales_dashboard.py")
    assert {m.label: m.value for m in board.metric}["Paid orders"] == "6"
    assert len(board.get("vega_lite_chart")) == 5
    assert any("6 of these orders are generated demo data" in c.value for c in board.caption)
    assert at.metric[0].value == "6" and not at.button(key="demo_remove").disabled
    at.button(key="demo_remove").click().run()
    assert at.success[0].value.startswith("Removed 6 generated orders")
    assert open_page("pages/demo_data.py").metric[0].value == "0"


def test_not_offered_with_real_keys(app_env, monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_" + "x" * 24)
    at = open_page("pages/demo_data.py")
    # A presenter page: with real keys it is closed before it could offer anything.
    assert "Presenter pages are closed with real Stripe keys" in at.info[0].value
    assert not at.button


def test_a_guest_can_neither_make_nor_remove_demo_data(stack_env):
    at = open_page("pages/demo_data.py")
    assert at.metric[0].value == "0"
    assert not at.get("button") and not at.number_input
    at.text_input(key="presenter_key").input("sk_test_" + "guessed" * 4).run()
    assert "not the sandbox's key" in at.error[0].value
    assert not at.get("button")
    assert not as_presenter(at, stack_env.settings.api_key).button(key="demo_create").disabled
