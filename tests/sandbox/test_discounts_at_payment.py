"""Promotion codes are checked again when the payment is confirmed, in the transaction that counts
the redemption: a code used up, deactivated or expired after it was applied fails the payment."""
import re
import secrets
import threading
import time

import pytest
import requests
import stripe

from tests.fixtures_sandbox import complete_session, post_hosted_form, session_params

CARD_FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "12 St James's Sq",
             "city": "London", "postal_code": "SW1Y 4JH", "country": "GB", "payment_method": "card",
             "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}


def one_use_code(client, **extra) -> stripe.PromotionCode:
    """A fresh 20%-off coupon's promotion code, with extra settings (max_redemptions, ...)."""
    coupon = client.v1.coupons.create(params={"percent_off": 20, "duration": "once"})
    return client.v1.promotion_codes.create(params={
        "promotion": {"type": "coupon", "coupon": coupon.id},
        "code": "ONCE" + secrets.token_hex(4).upper(), **extra})


def discounted_session(client, code: stripe.PromotionCode):
    """An open session with the code applied (it is good when applied)."""
    return client.v1.checkout.sessions.create(params=session_params(
        discounts=[{"promotion_code": code.id}]))


def test_a_code_with_one_redemption_discounts_one_payment(sandbox_client):
    code = one_use_code(sandbox_client, max_redemptions=1)
    first, second = discounted_session(sandbox_client, code), discounted_session(sandbox_client, code)
    complete_session(sandbox_client, first.id)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        complete_session(sandbox_client, second.id)
    assert caught.value.http_status == 400 and caught.value.param == "promotion_code"
    assert "no longer active" in caught.value.user_message
    assert sandbox_client.v1.checkout.sessions.retrieve(second.id).status == "open"
    assert sandbox_client.v1.promotion_codes.retrieve(code.id).times_redeemed == 1


def test_two_payments_racing_for_the_last_use_one_succeeds(sandbox_client):
    code = one_use_code(sandbox_client, max_redemptions=1)
    sessions = [discounted_session(sandbox_client, code) for _ in range(4)]
    start, outcomes = threading.Barrier(len(sessions)), []

    def pay(session_id: str) -> None:
        start.wait()
        try:
            complete_session(sandbox_client, session_id)
            outcomes.append("paid")
        except stripe.InvalidRequestError:
            outcomes.append("refused")

    threads = [threading.Thread(target=pay, args=(s.id,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["paid", "refused", "refused", "refused"]
    assert sandbox_client.v1.promotion_codes.retrieve(code.id).times_redeemed == 1


def test_a_code_deactivated_after_it_was_applied_fails_the_payment(sandbox_client):
    code = one_use_code(sandbox_client)
    session = discounted_session(sandbox_client, code)
    sandbox_client.v1.promotion_codes.update(code.id, params={"active": False})
    with pytest.raises(stripe.InvalidRequestError):
        complete_session(sandbox_client, session.id)
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_a_code_that_expired_after_it_was_applied_fails_the_payment(sandbox_client):
    code = one_use_code(sandbox_client, expires_at=int(time.time()) + 2)
    session = discounted_session(sandbox_client, code)
    time.sleep(2.5)
    with pytest.raises(stripe.InvalidRequestError):
        complete_session(sandbox_client, session.id)
    assert sandbox_client.v1.promotion_codes.retrieve(code.id).times_redeemed == 0


def test_the_hosted_page_says_why_a_lapsed_code_stops_the_payment(sandbox_client):
    code = one_use_code(sandbox_client)
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        allow_promotion_codes=True))
    browser = requests.Session()
    page = browser.get(session.url)
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    assert browser.post(f"{session.url}/promotion_code", allow_redirects=False,
                        data={"promotion_code": code.code, "form_token": token}).status_code == 303
    sandbox_client.v1.promotion_codes.update(code.id, params={"active": False})
    refused = post_hosted_form(session.url, CARD_FORM, browser)
    assert refused.status_code == 422 and "no longer active" in refused.text
    assert 'role="alert"' in refused.text
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"
