"""Idempotency-Key: the same key and params replay the first result; the same key with other params is refused."""
import uuid

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params


def test_same_key_same_params_returns_the_same_session(sandbox_client):
    key = str(uuid.uuid4())
    first = sandbox_client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": key})
    again = sandbox_client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": key})
    assert first.id == again.id
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"


def test_same_key_different_params_is_an_idempotency_error(sandbox_client):
    key = str(uuid.uuid4())
    sandbox_client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": key})
    with pytest.raises(stripe.IdempotencyError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(client_reference_id="other"),
                                                   options={"idempotency_key": key})
    assert key in str(caught.value)


def test_without_a_shared_key_each_create_is_new(sandbox_client):
    one = sandbox_client.v1.checkout.sessions.create(params=session_params())
    two = sandbox_client.v1.checkout.sessions.create(params=session_params())
    assert one.id != two.id


def test_validation_failures_are_not_remembered(sandbox_client):
    key = str(uuid.uuid4())
    with pytest.raises(stripe.InvalidRequestError):
        sandbox_client.v1.checkout.sessions.create(params=session_params(mode=None), options={"idempotency_key": key})
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(), options={"idempotency_key": key})
    assert session.status == "open"


def test_a_replayed_decline_stays_a_decline(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    key = str(uuid.uuid4())
    for _ in range(2):
        with pytest.raises(stripe.CardError):
            complete_session(sandbox_client, session.id, card="4000000000000002", idempotency_key=key)
    assert complete_session(sandbox_client, session.id).status == "complete"
