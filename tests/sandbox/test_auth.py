"""API access as Stripe's docs show it: Basic or Bearer auth with the sandbox's key, Stripe's 401s, Stripe-Version."""
import json
import re
import secrets
import subprocess

import pytest
import requests
import stripe

from stripe_sandbox.api.auth import masked
from tests.fixtures_sandbox import TEST_API_KEY, stripe_client_for


def test_curl_with_basic_auth_lists_sessions_as_the_docs_show(sandbox, sandbox_client):
    created = sandbox_client.v1.checkout.sessions.create(params={
        "mode": "payment", "success_url": "http://127.0.0.1:8501/success",
        "line_items": [{"price_data": {"currency": "usd", "unit_amount": 500,
                                       "product_data": {"name": "Mug"}}, "quantity": 1}]})
    result = subprocess.run(["curl", "-sS", "-u", f"{sandbox.api_key}:", f"{sandbox.url}/v1/checkout/sessions"],
                            capture_output=True, text=True, timeout=20, check=True)
    listed = json.loads(result.stdout)
    assert listed["object"] == "list" and created.id in [s["id"] for s in listed["data"]]


def test_bearer_and_basic_both_work_and_answer_with_the_modelled_version(sandbox):
    url = f"{sandbox.url}/v1/checkout/sessions"
    basic = requests.get(url, auth=(sandbox.api_key, ""))
    bearer = requests.get(url, headers={"Authorization": f"Bearer {sandbox.api_key}"})
    assert basic.status_code == bearer.status_code == 200
    assert basic.headers["Stripe-Version"] == stripe.api_version


@pytest.mark.parametrize("key", ["sk_test_mistyped", "sk_live_abc", "rk_test_abc", "garbage"])
def test_a_wrong_key_gets_stripes_invalid_api_key_error(sandbox, key):
    with pytest.raises(stripe.AuthenticationError) as caught:
        stripe_client_for(sandbox, key).v1.checkout.sessions.list()
    error = caught.value
    assert error.http_status == 401
    # Stripe types an invalid (not expired) key as invalid_request_error; the 401 makes it AuthenticationError.
    assert error.json_body["error"]["type"] == "invalid_request_error"
    assert error.json_body["error"]["message"].startswith("Invalid API Key provided: ")
    assert key not in error.json_body["error"]["message"]  # shown masked, as Stripe does
    assert error.headers["WWW-Authenticate"] == 'Basic realm="Stripe"'


def test_a_publishable_key_is_refused_as_stripe_does(sandbox):
    with pytest.raises(stripe.AuthenticationError) as caught:
        stripe_client_for(sandbox, "pk_test_abc").v1.checkout.sessions.list()
    assert "publishable API key" in caught.value.user_message


@pytest.mark.parametrize("header", [None, "", "Basic !!notbase64", "Bearer", "Bearer sk_test_a b", "Token x"])
def test_missing_or_malformed_authorization_is_401(sandbox, header):
    headers = {} if header is None else {"Authorization": header}
    for path in ("/v1/checkout/sessions", "/_sandbox/events"):
        response = requests.get(sandbox.url + path, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["type"] == "invalid_request_error"
    if not header:
        assert response.json()["error"]["message"].startswith("You did not provide an API key.")


def test_any_stripe_version_is_answered_in_the_modelled_one_and_logged_once(start_sandbox):
    sandbox = start_sandbox()
    # Stripe's official sample pins 2020-08-27; real Stripe answers any version.
    pinned = stripe.StripeClient(sandbox.api_key, base_addresses={"api": sandbox.url}, stripe_version="2020-08-27")
    plain = stripe_client_for(sandbox)
    for client in (pinned, plain, pinned):
        listed = client.v1.checkout.sessions.list()
        assert listed.object == "list"
        assert listed.last_response.headers["Stripe-Version"] == stripe.api_version
    session = pinned.v1.checkout.sessions.create(params={
        "mode": "payment", "success_url": "http://127.0.0.1:8501/success",
        "line_items": [{"price_data": {"currency": "usd", "unit_amount": 500,
                                       "product_data": {"name": "Mug"}}, "quantity": 1}]})
    assert isinstance(session, stripe.checkout.Session) and session.status == "open"
    log = sandbox.server.log()
    assert log.count("Stripe-Version 2020-08-27 asked for") == 1, log
    assert f"answers in {stripe.api_version}" in log and f"Stripe-Version {stripe.api_version}" not in log


def test_a_malformed_stripe_version_is_refused(sandbox):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client_for(sandbox).v1.checkout.sessions.list(options={"stripe_version": "banana"})
    assert caught.value.http_status == 400 and "Invalid Stripe API version: banana" in str(caught.value)


def test_without_a_configured_key_the_sandbox_makes_one_prints_it_and_keeps_it(start_sandbox, tmp_path):
    first = start_sandbox(data_dir=tmp_path / "state", SANDBOX_API_KEY=None)
    assert re.fullmatch(r"sk_test_[A-Za-z0-9]{32}", first.api_key) and first.api_key != TEST_API_KEY
    assert stripe_client_for(first).v1.checkout.sessions.list().object == "list"
    with pytest.raises(stripe.AuthenticationError):
        stripe_client_for(first, TEST_API_KEY).v1.checkout.sessions.list()
    first.stop()
    again = start_sandbox(data_dir=tmp_path / "state", SANDBOX_API_KEY=None)
    assert again.api_key == first.api_key


@pytest.mark.parametrize("sent", ["sk_test_mistyped9Zq", "sk_test_" + "x" * 40 + "WXYZ"])
def test_the_401_names_the_key_sent_never_the_sandboxs(start_sandbox, sent):
    sandbox = start_sandbox(SANDBOX_API_KEY="sk_test_" + secrets.token_hex(16))
    response = requests.get(f"{sandbox.url}/v1/checkout/sessions", auth=(sent, ""))
    message = response.json()["error"]["message"]
    assert response.status_code == 401 and sent[-4:] in message  # the last four of what was sent
    # Neither the sandbox key's last four nor its masked form (which tells its length).
    assert sandbox.api_key[-4:] not in message and masked(sandbox.api_key) not in message
