"""Fixtures for the Stripe sandbox: a running sandbox, a factory for custom ones, an SDK client, a webhook receiver."""
from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import stripe

from harness.processes import Server, free_port, python_module, start
from lib.checkout.session import start_checkout
from lib.shop.basket import Basket
from lib.shop.catalog import load_catalog
from lib.shoppers.identity import demo_shopper

# The key the test sandboxes are given (the app's settings send it by default, without SANDBOX_API_KEY).
TEST_API_KEY = "sk_test_sandbox"
# Short timings so retries and the delayed payment happen within a test's patience.
FAST_ENV = {
    "SANDBOX_RETRY_BASE_SECONDS": "0.2",
    "SANDBOX_MAX_ATTEMPTS": "5",
    "SANDBOX_ASYNC_DELAY_SECONDS": "0.5",
    "SANDBOX_WEBHOOK_URL": "",
    "SANDBOX_PUBLIC_URL": "",
    "SANDBOX_API_KEY": TEST_API_KEY,
    "SANDBOX_CLI_PORT": "0",  # the Stripe CLI's websocket on any free port, never a neighbour's
}


@dataclass
class SandboxHandle:
    """A running sandbox process: its base URL, its API key, the secret it signs webhooks with, its state directory."""

    server: Server
    url: str
    webhook_secret: str
    data_dir: Path
    api_key: str = TEST_API_KEY
    env: dict = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the process gracefully (SIGTERM)."""
        self.server.stop()

    def kill(self) -> None:
        """Kill the process at once, as a crash would."""
        self.server.kill()


def launch_sandbox(log_dir: Path, data_dir: Path, **env) -> SandboxHandle:
    """Start `python -m stripe_sandbox` on a free port with fast test timings; env overrides them (None unsets)."""
    port = free_port()
    merged = {**FAST_ENV, "STRIPE_WEBHOOK_SECRET": "whsec_test_" + secrets.token_hex(16), **env,
              "SANDBOX_PORT": str(port), "DATA_DIR": str(data_dir)}
    full_env = {k: v for k, v in merged.items() if v is not None}
    name = f"stripe_sandbox_{port}"
    server = start(name, python_module("stripe_sandbox"), full_env, log_dir, "/healthz", port)
    # The sandbox prints its secret before serving, so it is in the log once /healthz answers.
    match = re.search(r"webhook signing secret is (whsec_\S+)", server.log())
    if match is None:
        server.stop()
        raise RuntimeError(f"sandbox did not print its webhook secret:\n{server.log()}")
    key = re.search(r"sandbox secret key is (sk_test_\w+)", server.log())
    if key is None:
        server.stop()
        raise RuntimeError(f"sandbox did not print its API key:\n{server.log()}")
    return SandboxHandle(server, server.url, match.group(1), Path(data_dir), key.group(1), full_env)


def stripe_client_for(handle: SandboxHandle, api_key: str | None = None) -> stripe.StripeClient:
    """An official SDK client aimed at the sandbox with its key, or api_key (no SDK global is touched)."""
    return stripe.StripeClient(api_key or handle.api_key, base_addresses={"api": handle.url})


def complete_session(client: stripe.StripeClient, session_id: str, **params) -> stripe.checkout.Session:
    """Call the sandbox's test helper that pays a session; declines raise stripe.CardError."""
    response = client.raw_request("post", f"/v1/test_helpers/checkout/sessions/{session_id}/complete", **params)
    return client.deserialize(response, api_mode="V1")


def session_params(**overrides) -> dict:
    """A valid payment-mode create request (two items, USD); keyword arguments replace top-level params."""
    params = {
        "mode": "payment",
        "line_items": [
            {"price_data": {"currency": "usd", "unit_amount": 1500,
                            "product_data": {"name": "Enamel mug", "images": ["https://example.com/mug.png"]}},
             "quantity": 2},
            {"price_data": {"currency": "usd", "unit_amount": 899, "product_data": {"name": "Sticker pack"}},
             "quantity": 1},
        ],
        "success_url": "http://127.0.0.1:8501/success?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://127.0.0.1:8501/basket",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


@dataclass
class ReceivedWebhook:
    """One request the receiver got: raw body, headers and arrival time."""

    body: bytes
    headers: dict
    at: float

    def json(self) -> dict:
        """The body parsed as JSON."""
        return json.loads(self.body)


class WebhookReceiver:
    """A tiny local HTTP endpoint that records every POST and can answer 500 to the first N of them."""

    def __init__(self, fail_first: int = 0, fail_status: int = 500, port: int = 0):
        self.received: list[ReceivedWebhook] = []
        self.fail_first = fail_first
        self.fail_status = fail_status
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            """Records each POST; fails the first fail_first of them."""

            def do_POST(self):  # noqa: N802 - http.server's naming
                """Record the request and answer 200, or fail_status while still failing."""
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.received.append(ReceivedWebhook(body, dict(self.headers), time.time()))
                    failing = len(receiver.received) <= receiver.fail_first
                self.send_response(receiver.fail_status if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Keep test output quiet."""
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def wait_for(self, count: int = 1, timeout: float = 60, event_type: str | None = None) -> list[ReceivedWebhook]:
        """Wait until at least count requests (of event_type, if given) arrived; return them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                hits = [r for r in self.received if event_type is None or r.json().get("type") == event_type]
            if len(hits) >= count:
                return hits
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} webhook(s) of {event_type or 'any type'}, "
                                     f"got {len(hits)} in {timeout}s")
            time.sleep(0.05)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_receiver():
    """A running WebhookReceiver (set .fail_first to make it answer 500 first)."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def start_sandbox(tmp_path):
    """Factory: start_sandbox(data_dir=None, **env) -> SandboxHandle; all it starts are stopped after the test."""
    started: list[SandboxHandle] = []

    def _start(data_dir: Path | None = None, **env) -> SandboxHandle:
        handle = launch_sandbox(tmp_path, data_dir or tmp_path / f"data{len(started)}", **env)
        started.append(handle)
        return handle

    yield _start
    for handle in started:
        handle.stop()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A sandbox shared by a test module, with its own state directory; it delivers webhooks nowhere."""
    base = tmp_path_factory.mktemp("sandbox")
    handle = launch_sandbox(base, base / "data")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def slow_transfer_sandbox(tmp_path_factory):
    """A sandbox shared by a test module whose bank transfers stay unpaid for a minute, so a
    page that loads slowly on a busy machine still sees one awaiting payment."""
    base = tmp_path_factory.mktemp("sandbox")
    handle = launch_sandbox(base, base / "data", SANDBOX_ASYNC_DELAY_SECONDS="60")
    yield handle
    handle.stop()


@pytest.fixture
def counting_sandbox(tmp_path):
    """A real sandbox process that counts the requests it serves (harness/counting_sandbox.py),
    with its state in tmp_path/sandbox."""
    port = free_port()
    env = {**FAST_ENV, "SANDBOX_PORT": port, "DATA_DIR": tmp_path / "sandbox",
           "STRIPE_WEBHOOK_SECRET": "whsec_test_" + secrets.token_hex(16)}
    server = start(f"counting_sandbox_{port}", python_module("harness.counting_sandbox"), env,
                   tmp_path, "/healthz", port)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sandbox_client(sandbox) -> stripe.StripeClient:
    """A StripeClient for the module's sandbox."""
    return stripe_client_for(sandbox)


def post_hosted_form(url: str, form: dict, browser: requests.Session | None = None) -> requests.Response:
    """Open the hosted page as a browser does (its cookie, the page's form token), then post form."""
    browser = browser or requests.Session()
    page = browser.get(url)
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token, f"no form token on the page ({page.status_code})"
    return browser.post(url, data={**form, "form_token": token.group(1)}, allow_redirects=False)


def session_from_basket(settings, client, baskets, shopper, lines: dict, pay: bool = True,
                        **pay_params) -> stripe.checkout.Session:
    """Fill the shopper's basket with lines, start checkout from it as the app does, and pay
    (unless pay=False) through the test helper with pay_params; return the session."""
    basket = baskets.update(shopper.key, lambda _: dict(lines))
    catalog = load_catalog(settings.catalog_path, settings.store_currency)
    session = start_checkout(client, basket, catalog, shopper, settings)
    if pay:
        complete_session(client, session.id, **pay_params)
    return session


def paid_session(client, catalog, settings, version=1, shopper=None):
    """A session created from a basket (for Ada Lovelace unless shopper is given) and paid with
    4242 through the test helper."""
    shopper = shopper or demo_shopper("Ada Lovelace", "ada@example.com")
    basket = Basket({"aurora-kettle": 1, "meridian-cotton-tee": 2}, version)
    session = start_checkout(client, basket, catalog, shopper, settings)
    complete_session(client, session.id)
    return session
