"""Stripe's official sample (stripe-samples/checkout-one-time-payments, server/python/server.py) against the
sandbox: the calls its routes make, written here through the pinned SDK and pinned, as the sample pins
them, to API version 2020-08-27 (the sample itself is not copied)."""
from __future__ import annotations

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, stripe_client_for

SAMPLE_VERSION = "2020-08-27"
DOMAIN = "http://localhost:4242"  # the sample's DOMAIN


@pytest.fixture
def sample(start_sandbox, webhook_receiver):
    """A sandbox delivering to a receiver, the sample's PRICE made in it, and a client pinned as the sample's."""
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    price = stripe_client_for(box).v1.prices.create(params={
        "currency": "usd", "unit_amount": 500, "product_data": {"name": "Pasha photo"}})
    client = stripe.StripeClient(box.api_key, base_addresses={"api": box.url}, stripe_version=SAMPLE_VERSION)
    return box, client, price.id


def test_the_samples_calls_run_as_it_makes_them(sample, webhook_receiver):
    box, client, price_id = sample
    # GET /config: the price's amount and currency for the page.
    price = client.v1.prices.retrieve(price_id)
    assert (price.unit_amount, price.currency) == (500, "usd")
    # POST /create-checkout-session, with the sample's params (payment_method_types as 2020-08-27 has it).
    session = client.v1.checkout.sessions.create(params={
        "success_url": DOMAIN + "/success.html?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": DOMAIN + "/canceled.html", "payment_method_types": ["card"], "mode": "payment",
        "line_items": [{"price": price_id, "quantity": 3}]})
    assert session.id.startswith("cs_test_") and session.payment_method_types == ["card"]
    complete_session(stripe_client_for(box), session.id)  # the shopper pays on the hosted page
    # GET /checkout-session?sessionId=...: the session the success page shows.
    paid = client.v1.checkout.sessions.retrieve(session.id)
    assert (paid.status, paid.payment_status, paid.amount_total) == ("complete", "paid", 1500)
    # POST /webhook: construct_event on the raw body with the signing secret.
    [hit] = webhook_receiver.wait_for(1, event_type="checkout.session.completed")
    event = stripe.Webhook.construct_event(hit.body, hit.headers["Stripe-Signature"], box.webhook_secret)
    assert event["type"] == "checkout.session.completed" and event["data"]["object"]["id"] == session.id
