"""Faults: the store down for a while, and the sidecar killed mid-burst; Stripe's retries
(the sandbox's, with fast test timings) must bring every paid order in exactly once."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from wsgiref.simple_server import WSGIRequestHandler, make_server

from harness.waiting import wait_until
from lib.checkout.session import start_checkout
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper
from lib.stores.errors import StoreUnavailable
from lib.stores.factory import make_order_store, make_webhook_log
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from tests.fixtures_sandbox import complete_session
from webhook_server import create_app, flush_log, shutdown

SHOPPER = demo_shopper("Ada Lovelace", "ada@example.com")


class OutageStore(SqliteOrderStore):
    """A real SQLite store that is unreachable while `down` is set, as a failed disk or
    database host would be: every read and write raises."""

    def __init__(self, path):
        super().__init__(path)
        self.down = threading.Event()
        self.refused = 0

    def _check(self):
        if self.down.is_set():
            self.refused += 1
            raise StoreUnavailable("order store is down (test outage)")

    def create_order(self, order):
        self._check()
        return super().create_order(order)

    def get_order(self, email, session_id):
        self._check()
        return super().get_order(email, session_id)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def pay(client, catalog, settings, versions, shopper=SHOPPER, threads=4) -> list[str]:
    """Create and pay one session per basket version; their ids."""
    def one(version):
        session = start_checkout(client, Basket({"aurora-kettle": 1 + version % 3}, version),
                                 catalog, shopper, settings)
        complete_session(client, session.id)
        return session.id

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, versions))


def test_order_store_outage_is_ridden_out_by_the_inbox_workers(start_sandbox, tmp_path):
    """With the order store down every delivery is still inboxed and answered 200; the workers
    keep the events retrying with the store's error and, once it is back, record each once."""
    server = make_server("127.0.0.1", 0, lambda e, s: app(e, s), handler_class=QuietHandler)
    server.daemon_threads = True
    sandbox = start_sandbox(SANDBOX_WEBHOOK_URL=f"http://127.0.0.1:{server.server_port}/webhook",
                            SANDBOX_MAX_ATTEMPTS="8")
    settings = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path),
                               "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret})
    store = OutageStore(tmp_path / "orders.sqlite3")
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    client = make_stripe_client(settings)
    app = create_app(settings, store=store, stripe_client=client, event_log=log)
    inbox = app.extensions["storefront"].inbox
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        catalog = load_catalog(settings.catalog_path, settings.store_currency)
        store.down.set()
        ids = pay(client, catalog, settings, range(10))
        wait_until(lambda: {e.session_id for e in inbox.recent(50) if e.state == "retrying"}
                   >= set(ids), timeout=60)
        assert store.count_orders(SHOPPER.email) == 0
        assert all("order store is down" in e.last_error for e in inbox.recent(50))
        store.down.clear()
        wait_until(lambda: all(store.get_order(SHOPPER.email, sid) for sid in ids), timeout=40)
        assert store.count_orders(SHOPPER.email) == 10
        assert flush_log(app)
        assert {e.outcome for e in log.recent(500)} == {"queued"}  # one answer per event: 200
        assert store.refused >= 10
    finally:
        shutdown(app)
        server.shutdown()


def test_sidecar_killed_mid_burst_of_100_payments(stack_factory, tmp_path):
    # Events the killed sidecar had claimed come round again when their lease ends: a short
    # lease, so the restarted one takes them over within the test's patience.
    stack = stack_factory({"INBOX_LEASE_SECONDS": "5"}, SANDBOX_MAX_ATTEMPTS="10")
    settings = stack.settings
    client = make_stripe_client(settings)
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    store = make_order_store(settings)
    paid: list[str] = []
    done = threading.Event()

    def burst():
        for chunk in range(10):
            paid.extend(pay(client, catalog, settings, range(chunk * 10, chunk * 10 + 10)))
        done.set()

    payer = threading.Thread(target=burst)
    payer.start()
    wait_until(lambda: len(paid) >= 30 and store.count_orders(SHOPPER.email) >= 5, timeout=30)
    stack.sidecar.kill()  # SIGKILL, mid-burst: some deliveries are in flight
    killed_at = len(paid)
    time.sleep(1.0)
    stack.restart_sidecar(tmp_path)
    payer.join(60)
    assert done.is_set() and len(set(paid)) == 100 and killed_at < 100
    wait_until(lambda: store.count_orders(SHOPPER.email) >= 100, timeout=60, interval=0.2)
    assert store.count_orders(SHOPPER.email) == 100
    assert all(store.get_order(SHOPPER.email, sid) for sid in paid)
    log = make_webhook_log(settings)
    created = [e.session_id for e in log.recent(2000) if e.outcome == "order_created"]
    assert len(created) == len(set(created)) <= 100  # nobody recorded an order twice
    store.close()
