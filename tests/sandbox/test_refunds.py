"""Refunds through the unmodified SDK: full and partial by payment intent, Stripe's errors, and the events sent."""
import json
import typing

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for
from tests.sdk_types import undeclared_fields


@pytest.fixture
def delivering(start_sandbox, webhook_receiver):
    """A sandbox delivering its events to a receiver, and an SDK client for it."""
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    return stripe_client_for(box), webhook_receiver


def paid(client) -> stripe.checkout.Session:
    """A session for 38.99 USD, paid by card."""
    return complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)


def test_partial_then_full_refund_with_stripes_events(delivering):
    client, receiver = delivering
    session = paid(client)
    part = client.v1.refunds.create(params={"payment_intent": session.payment_intent, "amount": 1000,
                                            "reason": "requested_by_customer"})
    assert isinstance(part, stripe.Refund) and part.id.startswith("re_")
    assert (part.amount, part.status, part.currency, part.payment_intent) == (
        1000, "succeeded", "usd", session.payment_intent)
    assert set(part.to_dict()) <= set(stripe.Refund.__annotations__)
    rest = client.v1.refunds.create(params={"payment_intent": session.payment_intent})
    assert rest.amount == session.amount_total - 1000 and rest.charge == part.charge
    created = receiver.wait_for(2, event_type="refund.created")
    charges = [json.loads(r.body) for r in receiver.wait_for(2, event_type="charge.refunded")]
    # Deliveries run in parallel, as Stripe's do, so events may arrive in any order: each one
    # carries its refund's id and the charge as it stood after that refund.
    assert sorted(json.loads(r.body)["data"]["object"]["id"] for r in created) == sorted([part.id, rest.id])
    charges.sort(key=lambda e: e["data"]["object"]["amount_refunded"])
    assert len(charges) == 2
    first, last = (e["data"]["object"] for e in charges)
    assert (first["amount_refunded"], first["refunded"]) == (1000, False)
    assert (last["amount_refunded"], last["refunded"]) == (session.amount_total, True)
    assert last["payment_intent"] == session.payment_intent
    event = stripe.Event.construct_from(charges[1], "sk_test_x")
    assert isinstance(event.data.object, stripe.Charge)
    assert set(charges[1]["data"]["object"]) <= set(stripe.Charge.__annotations__)
    listed = client.v1.refunds.list(params={"payment_intent": session.payment_intent})
    assert [r.id for r in listed.data] == [rest.id, part.id]
    assert client.v1.refunds.retrieve(part.id).amount == 1000


def test_refund_errors_are_stripes(sandbox_client):
    session = paid(sandbox_client)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.refunds.create(params={"payment_intent": session.payment_intent,
                                                 "amount": session.amount_total + 1})
    assert (caught.value.param, caught.value.code) == ("amount", "amount_too_large")
    sandbox_client.v1.refunds.create(params={"payment_intent": session.payment_intent})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.refunds.create(params={"payment_intent": session.payment_intent})
    assert caught.value.code == "charge_already_refunded"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.refunds.create(params={"payment_intent": "pi_nope"})
    assert caught.value.param == "payment_intent"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.refunds.create(params={"payment_intent": session.payment_intent, "reason": "bored"})
    assert caught.value.param == "reason"
    unpaid = complete_session(sandbox_client, sandbox_client.v1.checkout.sessions.create(
        params=session_params()).id, payment_method="bank_transfer", email="x+async_fail@example.com")
    with pytest.raises(stripe.InvalidRequestError):
        sandbox_client.v1.refunds.create(params={"payment_intent": unpaid.payment_intent})


def test_the_refund_events_are_the_pinned_versions_own():
    declared = set(typing.get_args(stripe.Event.__annotations__["type"]))
    assert {"refund.created", "charge.refunded"} <= declared


def test_a_card_refund_goes_back_onto_the_card_as_a_reversal(sandbox_client):
    refund = sandbox_client.v1.refunds.create(params={"payment_intent": paid(sandbox_client).payment_intent})
    for shown in (refund, sandbox_client.v1.refunds.retrieve(refund.id)):
        assert isinstance(shown.destination_details, stripe.Refund.DestinationDetails)
        assert (shown.destination_details.type, shown.destination_details.card.type) == ("card", "reversal")
        assert shown.to_dict()["destination_details"] == {"card": {"type": "reversal"}, "type": "card"}
        assert undeclared_fields(shown.to_dict(), stripe.Refund) == []
