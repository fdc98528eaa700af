"""The sandbox-only backdating helper: a session's creation moves into the past, its events too."""
import time

import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for

DAY = 24 * 3600


def backdate(client, session_id: str, **params):
    """POST the backdating helper through the SDK; the parsed JSON answer."""
    return client.raw_request("post", f"/v1/test_helpers/checkout/sessions/{session_id}/backdate",
                              **params).data


def test_backdated_session_and_its_events_carry_the_past_time(webhook_receiver, start_sandbox):
    client = stripe_client_for(start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url))
    session = client.v1.checkout.sessions.create(params=session_params())
    then = int(time.time()) - 10 * DAY
    assert backdate(client, session.id, created=str(then))["created"] == then
    assert client.v1.checkout.sessions.retrieve(session.id).created == then
    before_paying = time.time()
    complete_session(client, session.id)
    event = webhook_receiver.wait_for(1, event_type="checkout.session.completed")[0].json()
    shift = session.created - then
    # Paid a moment after being created, ten days ago: so the event reads.
    assert then <= event["created"] <= int(before_paying) - shift + 2
    assert event["data"]["object"]["created"] == then
    assert client.v1.checkout.sessions.retrieve(session.id).expires_at == session.expires_at


def test_other_sessions_keep_the_real_time(sandbox_client):
    untouched = sandbox_client.v1.checkout.sessions.create(params=session_params())
    moved = sandbox_client.v1.checkout.sessions.create(params=session_params())
    backdate(sandbox_client, moved.id, created=str(int(time.time()) - DAY))
    assert abs(sandbox_client.v1.checkout.sessions.retrieve(untouched.id).created - time.time()) < 60


@pytest.mark.parametrize("created, message", [
    (lambda now: str(now + 3600), "less than or equal to"),
    (lambda now: str(now - 91 * DAY), "greater than or equal to"),
    (lambda now: "yesterday", "Invalid integer"),
    (None, "Missing required param: created"),
])
def test_bad_times_are_refused(sandbox_client, created, message):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    params = {} if created is None else {"created": created(int(time.time()))}
    with pytest.raises(stripe.InvalidRequestError, match=message) as caught:
        backdate(sandbox_client, session.id, **params)
    assert caught.value.http_status == 400
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).created == session.created


def test_only_open_sessions_move_and_unknown_ones_are_404(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    complete_session(sandbox_client, session.id)
    with pytest.raises(stripe.InvalidRequestError, match="Only an open Checkout Session") as caught:
        backdate(sandbox_client, session.id, created=str(int(time.time()) - DAY))
    assert caught.value.code == "checkout_session_not_open"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        backdate(sandbox_client, "cs_test_nope", created=str(int(time.time()) - DAY))
    assert missing.value.http_status == 404
