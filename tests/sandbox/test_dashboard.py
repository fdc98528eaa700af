"""The sandbox's Dashboard: its own sign-in with the key, payments newest first, a refund and a resend from
its forms (each form once), and no way in for another site's page."""
import re
from urllib.parse import urljoin

import pytest
import requests

from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for


@pytest.fixture
def box(start_sandbox, webhook_receiver):
    """A sandbox delivering to a receiver."""
    return start_sandbox(SANDBOX_WEBHOOK_URL=webhook_receiver.url)


def signed_in(handle) -> requests.Session:
    """A browser that typed the sandbox's key into the Dashboard's sign-in form."""
    browser = requests.Session()
    answer = browser.post(f"{handle.url}/dashboard/sign-in", data={"key": handle.api_key})
    assert answer.status_code == 200 and "<h1>Dashboard</h1>" in answer.text
    return browser


def token(html: str) -> str:
    """The form token on a Dashboard page."""
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_dashboard_needs_the_key_typed_into_its_own_sign_in(box):
    # HTTP Basic opens nothing: a browser would attach it to another site's forms too.
    for answer in (requests.get(f"{box.url}/dashboard"),
                   requests.get(f"{box.url}/dashboard", auth=(box.api_key, ""))):
        assert answer.status_code == 200 and "Sign in to the Dashboard" in answer.text
        assert "<h1>Dashboard</h1>" not in answer.text and "WWW-Authenticate" not in answer.headers
    wrong = requests.post(f"{box.url}/dashboard/sign-in", data={"key": "sk_test_wrong"})
    assert wrong.status_code == 401 and "That is not the sandbox" in wrong.text
    browser = requests.Session()
    answer = browser.post(f"{box.url}/dashboard/sign-in", data={"key": box.api_key}, allow_redirects=False)
    cookie = answer.headers["Set-Cookie"]
    assert answer.status_code == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/dashboard" in cookie
    assert "<h1>Dashboard</h1>" in browser.get(f"{box.url}/dashboard").text
    browser.post(f"{box.url}/dashboard/sign-out")
    assert "Sign in to the Dashboard" in browser.get(f"{box.url}/dashboard").text


def test_a_form_sent_from_another_site_is_refused(box):
    client = stripe_client_for(box)
    paid = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    browser = signed_in(box)
    form = {"payment_intent": paid.payment_intent, "form_token": token(browser.get(f"{box.url}/dashboard").text)}
    refused = browser.post(f"{box.url}/dashboard/refunds", data=form,
                           headers={"Sec-Fetch-Site": "cross-site", "Origin": "http://attacker.example"})
    assert refused.status_code == 403
    # The API behind it refuses a browser page's request whatever key comes with it.
    api = requests.post(f"{box.url}/v1/refunds", data={"payment_intent": paid.payment_intent},
                        auth=(box.api_key, ""), headers={"Origin": "http://attacker.example"})
    assert api.status_code == 403 and api.json()["error"]["type"] == "invalid_request_error"
    assert client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data == []


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


def test_a_resubmitted_form_does_nothing_the_second_time(box):
    client = stripe_client_for(box)
    paid = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    browser = signed_in(box)
    form = {"payment_intent": paid.payment_intent, "amount": "100",
            "form_token": token(browser.get(f"{box.url}/dashboard").text)}
    assert browser.post(f"{box.url}/dashboard/refunds", data=form).status_code == 200
    again = browser.post(f"{box.url}/dashboard/refunds", data=form)
    assert again.status_code == 403 and "used already" in again.text
    assert len(client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data) == 1


def test_the_forms_of_a_refused_refunds_page_post_to_the_dashboard(box):
    client = stripe_client_for(box)
    paid = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    browser = signed_in(box)
    refused = browser.post(f"{box.url}/dashboard/refunds", data={
        "payment_intent": paid.payment_intent, "amount": "999999",
        "form_token": token(browser.get(f"{box.url}/dashboard").text)})
    assert refused.status_code == 400
    actions = {urljoin(refused.url, action) for action in re.findall(r'action="([^"]*)"', refused.text)}
    assert f"{box.url}/dashboard/refunds" in actions and f"{box.url}/dashboard/sign-out" in actions
    assert all(action.startswith(f"{box.url}/dashboard/") and "/dashboard/dashboard" not in action
               for action in actions), actions


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
