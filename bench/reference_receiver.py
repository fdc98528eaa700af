"""The reference receiver: what Stripe's sample server does with a webhook, and nothing more.

Verify with `stripe.Webhook.construct_event` (which builds the StripeObject tree) and answer 200.
Serve it like the sidecar: gunicorn -w 2 --threads 4 'bench.reference_receiver:create_app()'.
"""
from __future__ import annotations

import os

import stripe
from flask import Flask, jsonify, request


def create_app() -> Flask:
    """A one-route Flask app verifying with STRIPE_WEBHOOK_SECRET from the environment."""
    secret = os.environ["STRIPE_WEBHOOK_SECRET"]
    app = Flask(__name__)

    @app.post("/webhook")
    def webhook():
        """As in stripe-samples/checkout-one-time-payments server.py, without the print."""
        try:
            event = stripe.Webhook.construct_event(
                payload=request.data, sig_header=request.headers.get("Stripe-Signature"),
                secret=secret)
        except (ValueError, stripe.SignatureVerificationError) as exc:
            return jsonify(error=str(exc)), 400
        if event["type"] == "checkout.session.completed":
            pass  # the sample prints "Payment succeeded!" here
        return jsonify(status="success")

    @app.get("/healthz")
    def healthz():
        """Liveness for the benchmark's start-up wait."""
        return jsonify(ok=True)

    return app
