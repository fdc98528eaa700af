"""The hosted page's two moments, kept for the purchase timeline: opened, and sent back."""
import time

import pytest
import requests
import stripe

from tests.fixtures_sandbox import session_params
from tests.hosted_page import pay_in_the_page


def visits(client, session_id: str) -> dict:
    """GET /_sandbox/sessions/{id}/visits through the SDK."""
    return client.raw_request("get", f"/_sandbox/sessions/{session_id}/visits").data


def test_opened_then_returned_are_recorded_once(sandbox_client):
    session = sandbox_client.v1.checkout.sessions.create(params=session_params(
        shipping_address_collection={"allowed_countries": ["GB"]}))
    assert visits(sandbox_client, session.id) == {"session": session.id, "opened": None,
                                                  "returned": None}
    before = time.time()
    assert pay_in_the_page(session.url).status_code == 303
    first = visits(sandbox_client, session.id)
    assert before <= first["opened"] <= first["returned"] <= time.time()
    requests.get(session.url)  # the closed page afterwards is not an opening
    assert visits(sandbox_client, session.id) == first


def test_unknown_session_is_404(sandbox_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        visits(sandbox_client, "cs_test_nope")
    assert caught.value.http_status == 404
