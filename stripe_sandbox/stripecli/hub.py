"""The CLIs connected right now: their sessions, their websockets, and the exchange of one event with them.

A session is made by `POST /v1/stripecli/sessions`; its websocket id is the only credential the CLI
shows when it dials in. Sessions live in memory: after a restart the CLI's next dial is answered
"Unknown WebSocket ID.", and the CLI then asks for a new session, as it does with Stripe.
"""
from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from websockets.exceptions import ConnectionClosed

from ..api.ids import new_id, random_token

MAX_SESSIONS = 1000  # sessions never dialled in (every `--print-secret` makes one) are dropped oldest first
WEBHOOKS, REQUEST_LOGS = "webhooks", "request_logs"


@dataclass(frozen=True)
class CliSession:
    """What one `POST /v1/stripecli/sessions` asked for."""

    websocket_id: str
    feature: str  # webhooks (stripe listen) or request_logs (stripe logs tail)
    device_name: str
    forwards: bool  # listen was given --forward-to, so each event should come back with an answer
    filters: dict = field(default_factory=dict)  # logs tail's --filter-* options


@dataclass
class Exchange:
    """One event sent to one CLI: whether it acknowledged it, and the answer of its --forward-to."""

    forwards: bool
    acknowledged: bool = False
    response: dict | None = None
    settled: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class Outcome:
    """How delivering one event through the CLIs went, in the terms the delivery log records."""

    status: int | None
    error: str | None
    received: bool = False  # taken by a CLI that forwards nowhere: delivered, with no status to show
    unanswered: bool = False  # taken by a forwarding CLI that sent no answer back


@dataclass
class Listener:
    """One connected websocket and the session it belongs to."""

    session: CliSession
    connection: object  # a websockets ServerConnection
    exchanges: dict[str, Exchange] = field(default_factory=dict)


class CliHub:
    """Every CLI session and connection of this sandbox process, shared by the API and the listener."""

    def __init__(self, on_listening=lambda: None):
        self.on_listening = on_listening  # called when a `stripe listen` connects
        self.lock = threading.Lock()
        self.sessions: OrderedDict[str, CliSession] = OrderedDict()
        self.listeners: list[Listener] = []
        self.websocket_url = ""  # where the CLI dials in; set by the listener once it is bound

    def open_session(self, feature: str, device_name: str, forwards: bool, filters: dict) -> CliSession:
        """A new session with a fresh websocket id."""
        session = CliSession("wsid_" + random_token(40), feature, device_name, forwards, filters)
        with self.lock:
            self.sessions[session.websocket_id] = session
            while len(self.sessions) > MAX_SESSIONS:
                self.sessions.popitem(last=False)
        return session

    def session(self, websocket_id: str) -> CliSession | None:
        """The session with this websocket id, if this process made it."""
        with self.lock:
            return self.sessions.get(websocket_id)

    def attach(self, session: CliSession, connection) -> Listener:
        """Note a CLI that just connected."""
        listener = Listener(session, connection)
        with self.lock:
            self.listeners.append(listener)
        if session.feature == WEBHOOKS:
            self.on_listening()
        return listener

    def detach(self, listener: Listener) -> None:
        """Forget a CLI that went away; events it had not answered count as not received."""
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)
            for exchange in listener.exchanges.values():
                exchange.settled.set()

    def connected(self, feature: str) -> list[Listener]:
        """The CLIs connected for this feature now."""
        with self.lock:
            return [li for li in self.listeners if li.session.feature == feature]

    def receive(self, listener: Listener, text: str) -> None:
        """Take one message from a CLI: an event_ack, or the webhook_response of its --forward-to."""
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        with self.lock:
            exchange = listener.exchanges.get(str(message.get("webhook_conversation_id")))
        if exchange is None:
            return
        if message.get("type") == "event_ack":
            exchange.acknowledged = True
            if not exchange.forwards:
                exchange.settled.set()
        elif message.get("type") == "webhook_response" and isinstance(message.get("status"), int):
            exchange.acknowledged = True
            exchange.response = message
            exchange.settled.set()

    def deliver(self, body: str, headers: dict[str, str], timeout: float) -> Outcome:
        """Send one event to every connected `stripe listen` and wait up to timeout for their answers."""
        listeners = self.connected(WEBHOOKS)
        if not listeners:
            return Outcome(None, "no `stripe listen` is connected")
        sent: list[tuple[Listener, str, Exchange]] = []
        for listener in listeners:
            conversation, exchange = new_id("wc", 20), Exchange(listener.session.forwards)
            with self.lock:
                listener.exchanges[conversation] = exchange
            message = {"type": "webhook_event", "webhook_id": new_id("we", 20),
                       "webhook_conversation_id": conversation, "event_payload": body,
                       "http_headers": headers, "endpoint": {"api_version": None}}
            try:
                listener.connection.send(json.dumps(message))
            except ConnectionClosed:
                exchange.settled.set()
            sent.append((listener, conversation, exchange))
        deadline = time.monotonic() + timeout
        for _, _, exchange in sent:
            exchange.settled.wait(max(0.0, deadline - time.monotonic()))
        with self.lock:
            for listener, conversation, _ in sent:
                listener.exchanges.pop(conversation, None)
        return judge([exchange for _, _, exchange in sent], timeout)


def judge(exchanges: list[Exchange], timeout: float) -> Outcome:
    """One outcome for an event sent to several CLIs: a 2xx answer wins, then any answer, then a receipt."""
    answers = [e.response["status"] for e in exchanges if e.response is not None]
    success = [s for s in answers if 200 <= s < 300]
    if success or answers:
        status = (success or answers)[0]
        return Outcome(status, None if success else f"HTTP {status} (through stripe listen)")
    acknowledged = [e for e in exchanges if e.acknowledged]
    if acknowledged and not any(e.forwards for e in acknowledged):
        return Outcome(None, "received by stripe listen, which has no --forward-to", received=True)
    if acknowledged:
        # The CLI says nothing more when its POST failed, nor for a type left out of its --events.
        return Outcome(None, "stripe listen received it and forwarded nothing: its --forward-to did not "
                             "answer, or the type is not in its --events", unanswered=True)
    return Outcome(None, f"stripe listen did not acknowledge the event within {timeout:g} s")
