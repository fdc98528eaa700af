"""The hosted checkout page over plain HTTP: the form, its errors, the redirect, and the closed-session page."""
import re
from html import unescape

import pytest
import requests

from tests.fixtures_sandbox import post_hosted_form, session_params

SHIPPING = [
    {"shipping_rate_data": {"display_name": "Standard", "fixed_amount": {"amount": 500, "currency": "usd"}}},
    {"shipping_rate_data": {"display_name": "Express", "fixed_amount": {"amount": 1500, "currency": "usd"}}},
]
GOOD_FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "12 St James's Sq", "city": "London",
             "postal_code": "SW1Y 4JH", "country": "GB", "payment_method": "card",
             "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}


@pytest.fixture
def session(sandbox_client):
    """An open session with images, two shipping options and a prefilled email."""
    return sandbox_client.v1.checkout.sessions.create(params=session_params(
        customer_email="ada@example.com", shipping_options=SHIPPING,
        shipping_address_collection={"allowed_countries": ["GB", "IE"]}))


def label_for(html: str, text: str) -> str:
    """The id a <label for=...> with exactly this text points at."""
    match = re.search(r'<label for="([^"]+)">' + re.escape(text) + r"</label>", html)
    assert match, f"no label {text!r}"
    return match.group(1)


def test_page_shows_items_form_and_links(session):
    response = requests.get(session.url)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    html = unescape(response.text)
    assert "Local test sandbox" in html and "no money moves" in html
    assert "Enamel mug" in html and "Sticker pack" in html and 'src="https://example.com/mug.png"' in html
    assert "$38.99" in html and "$43.99" in html  # subtotal, and total with the preselected Standard shipping
    for text in ("Email", "Card number", "Expiry", "CVC"):
        assert f'id="{label_for(html, text)}"' in html
    assert 'value="ada@example.com"' in html
    assert 'href="http://127.0.0.1:8501/basket"' in html and "← Back" in html
    countries = re.findall(r'<option value="([A-Z]{2})"', html)
    assert countries == ["GB", "IE"]
    assert len(re.findall(r'<input type="radio" id="rate-shr_\w+" name="shipping_rate"', html)) == 2
    assert 'data-total="$53.99"' in html
    assert "Bank transfer (delayed)" in html and re.search(r"Pay <span data-total>\$43\.99", html)
    assert "<link" not in html and "@import" not in html  # nothing loads from the internet but item images


def test_good_card_redirects_to_success_url_with_the_id(session, sandbox_client):
    form = {**GOOD_FORM, "shipping_rate": session.shipping_options[1].shipping_rate}
    response = post_hosted_form(session.url, form)
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://127.0.0.1:8501/success?session_id={session.id}"
    paid = sandbox_client.v1.checkout.sessions.retrieve(session.id)
    assert (paid.status, paid.payment_status, paid.amount_total) == ("complete", "paid", 3899 + 1500)
    assert paid.collected_information.shipping_details.address.postal_code == "SW1Y 4JH"
    closed = requests.get(session.url)
    assert closed.status_code == 200 and "Payment complete" in closed.text and "<form" not in closed.text
    again = requests.post(session.url, data=form, allow_redirects=False)
    assert again.status_code == 409 and "<form" not in again.text


@pytest.mark.parametrize("changes,message", [
    ({"card_number": "4242 4242 4242 4241"}, "Your card number is invalid."),
    ({"expiry": "01/21"}, "Your card&#39;s expiration date is in the past."),
    ({"cvc": ""}, "Your card&#39;s security code is incomplete."),
    ({"email": "nope"}, "Your email address is invalid."),
    ({"country": "US"}, "We cannot ship to United States."),
])
def test_field_errors_show_inline_and_keep_the_session_open(session, sandbox_client, changes, message):
    response = post_hosted_form(session.url, {**GOOD_FORM, **changes})
    assert response.status_code == 422
    assert message in response.text and 'class="error"' in response.text
    assert 'value="Ada Lovelace"' in response.text  # what was typed is kept
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).status == "open"


@pytest.mark.parametrize("card,message", [
    ("4000 0000 0000 0002", "Your card was declined."),
    ("4000000000009995", "Your card has insufficient funds."),
])
def test_declines_show_a_message(session, card, message):
    response = post_hosted_form(session.url, {**GOOD_FORM, "card_number": card})
    assert response.status_code == 402 and message in response.text and "<form" in response.text


def test_bank_transfer_needs_no_card(session, sandbox_client):
    form = {**GOOD_FORM, "payment_method": "bank_transfer", "card_number": "", "expiry": "", "cvc": ""}
    response = post_hosted_form(session.url, form)
    assert response.status_code == 303
    assert sandbox_client.v1.checkout.sessions.retrieve(session.id).payment_status == "unpaid"


def test_expired_session_shows_a_clear_page(session, sandbox_client):
    sandbox_client.v1.checkout.sessions.expire(session.id)
    response = requests.get(f"{session.url}")
    assert response.status_code == 200 and "has expired" in response.text and "<form" not in response.text
    assert 'href="http://127.0.0.1:8501/basket"' in response.text


def test_zero_decimal_amounts_have_no_decimals(sandbox_client):
    items = [{"price_data": {"currency": "jpy", "unit_amount": 1200, "product_data": {"name": "Tea"}}, "quantity": 3}]
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(line_items=items))
    html = requests.get(session.url).text
    assert "¥3,600" in html and "¥3,600.00" not in html
