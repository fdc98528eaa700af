"""The websocket the CLI dials after its session: its own port beside waitress (which cannot upgrade),
served by the `websockets` library in a thread started and stopped with the sandbox process."""
from __future__ import annotations

import json
import logging
import socket
import threading
from http import HTTPStatus

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from .hub import CliHub

log = logging.getLogger("stripe_sandbox.stripecli")
# The library's own lines (every handshake, open and close) only when something goes wrong.
protocol_log = logging.getLogger("stripe_sandbox.stripecli.websocket")
protocol_log.setLevel(logging.WARNING)
PATH = "/v1/stripecli/websocket"
SUBPROTOCOL = "stripecli-devproxy-v1"
# The words the CLI looks for to know its session is gone and a new one is needed.
UNKNOWN_ID = "Unknown WebSocket ID."


def bind(host: str, port: int, fixed: bool) -> socket.socket:
    """A listening socket on host:port; a port that was only a default falls back to any free one."""
    try:
        return socket.create_server((host, port))
    except OSError:
        if fixed:
            raise SystemExit(f"SANDBOX_CLI_PORT={port} is taken on {host}: stop what listens there, "
                             "or set SANDBOX_CLI_PORT to a free port (0: any free port)") from None
        return socket.create_server((host, 0))


def refusal(connection: ServerConnection, status: HTTPStatus, message: str):
    """An HTTP answer instead of the upgrade, with Stripe's error body the CLI reads."""
    response = connection.respond(status, json.dumps({"error": {"message": message}}))
    response.headers["Content-Type"] = "application/json"
    return response


class CliListener:
    """Accepts CLIs whose Websocket-Id names a session, and relays their messages to the hub."""

    def __init__(self, hub: CliHub, host: str, port: int, public_url: str = "", fixed: bool = False):
        self.hub = hub
        self.sock = bind(host, port, fixed)
        self.port = self.sock.getsockname()[1]
        self.url = (public_url or f"ws://127.0.0.1:{self.port}").rstrip("/") + PATH
        self.server: Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve in a background thread; the hub learns the URL sessions hand out."""
        # No compression (the CLI asks for identity) and no pings of ours: the CLI pings every 2 s.
        self.server = serve(self.handle, sock=self.sock, process_request=self.check,
                            subprotocols=[SUBPROTOCOL], compression=None, ping_interval=None,
                            logger=protocol_log)
        self.hub.websocket_url = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, name="stripecli-listener",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop accepting, close every CLI's connection, and wait briefly for the thread."""
        if self.server is None:
            return
        self.server.shutdown()
        for listener in self.hub.connected("webhooks") + self.hub.connected("request_logs"):
            listener.connection.close()
        if self.thread is not None:
            self.thread.join(5)

    def check(self, connection: ServerConnection, request):
        """Refuse a dial whose websocket id or feature does not match a session; else let it upgrade."""
        session = self.hub.session(request.headers.get("Websocket-Id", ""))
        if session is None:
            return refusal(connection, HTTPStatus.UNAUTHORIZED, UNKNOWN_ID)
        feature = request.path.partition("websocket_feature=")[2].partition("&")[0]
        if feature != session.feature:
            return refusal(connection, HTTPStatus.BAD_REQUEST,
                           f"This session is for {session.feature}, not {feature or 'no feature'}.")
        return None

    def handle(self, connection: ServerConnection) -> None:
        """Hold one CLI's connection: hand each message to the hub until the CLI goes away."""
        session = self.hub.session(connection.request.headers.get("Websocket-Id", ""))
        if session is None:  # dropped between the check and now
            return
        listener = self.hub.attach(session, connection)
        log.info("stripe CLI connected for %s from %s", session.feature, session.device_name or "?")
        try:
            for message in connection:
                if isinstance(message, str):
                    self.hub.receive(listener, message)
        except ConnectionClosed:
            pass
        finally:
            self.hub.detach(listener)
            log.info("stripe CLI for %s disconnected", session.feature)
