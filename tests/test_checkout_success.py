"""lib/checkout/success.py: return_from_checkout against a real sandbox, each kind the success
page can show."""
from __future__ import annotations

import pytest

from harness.processes import free_port
from lib.checkout.fulfilment import is_session_id
from lib.checkout.success import CheckoutReturn, ReturnKind, return_from_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.shoppers.identity import demo_shopper, guest
from lib.stores.errors import StoreError
from lib.stores.sqlite.baskets import SqliteBasketStore
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_sandbox import session_from_basket

ADA = demo_shopper("Ada Lovelace", "ada@example.com")
EVE = demo_shopper("Eve", "eve@example.com")


@pytest.fixture(scope="module")
def settings(slow_transfer_sandbox, tmp_path_factory):
    """App settings aimed at the module's sandbox."""
    return build_settings({"STRIPE_API_BASE": slow_transfer_sandbox.url,
                           "DATA_DIR": str(tmp_path_factory.mktemp("return")),
                           "STRIPE_WEBHOOK_SECRET": slow_transfer_sandbox.webhook_secret})


@pytest.fixture(scope="module")
def client(settings):
    """The app's own Stripe client for the sandbox."""
    return make_stripe_client(settings)


@pytest.fixture
def stores(tmp_path):
    """Fresh SQLite order and basket stores."""
    return SqliteOrderStore(tmp_path / "orders.sqlite3"), SqliteBasketStore(tmp_path / "b.sqlite3")


@pytest.mark.parametrize("value, expected", [
    ("cs_test_a1B2", True), ("cs_" + "x" * 252, True), ("cs_" + "x" * 253, False),
    ("pi_test_a1B2", False), ("", False), (None, False), (["cs_test_a"], False),
])
def test_is_session_id(value, expected):
    assert is_session_id(value) is expected


@pytest.mark.parametrize("session_id", ["", "nonsense", "pi_123", "cs_" + "x" * 300])
def test_a_missing_or_malformed_id_asks_nobody(session_id, stores):
    # A client that could reach nothing proves Stripe is not asked: it would say UNCONFIRMED.
    nowhere = build_settings({"STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    orders, baskets = stores
    result = return_from_checkout(session_id, ADA, make_stripe_client(nowhere, timeout=2),
                                  orders, baskets)
    assert result == CheckoutReturn(ReturnKind.NO_SESSION_ID)


def test_paid_session_confirms_and_empties_exactly_the_paid_basket(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 2}).id
    result = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert (result.kind, result.basket_emptied) == (ReturnKind.CONFIRMED, True)
    assert result.order.status == OrderStatus.PAID and result.order.email == ADA.email
    assert orders.get_order(ADA.email, session_id) is not None
    assert baskets.load(ADA.key).lines == {}


def test_a_second_return_shows_the_order_and_leaves_the_new_basket(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1}).id
    return_from_checkout(session_id, ADA, client, orders, baskets)
    baskets.update(ADA.key, lambda lines: {"meridian-cotton-tee": 1})
    again = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert (again.kind, again.basket_emptied) == (ReturnKind.CONFIRMED, False)
    assert baskets.load(ADA.key).lines == {"meridian-cotton-tee": 1}


def test_a_basket_changed_after_checkout_keeps_its_contents(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1}).id
    baskets.update(ADA.key, lambda lines: {**lines, "meridian-cotton-tee": 1})
    result = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert (result.kind, result.basket_emptied) == (ReturnKind.CONFIRMED, False)
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1, "meridian-cotton-tee": 1}


def test_an_unpaid_session_is_not_complete_and_keeps_the_basket(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1},
                                     pay=False).id
    result = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert result == CheckoutReturn(ReturnKind.NOT_COMPLETE, detail="open")
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1}


def test_an_expired_session_says_expired(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1},
                                     pay=False).id
    client.v1.checkout.sessions.expire(session_id)
    result = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert result == CheckoutReturn(ReturnKind.NOT_COMPLETE, detail="expired")


def test_a_bank_transfer_is_awaiting_payment_and_empties_the_basket(settings, client, stores):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1},
                                     payment_method="bank_transfer").id
    result = return_from_checkout(session_id, ADA, client, orders, baskets)
    assert (result.kind, result.order.status, result.basket_emptied) == (
        ReturnKind.AWAITING, OrderStatus.AWAITING_PAYMENT, True)


@pytest.mark.parametrize("viewer", [EVE, guest()], ids=["other_shopper", "guest"])
def test_another_account_sees_nothing_and_no_basket_is_touched(settings, client, stores, viewer):
    orders, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1}).id
    baskets.update(viewer.key, lambda _: {"aurora-kettle": 3})
    result = return_from_checkout(session_id, viewer, client, orders, baskets)
    assert result == CheckoutReturn(ReturnKind.OTHER_ACCOUNT)
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1}
    assert baskets.load(viewer.key).lines == {"aurora-kettle": 3}
    # The order is still recorded: the payment is real whoever opened the link.
    assert orders.get_order(ADA.email, session_id) is not None


def test_a_session_stripe_does_not_have_is_unknown(client, stores):
    orders, baskets = stores
    result = return_from_checkout("cs_test_forged000000000000", ADA, client, orders, baskets)
    assert result == CheckoutReturn(ReturnKind.UNKNOWN_SESSION)


def test_an_unreachable_stripe_is_unconfirmed_with_the_reason(stores):
    nowhere = build_settings({"STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    orders, baskets = stores
    baskets.update(ADA.key, lambda _: {"aurora-kettle": 1})
    result = return_from_checkout("cs_test_anything", ADA,
                                  make_stripe_client(nowhere, timeout=2), orders, baskets)
    assert result.kind == ReturnKind.UNCONFIRMED and result.detail
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1}


class FailingOrderStore(SqliteOrderStore):
    """An order store whose writes fail, as a store outage would."""

    def create_order(self, order):
        """Fail like an unreachable store."""
        raise StoreError("store is down")


def test_a_failing_order_store_is_not_saved_and_keeps_the_basket(settings, client, stores,
                                                                  tmp_path):
    _, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1}).id
    failing = FailingOrderStore(tmp_path / "failing.sqlite3")
    result = return_from_checkout(session_id, ADA, client, failing, baskets)
    assert result == CheckoutReturn(ReturnKind.NOT_SAVED)
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1}


class ForgetfulOrderStore(SqliteOrderStore):
    """A store that says the order exists but cannot read it back (a lagging replica)."""

    def create_order(self, order):
        """Claim the order was already there."""
        return False

    def get_order(self, email, session_id):
        """Find nothing."""
        return None


def test_an_order_the_store_cannot_read_back_is_not_saved(settings, client, stores, tmp_path):
    _, baskets = stores
    session_id = session_from_basket(settings, client, baskets, ADA, {"aurora-kettle": 1}).id
    result = return_from_checkout(session_id, ADA, client,
                                  ForgetfulOrderStore(tmp_path / "f.sqlite3"), baskets)
    assert result == CheckoutReturn(ReturnKind.NOT_SAVED)
    assert baskets.load(ADA.key).lines == {"aurora-kettle": 1}
