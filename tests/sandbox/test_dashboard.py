"""The sandbox's Dashboard: the key to see it, payments newest first, a refund and a resend from its forms."""
import re

import pytest
import requests

from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for


@pytest.fixture
def box(start_sandbox, webhook_receiver):
    """A sandbox delivering to a receiver."""
    return start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)


def signed_in(handle) -> requests.Session:
    """A browser that gave the sandbox's key when asked (HTTP Basic: the key, no password)."""
    browser = requests.Session()
    browser.auth = (handle.api_key, "")
    return browser


def token(html: str) -> str:
    """The form token on a Dashboard page."""
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_dashboard_needs_the_key(box):
    response = requests.get(f"{box.url}/dashboard")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == 'Basic realm="Stripe"'
    assert requests.get(f"{box.url}/dashboard", auth=("sk_test_wrong", "")).status_code == 401


def test_payments_newest_first_with_status_amount_customer_items(box):
    client = stripe_client_for(box)
    older = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id,
                             email="grace@example.com")
    newer = client.v1.checkout.sessions.create(params=session_params())
    page = signed_in(box).get(f"{box.url}/dashboard")
    assert page.status_code == 200 and page.headers["X-Frame-Options"] == "DENY"
    html = page.text
    assert html.index(newer.id) < html.index(older.id)
    row = html[html.index(f'data-session="{older.id}"'):]
    row = row[:row.index("</tr>")]
    assert "complete · paid" in row and "$38.99" in row and "grace@example.com" in row
    assert "Enamel mug × 2" in row and "Sticker pack × 1" in row and "Refund</button>" in row
    newer_row = html[html.index(f'data-session="{newer.id}"'):]
    assert "Refund</button>" not in newer_row[:newer_row.index("</tr>")]  # open: nothing to refund


def test_a_refund_from_the_dashboard_is_a_real_refund(box, webhook_receiver):
    client = stripe_client_for(box)
    paid = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    browser = signed_in(box)
    form = {"payment_intent": paid.payment_intent, "amount": "899",
            "form_token": token(browser.get(f"{box.url}/dashboard").text)}
    done = browser.post(f"{box.url}/dashboard/refunds", data=form, allow_redirects=True)
    assert done.status_code == 200 and re.search(r"Refunded 899 \(re_\w+\)", done.text)
    [refund] = client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data
    assert refund.amount == 899
    assert webhook_receiver.wait_for(1, event_type="charge.refunded")
    too_much = browser.post(f"{box.url}/dashboard/refunds", data={
        **form, "amount": "999999", "form_token": token(browser.get(f"{box.url}/dashboard").text)})
    assert too_much.status_code == 400 and "greater than unrefunded amount" in too_much.text
    forged = browser.post(f"{box.url}/dashboard/refunds", data={**form, "form_token": "forged"})
    assert forged.status_code == 403
    assert len(client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data) == 1


def test_resend_an_event_from_the_dashboard(box, webhook_receiver):
    client = stripe_client_for(box)
    complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    first = webhook_receiver.wait_for(1, event_type="checkout.session.completed")[0].json()
    browser = signed_in(box)
    html = browser.get(f"{box.url}/dashboard").text
    assert f'data-event="{first["id"]}"' in html and "checkout.session.completed" in html
    resent = browser.post(f"{box.url}/dashboard/events/{first['id']}/resend", data={"form_token": token(html)})
    assert resent.status_code == 200 and f"Resent {first['id']}" in resent.text
    again = webhook_receiver.wait_for(2, event_type="checkout.session.completed")
    assert again[1].json()["id"] == first["id"]
    assert "Resent evt_" not in browser.get(f"{box.url}/dashboard?done=Hello+there").text
    assert "Hello there" not in browser.get(f"{box.url}/dashboard?done=Hello+there").text
