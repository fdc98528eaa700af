"""The test helper pays a session by the same path as the hosted page: success, declines, field errors."""
import pytest
import stripe

from tests.fixtures_sandbox import complete_session, session_params

SHIPPING = [
    {"shipping_rate_data": {"display_name": "Standard", "fixed_amount": {"amount": 500, "currency": "usd"}}},
    {"shipping_rate_data": {"display_name": "Express", "fixed_amount": {"amount": 1500, "currency": "usd"}}},
]


def test_good_card_completes_and_pays(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        customer_email="ada@example.com", shipping_address_collection={"allowed_countries": ["GB", "FR"]},
        shipping_options=SHIPPING))
    paid = complete_session(sandbox_client, session.id, shipping_rate=session.shipping_options[1].shipping_rate)
    assert isinstance(paid, stripe.checkout.Session)
    assert (paid.status, paid.payment_status, paid.url) == ("complete", "paid", None)
    assert paid.payment_intent.startswith("pi_")
    assert paid.customer_details.email == "ada@example.com"
    assert paid.customer_details.address.country == "GB"  # the first allowed country, as the US is not
    assert paid.collected_information.shipping_details.name == "Jenny Rosen"
    assert paid.shipping_cost.amount_total == 1500 and paid.amount_total == 3899 + 1500
    retrieved = sandbox_client.v1.checkout.sessions.retrieve(session.id)
    assert retrieved.to_dict() == paid.to_dict()


@pytest.mark.parametrize("card,decline_code,message", [
    ("4000000000000002", "generic_decline", "Your card was declined."),
    ("4000 0000 0000 9995", "insufficient_funds", "Your card has insufficient funds."),
])
def test_decline_cards_raise_card_error_and_leave_the_session_open(sandbox_client, card, decline_code, message):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    with pytest.raises(stripe.CardError) as caught:
        complete_session(sandbox_client, session.id, card=card)
    assert caught.value.http_status == 402
    assert caught.value.code == "card_declined"
    assert caught.value.error.decline_code == decline_code
    assert caught.value.user_message == message
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"


@pytest.mark.parametrize("params,code,param", [
    ({"card": "4242424242424241"}, "invalid_number", "card"),
    ({"expiry": "01/20"}, "invalid_expiry_year_past", "expiry"),
])
def test_card_field_problems_are_card_errors_with_param(sandbox_client, params, code, param):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    with pytest.raises(stripe.CardError) as caught:
        complete_session(sandbox_client, session.id, **params)
    assert (caught.value.code, caught.value.param) == (code, param)


@pytest.mark.parametrize("params,param", [
    ({"email": "nope"}, "email"),
    ({"shipping_rate": "shr_other"}, "shipping_rate"),
    ({"address": {"country": "DE"}}, "address[country]"),
    ({"payment_method": "cash"}, "payment_method"),
    ({"tip": "5"}, "tip"),
])
def test_bad_helper_input_is_invalid_request(sandbox_client, params, param):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        shipping_address_collection={"allowed_countries": ["US"]}, shipping_options=SHIPPING))
    with pytest.raises(stripe.InvalidRequestError) as caught:
        complete_session(sandbox_client, session.id, **params)
    assert caught.value.param == param


def test_paying_twice_or_after_expiry_is_refused(sandbox_client):
    paid = sandbox_client.v1.checkout.sessions.create(params=session_params())
    complete_session(sandbox_client, paid.id)
    expired = sandbox_client.v1.checkout.sessions.create(params=session_params())
    sandbox_client.v1.checkout.sessions.expire(expired.id)
    for session_id in (paid.id, expired.id):
        with pytest.raises(stripe.InvalidRequestError, match="not open"):
            complete_session(sandbox_client, session_id)
