"""The hosted page against other sites: no cross-site form POST pays, it cannot be framed, and
its URL is never sent on as a Referer."""
import re

import pytest
import requests

from tests.fixtures_sandbox import post_hosted_form, session_params

FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "12 St James's Sq",
        "city": "London", "postal_code": "SW1Y 4JH", "country": "US", "payment_method": "card",
        "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}


@pytest.fixture
def session(sandbox_client):
    """An open session waiting on its hosted page."""
    return sandbox_client.v1.checkout.sessions.create(params=session_params())


def token_on(page: requests.Response) -> str:
    """The form token the page carries."""
    return re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)


def status_of(client, session) -> str:
    """The session's status, as Stripe's API reports it."""
    return client.v1.checkout.sessions.retrieve(session.id).status


def test_a_cross_site_form_post_without_the_page_token_is_refused(session, sandbox_client):
    attacker = requests.post(session.url, data={**FORM, "line1": "1 Attacker Way"},
                             headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert attacker.status_code == 403
    assert "has expired or was not sent from this page" in attacker.text
    assert "Attacker Way" not in attacker.text  # the posted address is not prefilled either
    assert status_of(sandbox_client, session) == "open"


def test_a_token_copied_into_another_browser_is_refused(session, sandbox_client):
    token = token_on(requests.Session().get(session.url))
    other = requests.post(session.url, data={**FORM, "form_token": token}, allow_redirects=False)
    assert other.status_code == 403
    assert status_of(sandbox_client, session) == "open"


def test_a_tampered_token_or_one_for_another_session_is_refused(session, sandbox_client):
    browser = requests.Session()
    other = sandbox_client.v1.checkout.sessions.create(params=session_params())
    token = token_on(browser.get(other.url))
    for bad in (token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "", "x.y.z"):
        refused = browser.post(session.url, data={**FORM, "form_token": bad}, allow_redirects=False)
        assert refused.status_code == 403, bad
    assert status_of(sandbox_client, session) == "open"


def test_the_page_own_form_pays_with_its_token(session, sandbox_client):
    response = post_hosted_form(session.url, FORM)
    assert response.status_code == 303
    assert status_of(sandbox_client, session) == "complete"


def test_each_rendering_gets_its_own_token_and_a_browser_cookie_that_is_lax_and_http_only(session):
    browser = requests.Session()
    first = browser.get(session.url)
    second = browser.get(session.url)
    assert token_on(first) != token_on(second)
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/pay/" in cookie


def test_hosted_pages_cannot_be_framed_and_send_no_referrer(session, sandbox):
    for page in (requests.get(session.url), requests.get(f"{sandbox.url}/pay/cs_test_missing")):
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
