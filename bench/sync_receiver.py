"""The old synchronous path, kept as a second reference: verify, retrieve the session and record
the order through lib's fulfilment functions, and only then answer.

This is what the sidecar did before the inbox (issue 14), rebuilt from the same lib pieces, so
old and new are measured in the same run. Serve it like the sidecar:
gunicorn -w 2 --threads 4 'bench.sync_receiver:create_app()'.
"""
from __future__ import annotations

import os

import stripe
from flask import Flask, jsonify, request

from lib.config.settings import load_settings
from lib.stores.orders import OrderStore
from lib.webhooks.events import SettledOrders, Verdict, checked_event, handle_event
from webhook_server.routes import answer


def fulfil_before_answering(payload: bytes, header: str | None, secret: str,
                            client: stripe.StripeClient, orders: OrderStore,
                            settled: SettledOrders) -> Verdict:
    """The old path's verdict for one delivery: verified, then fulfilled, all before the
    answer; nothing is written unless the signature is valid."""
    event = checked_event(payload, header, secret)
    if isinstance(event, Verdict):
        return event
    return handle_event(event, client, orders, settled=settled)


def create_app() -> Flask:
    """A one-route Flask app that fulfils each delivery before it answers it."""
    from lib.config.stripe_client import make_stripe_client
    from lib.stores.factory import make_order_store

    settings = load_settings(os.environ)
    store = make_order_store(settings)
    client = make_stripe_client(settings)
    settled = SettledOrders()  # the old sidecar's per-process memory of recorded orders
    app = Flask(__name__)

    @app.post("/webhook")
    def webhook():
        """Verify the raw body, fulfil, answer with the sidecar's own status mapping."""
        verdict = fulfil_before_answering(request.get_data(cache=False),
                                          request.headers.get("Stripe-Signature"),
                                          settings.stripe_webhook_secret, client, store, settled)
        return answer(verdict)

    @app.get("/healthz")
    def healthz():
        """Liveness for the benchmark's start-up wait."""
        return jsonify(ok=True)

    return app
