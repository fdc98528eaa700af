"""Slow and idle clients for a server under test: connections that never send, or trickle a
POST body a byte a second, held open while the real requests go on."""
from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit

import requests

from harness.webhook_signing import checkout_event, signed

HOLD_SECONDS = 20
IDLE, TRICKLING = 150, 50  # 200 connections: some never send, some trickle a body


def hold_connections(port: int, stop: threading.Event) -> list[socket.socket]:
    """Open IDLE silent sockets and TRICKLING ones that send a POST's body a byte a second."""
    opened = []
    for n in range(IDLE + TRICKLING):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if n >= IDLE:
            sock.sendall(b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                         b"\r\nContent-Length: 100000\r\n\r\n{")
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


def deliveries_while_held(url: str, secret: str) -> list[tuple[int, float]]:
    """Hold the slow connections against url's port for HOLD_SECONDS while a signed webhook
    (customer.created: verified, nothing to fulfil) is posted to url/webhook every half second;
    return each delivery's status code and seconds to its answer."""
    stop = threading.Event()
    held: list[socket.socket] = []
    answers = []
    try:
        held = hold_connections(urlsplit(url).port, stop)
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline:
            body, headers = signed(checkout_event("cs_test_x", event_type="customer.created"),
                                   secret)
            started = time.monotonic()
            response = requests.post(f"{url}/webhook", data=body, headers=headers, timeout=5)
            answers.append((response.status_code, time.monotonic() - started))
            time.sleep(0.5)
    finally:
        stop.set()
        for sock in held:
            sock.close()
    return answers
