"""In Chromium: a presenter signed in to the sandbox's Dashboard visits another site whose forms
post to the sandbox (a refund, a test payment, a 100%-off coupon, a Dashboard refund); every one
is refused and nothing changes, while the Dashboard's own Refund button still refunds."""
from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import stripe
from playwright.sync_api import Page, expect

from harness.processes import free_port
from lib.config.settings import saved_sandbox_key
from tests.fixtures_sandbox import complete_session, session_params


def auto_post(action: str, fields: dict) -> bytes:
    """A page that posts a form to action as soon as it loads, as an attacker's would."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in fields.items())
    return (f'<h1>Win a prize</h1><form id="f" method="post" action="{html.escape(action)}">'
            f'{inputs}</form><script>document.getElementById("f").submit()</script>').encode()


@pytest.fixture
def other_site():
    """Another site (localhost, where the sandbox is 127.0.0.1): serves the page set in .pages."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(pages.get(self.path, b"<h1>Nothing here</h1>"))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.pages = pages
    server.url = f"http://localhost:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def test_another_sites_forms_are_refused_while_the_dashboard_refunds(page: Page, storefront,
                                                                      other_site):
    key = saved_sandbox_key(Path(storefront.data_dir))
    sandbox = next(s for s in storefront.servers if s.name.startswith("sandbox")).url
    client = stripe.StripeClient(key, base_addresses={"api": sandbox})
    paid = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    still_open = client.v1.checkout.sessions.create(params=session_params())

    page.goto(f"{sandbox}/dashboard")
    page.get_by_label("The sandbox's secret key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()

    forgeries = {
        "/refund": (f"{sandbox}/v1/refunds", {"payment_intent": paid.payment_intent}),
        "/pay": (f"{sandbox}/v1/test_helpers/checkout/sessions/{still_open.id}/complete",
                 {"card": "4242424242424242"}),
        "/coupon": (f"{sandbox}/v1/coupons", {"percent_off": "100", "duration": "forever"}),
        "/dashboard": (f"{sandbox}/dashboard/refunds", {"payment_intent": paid.payment_intent}),
    }
    for path, (action, fields) in forgeries.items():
        other_site.pages[path] = auto_post(action, fields)
        with page.expect_response(action) as answer:
            page.goto(other_site.url + path)
        assert answer.value.status in (401, 403), (path, answer.value.status)
    assert client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data == []
    assert client.v1.checkout.sessions.retrieve(still_open.id).status == "open"
    assert not [c for c in client.v1.coupons.list().data if c.percent_off == 100]

    page.goto(f"{sandbox}/dashboard")
    row = page.locator(f'tr[data-session="{paid.id}"]')
    row.get_by_role("button", name="Refund").click()
    expect(page.get_by_role("status")).to_contain_text("Refunded 3899")
    [refund] = client.v1.refunds.list(params={"payment_intent": paid.payment_intent}).data
    assert refund.amount == 3899
