"""Demo data through real processes: backdated sandbox purchases become orders, then go again."""
import random
from datetime import UTC, datetime, timedelta

import pytest

from lib.config.settings import Settings
from lib.config.stripe_client import make_stripe_client
from lib.orders.model import OrderStatus
from lib.orders.stored import is_demo
from lib.presenter.demo_data import (
    DemoDataError,
    count_generated,
    create_purchases,
    generated_emails,
    remove_generated,
)
from lib.shop.catalog import load_catalog
from lib.stores.factory import make_order_store, make_webhook_log
from lib.stores.sqlite.orders import SqliteOrderStore
from tests.fixtures_firestore import store_env
from tests.sample_orders import make_order


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("firestore",
                                                          marks=pytest.mark.firestore)])
def test_purchases_spread_over_past_weeks_through_the_webhook(kind, request, stack_factory):
    stack = stack_factory(store_env(kind, request))
    settings = stack.settings
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    orders = make_order_store(settings)
    real = make_order(email="ada@example.com", currency=settings.store_currency,
                      status=OrderStatus.PAID)
    orders.create_order(real)
    seen = []
    try:
        started = datetime.now(UTC)
        run = create_purchases(settings, make_stripe_client(settings), catalog, orders, 8,
                               weeks=3, rng=random.Random(4),
                               progress=lambda done, total: seen.append((done, total)))
        assert (run.paid, run.recorded, run.complete) == (8, 8, True)
        assert seen[-1] == (8, 8) and len(seen) == 8
        assert count_generated(orders) == 8
        stored = [doc.document for doc in orders.stored_orders(limit=20)]
        generated = [doc for doc in stored if is_demo(doc)]
        assert len(generated) == 8 and all(doc["status"] == OrderStatus.PAID for doc in generated)
        times = [datetime.fromisoformat(doc["timestamp"]) for doc in generated]
        assert all(started - timedelta(weeks=3, minutes=1) <= t <= started - timedelta(minutes=59)
                   for t in times)
        assert len({t.date() for t in times}) > 2  # spread, not all on one day
        assert orders.sales_summary(settings.store_currency).status(OrderStatus.PAID).orders == 9
        # Recorded by the sidecar from the delivered webhook, as a shopper's order is.
        log = make_webhook_log(settings).recent(50)
        assert sum(e.outcome == "queued" for e in log) == 8
        assert remove_generated(orders) == 8
        assert count_generated(orders) == 0
        assert orders.get_order(real.email, real.session_id) == real
        assert orders.sales_summary(settings.store_currency).status(OrderStatus.PAID).orders == 1
    finally:
        orders.close()


def test_refused_outside_the_sandbox_and_out_of_range(tmp_path):
    real_keys = Settings(stripe_secret_key="sk_test_" + "x" * 24, data_dir=tmp_path)
    with pytest.raises(DemoDataError, match="only in the local sandbox"):
        create_purchases(real_keys, None, None, None, 5)
    with pytest.raises(DemoDataError, match="1-200 purchases"):
        create_purchases(Settings(data_dir=tmp_path), None, None, None, 0)


def test_removal_keeps_a_real_shoppers_order_at_the_generated_domain(tmp_path):
    """A shopper who signs in at the generated domain and pays keeps the order: only the
    generator's mark makes an order demo data."""
    orders = SqliteOrderStore(tmp_path / "orders.sqlite3")
    try:
        email = generated_emails()[0]
        theirs = make_order(email=email, session_id="cs_test_real", status=OrderStatus.PAID)
        demo = make_order(email=email, session_id="cs_test_demo", status=OrderStatus.PAID, demo=True)
        orders.create_order(theirs)
        orders.create_order(demo)
        assert count_generated(orders) == 1
        assert orders.sales_summary(theirs.currency).generated_orders == 1
        assert remove_generated(orders) == 1
        assert orders.get_order(email, "cs_test_real") == theirs
        assert orders.get_order(email, "cs_test_demo") is None
    finally:
        orders.close()
