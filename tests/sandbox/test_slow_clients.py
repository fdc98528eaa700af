"""The sandbox under slow, idle and oversized clients: a body is refused on its head alone (wrong
key, or longer than the limit), and 200 idle or trickling connections leave /healthz and the API
answering within a second."""
import base64
import socket
import time

import pytest
import requests

from harness.slow_clients import answers_while_held
from stripe_sandbox.api.gate import MAX_BODY
from tests.fixtures_sandbox import stripe_client_for

TWENTY_MIB = 20 * 1024 * 1024


def head_only(url: str, key: str, length: int, path: str = "/v1/coupons") -> tuple[float, bytes]:
    """Send a POST's head (promising length bytes) and none of its body; (seconds to the answer,
    the answer's first bytes)."""
    port = int(url.rsplit(":", 1)[1])
    auth = base64.b64encode(f"{key}:".encode()).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode())
        answer = sock.recv(4096)
        return time.monotonic() - started, answer


@pytest.mark.parametrize("key, length, status", [
    ("sk_test_wrong", TWENTY_MIB, b"401"),           # the wrong key: nothing read
    (None, MAX_BODY + 1, b"413"),                     # the right key, a body over the limit
])
def test_a_body_is_refused_before_it_is_sent(sandbox, key, length, status):
    seconds, answer = head_only(sandbox.url, key or sandbox.api_key, length)
    assert answer.startswith(b"HTTP/1.1 " + status) and seconds < 1.0, answer
    assert b'"error"' in answer or b"content-type: application/json" in answer.lower()


def test_a_body_at_the_limit_is_still_read(sandbox):
    answer = requests.post(f"{sandbox.url}/v1/coupons", auth=(sandbox.api_key, ""),
                           data={"percent_off": "5", "duration": "once", "name": "x" * 40,
                                 "metadata[pad]": "p" * 400})
    assert answer.status_code == 200


def test_200_idle_and_trickling_clients_leave_healthz_and_the_api_answering(sandbox):
    client = stripe_client_for(sandbox)
    calls = iter(range(10_000))

    def call() -> int:
        if next(calls) % 2:
            client.v1.checkout.sessions.list(params={"limit": 1})
            return 200
        return requests.get(f"{sandbox.url}/healthz", timeout=5).status_code

    auth = base64.b64encode(f"{sandbox.api_key}:".encode())
    trickle = (b"POST /v1/coupons HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth +
               b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n")
    answers = answers_while_held(int(sandbox.url.rsplit(":", 1)[1]), call, trickle)
    assert len(answers) >= 15 and {status for status, _ in answers} == {200}, answers
    assert max(seconds for _, seconds in answers) < 1.0, answers
