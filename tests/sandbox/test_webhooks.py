"""Webhook delivery: signed Stripe-shaped events, retries with backoff, resend, restart safety, the delayed method."""
import time

import pytest
import requests
import stripe

from tests.fixtures_sandbox import (
    WebhookReceiver,
    complete_session,
    session_params,
    stripe_client_for,
)


def inspector(handle, limit: int = 20) -> list[dict]:
    """The sandbox's own record of recent events (newest first)."""
    response = requests.get(f"{handle.url}/_sandbox/events", params={"limit": limit},
                            auth=(handle.api_key, ""))
    response.raise_for_status()
    return response.json()


def wait_state(handle, event_id: str, state: str, timeout: float = 60) -> dict:
    """Poll the inspector until the event reaches the delivery state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in inspector(handle, 100) if e["id"] == event_id]
        if found and found[0]["state"] == state:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"{event_id} never reached {state}: {found}")


def test_completed_event_is_signed_and_passes_construct_event(start_sandbox, webhook_receiver):
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params(metadata={"order": "o1"}))
    complete_session(client, session.id)
    [hit] = webhook_receiver.wait_for(1)
    assert hit.headers["Content-Type"].startswith("application/json")
    event = stripe.Webhook.construct_event(hit.body, hit.headers["Stripe-Signature"], box.webhook_secret)
    assert isinstance(event, stripe.Event)
    assert event.type == "checkout.session.completed" and event.id.startswith("evt_")
    assert (event.object, event.livemode, event.api_version) == ("event", False, stripe.api_version)
    assert event.data.object.id == session.id and event.data.object.payment_status == "paid"
    assert event.data.object.metadata.to_dict() == {"order": "o1"}
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(hit.body, hit.headers["Stripe-Signature"], "whsec_wrong")


def test_expiry_sends_expired_event_with_request_id(start_sandbox, webhook_receiver):
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params())
    client.v1.checkout.sessions.expire(session.id)
    [hit] = webhook_receiver.wait_for(1)
    event = hit.json()
    assert event["type"] == "checkout.session.expired" and event["data"]["object"]["status"] == "expired"
    assert event["request"]["id"].startswith("req_")


def test_retries_after_500_then_stop_after_success(start_sandbox):
    receiver = WebhookReceiver(fail_first=2)
    try:
        box = start_sandbox(SANDBOX_WEBHOOK_URL=receiver.url)
        client = stripe_client_for(box)
        session = client.v1.checkout.sessions.create(params=session_params())
        complete_session(client, session.id)
        hits = receiver.wait_for(3)
        event_id = hits[0].json()["id"]
        assert {h.json()["id"] for h in hits} == {event_id}
        # Backoff: 0.2 s then 0.4 s between tries (with a little slack for scheduling).
        assert hits[1].at - hits[0].at >= 0.15 and hits[2].at - hits[1].at >= 0.35
        for hit in hits:  # each try is signed afresh and verifies
            stripe.Webhook.construct_event(hit.body, hit.headers["Stripe-Signature"], box.webhook_secret)
        record = wait_state(box, event_id, "delivered")
        assert [a["status_code"] for a in record["attempts"]] == [500, 500, 200]
        assert all(a["latency_ms"] >= 0 and a["at"] for a in record["attempts"])
        assert record["attempts"][0]["error"] == "HTTP 500"
        time.sleep(1.0)
        assert len(receiver.received) == 3  # nothing more once it succeeded
    finally:
        receiver.close()


def test_gives_up_after_max_attempts_and_resend_requeues_the_same_event(start_sandbox):
    receiver = WebhookReceiver(fail_first=3)
    try:
        box = start_sandbox(SANDBOX_WEBHOOK_URL=receiver.url, SANDBOX_MAX_ATTEMPTS="3",
                            SANDBOX_RETRY_BASE_SECONDS="0.05")
        client = stripe_client_for(box)
        complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
        event_id = receiver.wait_for(3)[0].json()["id"]
        failed = wait_state(box, event_id, "failed")
        assert len(failed["attempts"]) == 3
        response = requests.post(f"{box.url}/_sandbox/events/{event_id}/resend",
                                 auth=(box.api_key, ""))
        assert response.status_code == 200
        fourth = receiver.wait_for(4)[3]
        assert fourth.json()["id"] == event_id
        first_t = receiver.received[0].headers["Stripe-Signature"].split(",")[0]
        assert fourth.headers["Stripe-Signature"].split(",")[0] >= first_t
        assert wait_state(box, event_id, "delivered")["attempts"][-1]["status_code"] == 200
        missing = requests.post(f"{box.url}/_sandbox/events/evt_nope/resend",
                                auth=(box.api_key, ""))
        assert missing.status_code == 404
    finally:
        receiver.close()


def test_inspector_lists_newest_first_with_state(start_sandbox, webhook_receiver):
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    client = stripe_client_for(box)
    first = client.v1.checkout.sessions.create(params=session_params())
    second = client.v1.checkout.sessions.create(params=session_params())
    complete_session(client, first.id)
    client.v1.checkout.sessions.expire(second.id)
    webhook_receiver.wait_for(2)
    events = inspector(box)
    assert [e["type"] for e in events] == ["checkout.session.expired", "checkout.session.completed"]
    assert events[0]["object_id"] == second.id
    assert events[0]["deliveries"][0]["url"] == webhook_receiver.url
    assert len(inspector(box, limit=1)) == 1


def test_restart_keeps_sessions_and_resumes_pending_deliveries(start_sandbox):
    receiver = WebhookReceiver()
    url, port = receiver.url, receiver.server.server_address[1]
    receiver.close()  # deliveries to this URL now fail until a receiver is back on the port
    box = start_sandbox(SANDBOX_WEBHOOK_URL=url, SANDBOX_RETRY_BASE_SECONDS="0.3")
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params())
    complete_session(client, session.id)
    time.sleep(0.5)
    assert inspector(box)[0]["state"] == "pending"
    box.kill()  # a crash, not a clean stop

    revived = WebhookReceiver(port=port)
    try:
        again = start_sandbox(data_dir=box.data_dir, SANDBOX_WEBHOOK_URL=url, STRIPE_WEBHOOK_SECRET=box.webhook_secret)
        kept = stripe_client_for(again).v1.checkout.sessions.retrieve(session.id)
        assert (kept.status, kept.payment_status) == ("complete", "paid")
        [hit] = revived.wait_for(1)
        event = stripe.Webhook.construct_event(hit.body, hit.headers["Stripe-Signature"], again.webhook_secret)
        assert event.data.object.id == session.id
    finally:
        revived.close()


def test_generated_secret_is_kept_across_restarts(start_sandbox, tmp_path):
    first = start_sandbox(data_dir=tmp_path / "keep", STRIPE_WEBHOOK_SECRET="")
    assert first.webhook_secret.startswith("whsec_")
    first.stop()
    second = start_sandbox(data_dir=tmp_path / "keep", STRIPE_WEBHOOK_SECRET="")
    assert second.webhook_secret == first.webhook_secret


@pytest.mark.parametrize("email,outcome,status", [
    ("ada@example.com", "checkout.session.async_payment_succeeded", "paid"),
    ("ada+async_fail@example.com", "checkout.session.async_payment_failed", "unpaid"),
])
def test_delayed_bank_transfer_sends_the_async_outcome(start_sandbox, webhook_receiver, email, outcome, status):
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params())
    paid_at = time.time()
    completed = complete_session(client, session.id, payment_method="bank_transfer", email=email)
    assert (completed.status, completed.payment_status) == ("complete", "unpaid")
    [done] = webhook_receiver.wait_for(1, event_type="checkout.session.completed")
    assert done.json()["data"]["object"]["payment_status"] == "unpaid"
    [later] = webhook_receiver.wait_for(1, event_type=outcome)
    event = stripe.Webhook.construct_event(later.body, later.headers["Stripe-Signature"], box.webhook_secret)
    assert event.data.object.payment_status == status
    assert later.at - paid_at >= 0.45  # SANDBOX_ASYNC_DELAY_SECONDS is 0.5 in tests
    assert client.v1.checkout.sessions.retrieve(session.id).payment_status == status
