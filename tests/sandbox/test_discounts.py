"""Coupons, promotion codes and discounted sessions through the unmodified SDK; the hosted page's code field."""
import re

import pytest
import requests
import stripe

from tests.fixtures_sandbox import complete_session, post_hosted_form, session_params
from tests.sdk_types import undeclared_fields

GOOD_FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "12 St James's Sq", "city": "London",
             "postal_code": "SW1Y 4JH", "country": "GB", "payment_method": "card",
             "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}
SHIPPING = [{"shipping_rate_data": {"display_name": "Standard", "type": "fixed_amount",
                                    "fixed_amount": {"amount": 500, "currency": "usd"}}}]


def declared_only(obj, resource) -> None:
    """Every field the sandbox returned is one the SDK's resource class declares."""
    assert set(obj.to_dict()) - set(resource.__annotations__) == set()


def test_coupons_and_codes_are_typed_like_the_sdks(sandbox_client):
    coupon = sandbox_client.v1.coupons.create(params={"percent_off": 25, "duration": "once", "name": "Quarter"})
    assert isinstance(coupon, stripe.Coupon) and (coupon.percent_off, coupon.valid) == (25.0, True)
    declared_only(coupon, stripe.Coupon)
    code = sandbox_client.v1.promotion_codes.create(params={
        "promotion": {"type": "coupon", "coupon": coupon.id}, "code": "QUARTER25"})
    assert isinstance(code, stripe.PromotionCode) and code.id.startswith("promo_")
    assert (code.code, code.active, code.promotion.coupon) == ("QUARTER25", True, coupon.id)
    declared_only(code, stripe.PromotionCode)
    found = sandbox_client.v1.promotion_codes.list(params={"code": "quarter25"})
    assert [c.id for c in found.data] == [code.id]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.promotion_codes.create(params={
            "promotion": {"type": "coupon", "coupon": coupon.id}, "code": "QUARTER25"})
    assert caught.value.param == "code"
    off = sandbox_client.v1.promotion_codes.update(code.id, params={"active": False})
    assert off.active is False


def test_a_coupons_applies_to_is_left_out_unless_expanded(sandbox_client):
    coupon = sandbox_client.v1.coupons.create(params={"amount_off": 300, "currency": "usd", "duration": "once"})
    retrieved = sandbox_client.v1.coupons.retrieve(coupon.id)
    listed = sandbox_client.v1.coupons.list(params={"limit": 100})
    seeded = sandbox_client.v1.coupons.retrieve("workshop10")
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        discounts=[{"coupon": coupon.id}], expand=["discounts.coupon"]))
    for shown in (coupon, retrieved, seeded, *listed.data, session.discounts[0].coupon):
        assert "applies_to" not in shown.to_dict(), shown.id
        assert undeclared_fields(shown.to_dict(), stripe.Coupon) == []
    expanded = sandbox_client.v1.coupons.retrieve(coupon.id, params={"expand": ["applies_to"]})
    assert isinstance(expanded.applies_to, stripe.Coupon.AppliesTo) and expanded.applies_to.products == []
    every = sandbox_client.v1.coupons.list(params={"limit": 100, "expand": ["data.applies_to"]})
    assert every.data and all(c.applies_to.products == [] for c in every.data)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.coupons.retrieve(coupon.id, params={"expand": ["currency_options"]})
    assert caught.value.param == "expand"


def test_workshop10_is_seeded(sandbox_client):
    [code] = sandbox_client.v1.promotion_codes.list(params={"code": "WORKSHOP10"}).data
    coupon = sandbox_client.v1.coupons.retrieve(code.promotion.coupon)
    assert (code.active, coupon.percent_off) == (True, 10.0)


def test_discounts_coupon_takes_the_amount_off_the_items_not_shipping(sandbox_client):
    coupon = sandbox_client.v1.coupons.create(params={"amount_off": 1000, "currency": "usd"})
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        discounts=[{"coupon": coupon.id}], shipping_options=SHIPPING))
    assert session.amount_subtotal == 3899 and session.total_details.amount_discount == 1000
    assert session.amount_total == 3899 - 1000 + 500
    assert session.discounts[0].coupon == coupon.id and session.discounts[0].promotion_code is None
    items = sandbox_client.v1.checkout.sessions.line_items.list(session.id).data
    assert sum(i.amount_discount for i in items) == 1000
    assert [i.amount_total for i in items] == [i.amount_subtotal - i.amount_discount for i in items]
    paid = complete_session(sandbox_client, session.id)
    assert paid.amount_total == 3399 and sandbox_client.v1.coupons.retrieve(coupon.id).times_redeemed == 1


def test_workshop10_by_promotion_code_takes_ten_percent(sandbox_client):
    [code] = sandbox_client.v1.promotion_codes.list(params={"code": "WORKSHOP10"}).data
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        discounts=[{"promotion_code": code.id}]))
    assert session.total_details.amount_discount == 390 and session.amount_total == 3899 - 390
    assert session.discounts[0].promotion_code == code.id


BAD = {
    "both allow_promotion_codes and discounts": (dict(allow_promotion_codes=True, discounts=[{"coupon": "x"}]),
                                                 "discounts"),
    "unknown coupon": (dict(discounts=[{"coupon": "nope"}]), "discounts[0][coupon]"),
    "unknown promotion code": (dict(discounts=[{"promotion_code": "promo_nope"}]),
                               "discounts[0][promotion_code]"),
    "two discounts": (dict(discounts=[{"coupon": "a"}, {"coupon": "b"}]), "discounts"),
}


@pytest.mark.parametrize("overrides,param", BAD.values(), ids=BAD.keys())
def test_bad_discount_params_name_the_param(sandbox_client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(**overrides))
    assert caught.value.param == param


def test_an_amount_coupon_in_another_currency_is_refused(sandbox_client):
    coupon = sandbox_client.v1.coupons.create(params={"amount_off": 100, "currency": "eur"})
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sandbox_client.v1.checkout.sessions.create(params=session_params(discounts=[{"coupon": coupon.id}]))
    assert caught.value.param == "discounts[0][coupon]"


def apply_code(session_url: str, code: str, browser: requests.Session) -> requests.Response:
    """Type a code into the hosted page's field and press Apply, as a browser does."""
    page = browser.get(session_url)
    token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
    return browser.post(f"{session_url}/promotion_code", data={"promotion_code": code, "form_token": token},
                        allow_redirects=False)


def test_the_hosted_page_takes_workshop10_in_any_case(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(allow_promotion_codes=True))
    assert session.allow_promotion_codes is True
    browser = requests.Session()
    page = browser.get(session.url).text
    assert 'name="promotion_code"' in page and "WORKSHOP10" in page  # the field, and the banner naming it
    wrong = apply_code(session.url, "NOPE", browser)
    assert wrong.status_code == 422 and "This code is invalid." in wrong.text
    applied = apply_code(session.url, "workshop10", browser)
    assert applied.status_code == 303
    page = browser.get(session.url).text
    assert "Discount (WORKSHOP10)" in page and "-$3.90" in page and "$35.09" in page
    retrieved = sandbox_client.v1.checkout.sessions.retrieve(session.id)
    assert retrieved.total_details.amount_discount == 390 and retrieved.amount_total == 3509
    paid = post_hosted_form(session.url, GOOD_FORM, browser)
    assert paid.status_code == 303
    done = sandbox_client.v1.checkout.sessions.retrieve(session.id)
    assert (done.status, done.amount_total, done.total_details.amount_discount) == ("complete", 3509, 390)


def test_no_code_field_unless_the_session_allows_codes(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params())
    browser = requests.Session()
    assert 'name="promotion_code"' not in browser.get(session.url).text
    refused = apply_code(session.url, "WORKSHOP10", browser)
    assert refused.status_code == 409
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).total_details.amount_discount == 0
