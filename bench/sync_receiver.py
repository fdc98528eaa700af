"""The old synchronous path, kept as a second reference: verify, retrieve the session and record
the order through lib's fulfilment functions, and only then answer.

This is what the sidecar did before the inbox (issue 14), rebuilt from the same lib pieces, so
old and new are measured in the same run. Serve it like the sidecar:
gunicorn -w 2 --threads 4 'bench.sync_receiver:create_app()'.
"""
from __future__ import annotations

import os

from flask import Flask, jsonify, request

from lib.config.settings import load_settings
from lib.webhooks.events import SettledOrders, handle_webhook
from webhook_server import answer


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
        verdict = handle_webhook(request.get_data(cache=False),
                                 request.headers.get("Stripe-Signature"),
                                 settings.stripe_webhook_secret, client, store, settled=settled)
        return answer(verdict)

    @app.get("/healthz")
    def healthz():
        """Liveness for the benchmark's start-up wait."""
        return jsonify(ok=True)

    return app
