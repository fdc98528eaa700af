"""Hostile input at /webhook: fuzzed bodies, headers and signatures are refused with a 4xx and
write nothing; signed junk never causes a 5xx; the issue's named cases, one line each."""
from __future__ import annotations

import json
import time

import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.waiting import wait_until
from harness.webhook_signing import checkout_event, signature_header, signed
from lib.config.settings import build_settings
from lib.config.stripe_client import make_stripe_client
from lib.stores.sqlite.orders import SqliteOrderStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog
from tests.fixtures_app import LoggedClient
from tests.fixtures_stores import last_logged_outcome
from webhook_server import create_app, shutdown

SECRET = "whsec_test_reliability_fuzz"
FUZZ = settings(max_examples=1600, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SIGNED_FUZZ = settings(max_examples=600, deadline=None,
                       suppress_health_check=[HealthCheck.too_slow,
                                              HealthCheck.data_too_large])


class WriteCountingStore(SqliteOrderStore):
    """A real SQLite store that counts every attempt to write."""

    writes = 0

    def create_order(self, order):
        type(self).writes += 1
        return super().create_order(order)

    def advance_status(self, *args, **kwargs):
        type(self).writes += 1
        return super().advance_status(*args, **kwargs)


class NoSuchSession:
    """A Stripe client that has no sessions at all, as Stripe answers for a forged id."""

    def raw_request(self, method, path, **params):
        raise stripe.InvalidRequestError(f"No such checkout.session: '{path}'", "id",
                                         code="resource_missing", http_status=404)


def make_sidecar(tmp_path, build, client=None):
    """The sidecar app (made by build: create_app, or the sidecar_app fixture) on a tmp store
    and log, with Stripe played by client."""
    settings_ = build_settings({"DATA_DIR": str(tmp_path), "STRIPE_WEBHOOK_SECRET": SECRET})
    store = WriteCountingStore(tmp_path / "orders.sqlite3")
    log = SqliteWebhookLog(tmp_path / "webhook_log.sqlite3")
    app = build(settings_, store=store, stripe_client=client or NoSuchSession(), event_log=log)
    app.test_client_class = LoggedClient  # each answer's log line written before it returns
    return app.test_client(), store, log


@pytest.fixture(scope="module")
def sidecar(tmp_path_factory):
    """One sidecar for the whole fuzz (hypothesis reuses it across examples)."""
    client, store, log = make_sidecar(tmp_path_factory.mktemp("fuzz"), create_app)
    WriteCountingStore.writes = 0
    yield client, store, log
    shutdown(client.application)
    assert WriteCountingStore.writes == 0, "a refused delivery reached the store"


def rows(store) -> int:
    """Orders in the store, whoever they belong to."""
    return store._connection().execute("SELECT COUNT(*) FROM orders").fetchone()[0]


header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=200)
hex_digest = st.text("0123456789abcdef", min_size=0, max_size=70)
stamp = st.integers(min_value=-10**12, max_value=10**12).map(str) | header_text.map(lambda s: s[:12])


@st.composite
def signature_headers(draw, body: bytes):
    """Signature headers an attacker could send: random text, Stripe-shaped parts with random
    or old/future values, the right scheme under the wrong secret, or none."""
    now = int(time.time())
    kind = draw(st.sampled_from(["none", "text", "parts", "wrong_secret", "stale", "v0"]))
    if kind == "none":
        return None
    if kind == "text":
        return draw(header_text)
    if kind == "parts":
        parts = draw(st.lists(st.tuples(st.sampled_from(["t", "v1", "v0", "x", ""]),
                                        stamp | hex_digest), max_size=6))
        return ",".join(f"{k}={v}" for k, v in parts)
    if kind == "wrong_secret":
        return signature_header(body, draw(st.text(min_size=1, max_size=40)).encode(
            "utf-8", "replace").decode("latin-1"), now)
    if kind == "stale":
        return signature_header(body, SECRET, now - draw(st.integers(301, 10**9)))
    good = signature_header(body, SECRET, now)
    return good.replace("v1=", "v0=")


bodies = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(str.encode),
    st.builds(lambda sid, kind: json.dumps(checkout_event(sid, event_type=kind)).encode(),
              st.text(max_size=40).map(lambda s: "cs_" + s),
              st.sampled_from(["checkout.session.completed",
                               "checkout.session.async_payment_succeeded",
                               "checkout.session.async_payment_failed"])),
)


@FUZZ
@given(data=st.data(), body=bodies)
def test_fuzzed_deliveries_are_refused_and_write_nothing(sidecar, data, body):
    client, store, log = sidecar
    header = data.draw(signature_headers(body))
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    response = client.post("/webhook", data=body, headers=headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.get_json())
    assert rows(store) == 0
    assert last_logged_outcome(log) == "rejected"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                               max_size=4),
    max_leaves=20)
event_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["checkout.session.completed", "checkout.session.expired",
                              "checkout.session.async_payment_failed", "charge.refunded"])
     | st.text(max_size=30) | json_values,
     "data": st.fixed_dictionaries({"object": json_values | st.fixed_dictionaries(
         {"id": st.text(max_size=30) | st.text(max_size=20).map(lambda s: "cs_" + s)
          | json_values, "metadata": json_values, "customer_email": json_values})})
     | json_values},
    optional={"id": json_values})


@SIGNED_FUZZ
@given(event=json_values | event_like)
def test_signed_junk_never_causes_a_5xx_or_a_write(sidecar, event):
    """Even with the secret (a leaked one, or Stripe sending a shape we never saw), no 5xx."""
    client, store, _ = sidecar
    body = json.dumps(event).encode()
    response = client.post("/webhook", data=body,
                           headers={"Stripe-Signature": signature_header(body, SECRET)})
    assert response.status_code < 500, (response.status_code, response.get_json())
    assert rows(store) == 0


def _event_body() -> bytes:
    return json.dumps(checkout_event("cs_test_named_case"), indent=2).encode()


def _reserialised() -> tuple[bytes, dict]:
    body, headers = signed(checkout_event("cs_test_named_case"), SECRET)
    return json.dumps(json.loads(body), separators=(",", ":")).encode(), headers


def _non_utf8() -> tuple[bytes, dict]:
    body = b'{"type": "checkout.session.completed", "id": "evt_\xff\xfe"}'
    return body, {"Stripe-Signature": signature_header(body, SECRET)}


NOW = int(time.time())
NAMED = {
    "no header": lambda: (_event_body(), {}),
    "empty header": lambda: (_event_body(), {"Stripe-Signature": ""}),
    "v0 only": lambda: (_event_body(), {"Stripe-Signature": signature_header(
        _event_body(), SECRET).replace("v1=", "v0=")}),
    "wrong secret": lambda: signed(checkout_event("cs_test_named_case"), "whsec_not_ours"),
    "tampered body": lambda: (lambda b, h: (b.replace(b"cs_test", b"cs_evil"), h))(
        *signed(checkout_event("cs_test_named_case"), SECRET)),
    "re-serialised JSON": _reserialised,
    "timestamp 301 s old": lambda: signed(checkout_event("cs_test_named_case"), SECRET,
                                          int(time.time()) - 301),
    "far-future timestamp, valid signature": lambda: signed(
        checkout_event("cs_test_named_case"), SECRET, int(time.time()) + 10 * 365 * 86400),
    "2 MiB body": lambda: (lambda b: (b, {"Stripe-Signature": signature_header(b, SECRET)}))(
        json.dumps({"type": "checkout.session.completed", "pad": "x" * 2 * 2**20}).encode()),
    "non-UTF-8 bytes, valid signature": _non_utf8,
    "non-UTF-8 bytes, no signature": lambda: (b"\xff\xfe\x00garbage\x80", {}),
}


@pytest.mark.parametrize("case", list(NAMED))
def test_named_hostile_cases_are_4xx_and_write_nothing(tmp_path, case, sidecar_app):
    client, store, _ = make_sidecar(tmp_path, sidecar_app)
    WriteCountingStore.writes = 0
    body, headers = NAMED[case]()
    response = client.post("/webhook", data=body, headers=headers)
    assert 400 <= response.status_code < 500
    assert (response.status_code == 413) == (case == "2 MiB body")
    assert rows(store) == 0 and WriteCountingStore.writes == 0


def test_valid_signature_for_a_session_stripe_does_not_have(sandbox, tmp_path, sidecar_app):
    """The event is signed, so it is inboxed and answered 200; the worker hears 404 from a real
    sandbox, gives the event up as failed (resending cannot help) and records nothing."""
    settings_ = build_settings({"STRIPE_API_BASE": sandbox.url, "DATA_DIR": str(tmp_path)})
    client, store, log = make_sidecar(tmp_path, sidecar_app, make_stripe_client(settings_))
    event = checkout_event("cs_test_" + "9" * 58)
    body, headers = signed(event, SECRET)
    response = client.post("/webhook", data=body, headers=headers)
    assert response.status_code == 200 and log.recent(1)[0].outcome == "queued"
    inbox = client.application.extensions["storefront"].inbox
    wait_until(lambda: inbox.get(event["id"]).state == "failed", timeout=60)
    assert inbox.get(event["id"]).last_error == "Stripe has no such checkout session"
    assert rows(store) == 0
