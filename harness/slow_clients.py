"""Slow and idle clients for a server under test: connections that never send, or trickle a
POST body a byte a second, held open while the real requests go on."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests

from harness.webhook_signing import checkout_event, signed

HOLD_SECONDS = 20
IDLE, TRICKLING = 150, 50  # 200 connections: some never send, some trickle a body
# A POST head promising a body of 100,000 bytes, of which the trickling clients send one a second.
WEBHOOK_HEAD = (b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                b"\r\nContent-Length: 100000\r\n\r\n{")


def hold_connections(port: int, stop: threading.Event,
                     head: bytes = WEBHOOK_HEAD) -> list[socket.socket]:
    """Open IDLE silent sockets and TRICKLING ones that send head, then a byte a second."""
    opened = []
    for n in range(IDLE + TRICKLING):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n >= IDLE:
            sock.sendall(head)
        opened.append(sock)

    def trickle():
        while not stop.wait(1.0):
            for sock in opened[IDLE:]:
                try:
                    sock.sendall(b" ")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return opened


def answers_while_held(port: int, call: Callable[[], int],
                       head: bytes = WEBHOOK_HEAD) -> list[tuple[int, float]]:
    """Hold the slow connections against port for HOLD_SECONDS while call() (returning an HTTP
    status) runs every half second; return each call's status and seconds to its answer."""
    stop = threading.Event()
    held: list[socket.socket] = []
    answers = []
    try:
        held = hold_connections(port, stop, head)
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline:
            started = time.monotonic()
            status = call()
            answers.append((status, time.monotonic() - started))
            time.sleep(0.5)
    finally:
        stop.set()
        for sock in held:
            sock.close()
    return answers


def deliveries_while_held(url: str, secret: str) -> list[tuple[int, float]]:
    """answers_while_held for a webhook endpoint at url/webhook: a signed event (customer.created:
    verified, nothing to fulfil) posted every half second."""
    def deliver() -> int:
        body, headers = signed(checkout_event("cs_test_x", event_type="customer.created"), secret)
        return requests.post(f"{url}/webhook", data=body, headers=headers, timeout=5).status_code

    return answers_while_held(urlsplit(url).port, deliver)
