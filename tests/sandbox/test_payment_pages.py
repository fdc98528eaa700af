"""The payment page API that `stripe trigger checkout.session.completed` pays through, called as the CLI's
fixture calls it: the page, a PaymentMethod from tok_visa, then confirm with expected_amount."""
import pytest
import stripe

from tests.fixtures_sandbox import session_params, stripe_client_for

BILLING = {"email": "stripe@example.com", "name": "Jenny Rosen",
           "address": {"line1": "354 Oyster Point Blvd", "postal_code": "94080", "city": "South San Francisco",
                       "state": "CA", "country": "US"}}


def call(client: stripe.StripeClient, method: str, path: str, **params) -> dict:
    """One request the SDK has no method for, answered as a plain dict."""
    return client.deserialize(client.raw_request(method, path, **params), api_mode="V1").to_dict()


def card(client: stripe.StripeClient, token: str = "tok_visa") -> str:
    """A PaymentMethod made as the fixture makes it; its id."""
    return client.v1.payment_methods.create(params={"type": "card", "card": {"token": token},
                                                    "billing_details": BILLING}).id


def test_confirming_the_page_completes_the_session_and_sends_its_event(start_sandbox, webhook_receiver):
    box = start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)
    client = stripe_client_for(box)
    session = client.v1.checkout.sessions.create(params=session_params())
    page = call(client, "get", f"/v1/payment_pages/{session.id}")
    assert (page["id"], page["status"], page["amount_total"]) == (session.id, "open", session.amount_total)
    done = call(client, "post", f"/v1/payment_pages/{session.id}/confirm", payment_method=card(client),
                expected_amount=session.amount_total)
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    [hit] = webhook_receiver.wait_for(1, event_type="checkout.session.completed")
    paid = hit.json()["data"]["object"]
    assert paid["id"] == session.id and paid["customer_details"]["email"] == "stripe@example.com"
    assert paid["customer_details"]["address"]["city"] == "South San Francisco"
    with pytest.raises(stripe.InvalidRequestError, match="not open"):
        call(client, "post", f"/v1/payment_pages/{session.id}/confirm", payment_method=card(client))


def test_the_page_refuses_a_wrong_amount_and_declines_a_declined_card(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    path = f"/v1/payment_pages/{session.id}/confirm"
    with pytest.raises(stripe.InvalidRequestError) as wrong:
        call(sandbox_client, "post", path, payment_method=card(sandbox_client), expected_amount=1)
    assert wrong.value.param == "expected_amount"
    with pytest.raises(stripe.CardError) as declined:
        call(sandbox_client, "post", path, payment_method=card(sandbox_client, "tok_chargeDeclined"))
    assert declined.value.code == "card_declined"
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        call(sandbox_client, "get", "/v1/payment_pages/cs_test_missing")
    assert missing.value.http_status == 404
