"""The Stripe CLI's wire protocol against a real sandbox, spoken by a small Python client (the official CLI
itself runs in tests/test_stripe_cli.py): sessions, the websocket, deliveries, request logs, resend."""
from __future__ import annotations

import json
import threading
import time
from contextlib import ExitStack

import pytest
import requests
import stripe
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from stripe_sandbox.stripecli.delivery import UNANSWERED_TRIES, deliver_to_cli
from stripe_sandbox.stripecli.hub import Outcome
from tests.fixtures_sandbox import complete_session, session_params, stripe_client_for

SUBPROTOCOL = "stripecli-devproxy-v1"


def open_session(box, feature: str = "webhooks", **form) -> dict:
    """POST /v1/stripecli/sessions as the CLI sends it (Bearer key, form body, no Stripe-Version)."""
    reply = requests.post(f"{box.url}/v1/stripecli/sessions", headers={"Authorization": f"Bearer {box.api_key}"},
                          data={"device_name": "test-device", "websocket_features[]": feature, **form})
    assert reply.status_code == 200, reply.text
    return reply.json()


class FakeCli:
    """A websocket client doing what `stripe listen` does with each event: ack it, then answer it."""

    def __init__(self, session: dict, answer_status: int | None = 200):
        self.answer_status = answer_status  # None: ack only, as a CLI forwarding nowhere does
        self.events: list[dict] = []
        self.stack = ExitStack()
        self.socket = self.stack.enter_context(connect(
            f"{session['websocket_url']}?websocket_feature={session['websocket_authorized_feature']}",
            additional_headers={"Websocket-Id": session["websocket_id"]}, subprotocols=[SUBPROTOCOL]))
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        """Answer every webhook_event until the connection closes."""
        for raw in self.socket:
            message = json.loads(raw)
            self.events.append(message)
            if message.get("type") != "webhook_event":
                continue
            event = json.loads(message["event_payload"])
            ids = {"webhook_conversation_id": message["webhook_conversation_id"],
                   "webhook_id": message["webhook_id"]}
            self.socket.send(json.dumps({"type": "event_ack", "event_id": event["id"], **ids}))
            if self.answer_status is not None:
                self.socket.send(json.dumps({"type": "webhook_response", "status": self.answer_status,
                                             "forward_url": "http://127.0.0.1:4242/webhook",
                                             "http_headers": {}, "body": "{}", **ids}))

    def wait_for(self, count: int, kind: str = "webhook_event", timeout: float = 10) -> list[dict]:
        """The first count messages of this kind, waiting for them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.events if m["type"] == kind]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} {kind} messages, got {self.events}")

    def close(self) -> None:
        """Hang up, as Ctrl-C does."""
        self.stack.close()
        self.thread.join(5)


def deliveries(box, event_id: str) -> dict:
    """The inspector's view of one event."""
    events = requests.get(f"{box.url}/_sandbox/events", params={"limit": 100}, auth=(box.api_key, "")).json()
    return next(e for e in events if e["id"] == event_id)


def wait_state(box, event_id: str, state: str, attempts: int = 0, timeout: float = 10) -> dict:
    """Poll until the event's delivery reaches state with at least this many attempts logged."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = deliveries(box, event_id)
        if found["state"] == state and len(found["attempts"]) >= attempts:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{event_id} never reached {state} after {attempts} attempts: {found}")


def paid_event_id(box) -> str:
    """Pay a new session and return the id of its checkout.session.completed event."""
    client = stripe_client_for(box)
    session = complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)
    events = requests.get(f"{box.url}/_sandbox/events", auth=(box.api_key, "")).json()
    return next(e["id"] for e in events if e["object_id"] == session.id)


def test_a_session_names_the_websocket_the_secret_and_the_version(sandbox):
    session = open_session(sandbox, forward_to_url="localhost:4242/webhook")
    assert set(session) == {"websocket_url", "websocket_id", "websocket_authorized_feature", "secret",
                            "reconnect_delay", "display_connect_filter_warning", "default_version",
                            "latest_version", "device_token"}
    assert session["websocket_url"].startswith("ws://127.0.0.1:")
    assert session["websocket_authorized_feature"] == "webhooks"
    assert session["secret"] == sandbox.webhook_secret
    assert session["default_version"] == session["latest_version"] == stripe.api_version
    assert session["reconnect_delay"] > 0 and session["websocket_id"] != open_session(sandbox)["websocket_id"]


def test_a_session_needs_the_key_and_refuses_thin_events_by_name(sandbox):
    anonymous = requests.post(f"{sandbox.url}/v1/stripecli/sessions", data={"websocket_features[]": "webhooks"})
    assert anonymous.status_code == 401
    thin = requests.post(f"{sandbox.url}/v1/stripecli/sessions", auth=(sandbox.api_key, ""),
                         data={"websocket_features[]": "v2_events"})
    assert thin.status_code == 400 and "thin events" in thin.json()["error"]["message"]


def test_the_websocket_refuses_an_unknown_id_with_the_words_the_cli_looks_for(sandbox):
    session = open_session(sandbox)
    with pytest.raises(InvalidStatus) as refused, connect(
            f"{session['websocket_url']}?websocket_feature=webhooks",
            additional_headers={"Websocket-Id": "wsid_guessed"}):
        pass
    assert refused.value.response.status_code == 401
    assert json.loads(refused.value.response.body)["error"]["message"] == "Unknown WebSocket ID."


def test_an_event_reaches_the_cli_signed_and_its_answer_is_the_attempt(start_sandbox):
    box = start_sandbox()
    cli = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"), answer_status=201)
    try:
        event_id = paid_event_id(box)
        [message] = cli.wait_for(1)
        headers = message["http_headers"]
        event = stripe.Webhook.construct_event(message["event_payload"], headers["Stripe-Signature"],
                                               open_session(box)["secret"])
        assert event.id == event_id and event.type == "checkout.session.completed"
        assert message["endpoint"] == {"api_version": None}
        assert headers["Content-Type"].startswith("application/json")
        seen = wait_state(box, event_id, "delivered")
        assert [(a["url"], a["status_code"]) for a in seen["attempts"]] == [("stripe listen", 201)]
    finally:
        cli.close()


def test_events_wait_while_no_cli_is_connected_and_go_when_one_connects(start_sandbox):
    box = start_sandbox(SANDBOX_RETRY_BASE_SECONDS="30", SANDBOX_MAX_ATTEMPTS="0")
    first = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"))
    first.close()
    event_id = paid_event_id(box)
    waiting = wait_state(box, event_id, "pending", attempts=1)
    assert waiting["attempts"][0]["error"] == "no `stripe listen` is connected"
    assert waiting["deliveries"][0]["next_attempt_at"] > time.time() + 10  # the usual backoff
    again = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"))
    try:
        assert json.loads(again.wait_for(1)[0]["event_payload"])["id"] == event_id
        assert [a["status_code"] for a in wait_state(box, event_id, "delivered")["attempts"]] == [None, 200]
    finally:
        again.close()


def test_a_failing_endpoint_behind_the_cli_is_retried_and_an_unforwarded_event_is_received(start_sandbox):
    box = start_sandbox()
    failing = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"), answer_status=500)
    try:
        event_id = paid_event_id(box)
        failing.wait_for(2)  # the first try and its retry
        assert deliveries(box, event_id)["attempts"][0]["status_code"] == 500
    finally:
        failing.close()
    printing = FakeCli(open_session(box), answer_status=None)  # `stripe listen` with no --forward-to
    try:
        received = wait_state(box, event_id, "delivered")
        assert received["attempts"][-1]["error"] == "received by stripe listen, which has no --forward-to"
    finally:
        printing.close()


def test_a_forwarding_cli_that_only_acknowledges_is_tried_again(start_sandbox):
    """What the CLI does when its --forward-to is down (or the type is not in its --events)."""
    box = start_sandbox(SANDBOX_RETRY_BASE_SECONDS="30")
    silent = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"), answer_status=None)
    try:
        event_id = paid_event_id(box)
        waiting = wait_state(box, event_id, "pending", attempts=1)
        assert "forwarded nothing" in waiting["attempts"][0]["error"]
        assert waiting["deliveries"][0]["next_attempt_at"] > time.time() + 10
    finally:
        silent.close()


class UnansweringHub:
    """A hub whose every CLI acknowledges and forwards nothing."""

    def deliver(self, body, headers, timeout) -> Outcome:
        """The outcome of a CLI that only acknowledged."""
        return Outcome(None, "forwarded nothing", unanswered=True)


def test_an_event_only_ever_acknowledged_counts_as_received_after_a_few_tries():
    early = deliver_to_cli(UnansweringHub(), "{}", {}, attempts_so_far=0)
    last = deliver_to_cli(UnansweringHub(), "{}", {}, attempts_so_far=UNANSWERED_TRIES - 1)
    assert (early.received, last.received) == (False, True)
    assert "counted as received" in last.error


def test_events_resend_queues_the_event_for_the_cli_again(start_sandbox):
    box = start_sandbox()
    cli = FakeCli(open_session(box, forward_to_url="localhost:4242/webhook"))
    try:
        event_id = paid_event_id(box)
        cli.wait_for(1)
        reply = requests.post(f"{box.url}/v1/events/{event_id}/retry", data={"for_stripecli": "true"},
                              auth=(box.api_key, ""))
        assert reply.status_code == 200 and reply.json()["id"] == event_id
        assert [json.loads(m["event_payload"])["id"] for m in cli.wait_for(2)] == [event_id, event_id]
        missing = requests.post(f"{box.url}/v1/events/evt_nope/retry", data={"for_stripecli": "true"},
                                auth=(box.api_key, ""))
        assert missing.status_code == 404
    finally:
        cli.close()


def test_logs_tail_gets_each_api_request_and_its_error(sandbox, sandbox_client):
    session = open_session(sandbox, "request_logs", filters=json.dumps({"filter_http_method": ["GET"]}))
    tail = FakeCli(session)
    try:
        with pytest.raises(stripe.InvalidRequestError):
            sandbox_client.v1.checkout.sessions.retrieve("cs_test_missing")
        sandbox_client.v1.checkout.sessions.create(params=session_params())  # a POST: filtered out
        sandbox_client.v1.checkout.sessions.list()
        first, second = (json.loads(m["event_payload"]) for m in tail.wait_for(2, "request_log_event"))
        assert (first["method"], first["url"], first["status"]) == ("GET", "/v1/checkout/sessions/cs_test_missing",
                                                                    404)
        assert first["request_id"].startswith("req_") and first["error"]["code"] == "resource_missing"
        assert (second["url"], second["status"], second["error"]) == ("/v1/checkout/sessions", 200, {})
    finally:
        tail.close()
