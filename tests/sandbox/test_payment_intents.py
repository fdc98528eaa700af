"""PaymentIntents and PaymentMethods through the unmodified SDK: create and confirm with Stripe's test methods,
declines, the intents behind Checkout Sessions, refunds by payment intent, and the events sent."""
import json

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for

SHIPPING = {"name": "Jenny Rosen", "address": {"line1": "510 Townsend St", "postal_code": "94103",
                                                "city": "San Francisco", "state": "CA", "country": "US"}}


@pytest.fixture
def delivering(start_sandbox, webhook_receiver):
    """A sandbox delivering its events to a receiver, and an SDK client for it."""
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    return stripe_client_for(box), webhook_receiver


def events_by_type(receiver, count: int) -> dict[str, dict]:
    """The first count events the receiver got (in whatever order they arrived, as with Stripe), by type."""
    return {event["type"]: event for event in (json.loads(r.body) for r in receiver.wait_for(count))}


def test_confirming_with_pm_card_visa_succeeds_with_stripes_events(delivering):
    client, receiver = delivering
    intent = client.v1.payment_intents.create(params={
        "amount": 2000, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "payment_method_types": ["card"], "description": "(created by Stripe CLI)", "shipping": SHIPPING,
        "metadata": {"order": "42"}})
    assert isinstance(intent, stripe.PaymentIntent) and intent.id.startswith("pi_")
    assert (intent.status, intent.amount_received, intent.currency) == ("succeeded", 2000, "usd")
    assert intent.payment_method.startswith("pm_") and intent.latest_charge.startswith("ch_")
    assert intent.shipping.address.city == "San Francisco" and intent.metadata.to_dict() == {"order": "42"}
    assert set(intent.to_dict()) <= set(stripe.PaymentIntent.__annotations__)
    events = events_by_type(receiver, 3)
    assert set(events) == {"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}
    assert events["payment_intent.created"]["created"] <= events["payment_intent.succeeded"]["created"]
    charge = events["charge.succeeded"]["data"]["object"]
    assert (charge["id"], charge["amount"], charge["paid"]) == (intent.latest_charge, 2000, True)
    assert charge["payment_method_details"]["card"]["last4"] == "4242"
    assert client.v1.payment_intents.retrieve(intent.id).to_dict() == intent.to_dict()


def test_a_declined_card_is_a_card_error_and_the_intent_waits_for_another_method(delivering):
    client, receiver = delivering
    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(params={"amount": 100, "currency": "usd", "confirm": True,
                                                 "payment_method": "pm_card_visa_chargeDeclined"})
    assert (declined.value.code, declined.value.error.decline_code) == ("card_declined", "generic_decline")
    events = events_by_type(receiver, 3)
    assert set(events) == {"payment_intent.created", "charge.failed", "payment_intent.payment_failed"}
    failed = events["payment_intent.payment_failed"]["data"]["object"]
    assert failed["status"] == "requires_payment_method" and failed["last_payment_error"]["code"] == "card_declined"
    retried = client.v1.payment_intents.confirm(failed["id"], params={"payment_method": "pm_card_mastercard"})
    assert retried.status == "succeeded"


def test_create_then_confirm_and_stripes_refusals(sandbox_client):
    intent = sandbox_client.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})
    assert (intent.status, intent.payment_method) == ("requires_payment_method", None)
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    with pytest.raises(stripe.InvalidRequestError, match="missing a payment method"):
        sandbox_client.v1.payment_intents.confirm(intent.id)
    method = sandbox_client.v1.payment_methods.create(params={
        "type": "card", "card": {"token": "tok_amex"}, "billing_details": {"email": "ada@example.com"}})
    assert (method.card.brand, method.card.last4, method.billing_details.email) == ("amex", "0005",
                                                                                    "ada@example.com")
    assert set(method.to_dict()) <= set(stripe.PaymentMethod.__annotations__)
    assert sandbox_client.v1.payment_methods.retrieve(method.id).id == method.id
    paid = sandbox_client.v1.payment_intents.confirm(intent.id, params={"payment_method": method.id})
    assert (paid.status, paid.payment_method) == ("succeeded", method.id)
    with pytest.raises(stripe.InvalidRequestError, match="status is succeeded"):
        sandbox_client.v1.payment_intents.confirm(intent.id)
    with pytest.raises(stripe.InvalidRequestError, match="unsafe"):
        sandbox_client.v1.payment_methods.create(params={"type": "card", "card": {"number": "4242424242424242"}})
    with pytest.raises(stripe.InvalidRequestError, match="does not implement"):
        sandbox_client.v1.payment_intents.create(params={"amount": 500, "currency": "usd", "customer": "cus_1"})
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        sandbox_client.v1.payment_intents.retrieve("pi_unknown")
    assert unknown.value.http_status == 404


def test_refunding_a_payment_intent_sends_charge_refunded(delivering):
    client, receiver = delivering
    intent = client.v1.payment_intents.create(params={"amount": 100, "currency": "usd", "confirm": True,
                                                      "payment_method": "pm_card_visa"})
    refund = client.v1.refunds.create(params={"payment_intent": intent.id})
    assert (refund.amount, refund.charge) == (100, intent.latest_charge)
    [hit] = receiver.wait_for(1, event_type="charge.refunded")
    charge = hit.json()["data"]["object"]
    assert (charge["refunded"], charge["amount_refunded"], charge["payment_intent"]) == (True, 100, intent.id)
    unpaid = client.v1.payment_intents.create(params={"amount": 100, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError, match="successful charge"):
        client.v1.refunds.create(params={"payment_intent": unpaid.id})


def test_the_intent_behind_a_checkout_session_is_retrieved_and_listed(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        payment_intent_data={"shipping": SHIPPING, "description": "Mugs", "metadata": {"k": "v"}}))
    paid = complete_session(sandbox_client, session.id)
    intent = sandbox_client.v1.payment_intents.retrieve(paid.payment_intent)
    assert (intent.status, intent.amount, intent.amount_received) == ("succeeded", paid.amount_total,
                                                                      paid.amount_total)
    assert (intent.description, intent.shipping.name, intent.metadata.to_dict()) == ("Mugs", "Jenny Rosen",
                                                                                     {"k": "v"})
    listed = sandbox_client.v1.payment_intents.list(params={"limit": 100})
    assert paid.payment_intent in [i.id for i in listed.data]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sandbox_client.v1.checkout.sessions.create(params=session_params(
            payment_intent_data={"capture_method": "manual"}))
    assert refused.value.param == "payment_intent_data[capture_method]"
