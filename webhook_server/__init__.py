"""The webhook sidecar: a Flask app that verifies Stripe's deliveries and hands them to lib."""
from __future__ import annotations

import os

from flask import Flask, jsonify, request

from lib.fulfilment import utc_now
from lib.settings import Settings, load_settings
from lib.stores.base import OrderStore, StoreError
from lib.stores.sqlite_events import SqliteEventLog
from lib.webhooks import SettledOrders, handle_webhook, timed

MAX_BODY = 1024 * 1024  # Stripe's events are a few KB; anything near 1 MiB is not one.


def create_app(settings: Settings | None = None, store: OrderStore | None = None,
               stripe_client=None, event_log: SqliteEventLog | None = None,
               clock=utc_now) -> Flask:
    """Build the sidecar from settings (read from the environment when not given)."""
    from lib.stores.factory import make_order_store
    from lib.stripe_client import make_stripe_client

    settings = settings or load_settings(os.environ)
    store = store or make_order_store(settings)
    stripe_client = stripe_client or make_stripe_client(settings)
    event_log = event_log or SqliteEventLog(settings.data_dir / "webhook_log.sqlite3")

    settled = SettledOrders()  # per process: duplicates answered from memory
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["storefront"] = {"settings": settings, "store": store,
                                    "event_log": event_log}

    @app.post("/webhook")
    def webhook():
        """Verify the raw body, fulfil, and answer with a status Stripe understands."""
        payload = request.get_data(cache=False)  # raw bytes: the signature is over these
        verdict, latency = timed(lambda: handle_webhook(
            payload, request.headers.get("Stripe-Signature"), settings.stripe_webhook_secret,
            stripe_client, store, clock, settled))
        try:
            event_log.record(verdict, latency)
        except Exception as exc:  # noqa: BLE001 - the log must never cost Stripe an order
            app.logger.warning("could not log webhook delivery: %s", exc)
        return jsonify(received=verdict.status < 400, outcome=verdict.outcome,
                       detail=verdict.detail), verdict.status

    @app.get("/healthz")
    def healthz():
        """Which store the orders go to and whether it answers now."""
        try:
            store.ping()
            reachable, detail = True, "ok"
        except StoreError as exc:
            reachable, detail = False, str(exc)
        return jsonify(ok=reachable, store=store.backend, location=store.describe(),
                       reachable=reachable, detail=detail,
                       webhook_secret_set=bool(settings.stripe_webhook_secret)), \
            200 if reachable else 503

    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(413)
    def http_error(error):
        """Errors as short JSON, like the rest of the sidecar."""
        return jsonify(received=False, error=error.name), error.code

    return app
