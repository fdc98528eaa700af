"""A load generator: threads, each with one keep-alive http.client connection, posting deliveries.

Closed loop: every thread sends its next delivery as soon as the last one is answered.
Open loop: delivery i is due at start + i/rate, whatever happened before; its latency is measured
from when it was due, so a stalled server is charged for the wait it caused.
"""
from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Delivery:
    """One POST to /webhook: the raw body and its Stripe-Signature header."""

    body: bytes
    signature: str


@dataclass
class LoadResult:
    """What a run saw: statuses, outcomes, latencies (ms) and the wall time (s)."""

    sent: int = 0
    elapsed: float = 0.0
    started_wall: float = 0.0  # time.time() at the start: delivery i of an open loop is due then + i/rate
    statuses: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Deliveries that did not get a 2xx answer (connection failures included)."""
        return self.sent - sum(n for status, n in self.statuses.items()
                               if isinstance(status, int) and 200 <= status < 300)

    @property
    def rate(self) -> float:
        """Deliveries answered per second."""
        return self.sent / self.elapsed if self.elapsed else 0.0


class _Client:
    """One keep-alive connection; reconnects after a failure."""

    def __init__(self, port: int, path: str):
        self.port, self.path, self.conn = port, path, None

    def post(self, delivery: Delivery) -> tuple[int | str, bytes]:
        """POST the delivery and return (status, body), or (error name, b'')."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request("POST", self.path, body=delivery.body, headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": delivery.signature})
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, body
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                # A keep-alive connection the server just closed: retry once on a fresh one.
                if attempt == 2 or not isinstance(exc, (http.client.RemoteDisconnected,
                                                         ConnectionResetError, BrokenPipeError)):
                    return type(exc).__name__, b""
        return "unreachable", b""

    def close(self) -> None:
        """Drop the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _outcome(body: bytes) -> str:
    """The sidecar's outcome field, or 'ok' for a receiver that has none."""
    try:
        return json.loads(body).get("outcome", "ok")
    except (ValueError, AttributeError):
        return "unparsed"


def _run(port: int, deliveries: list[Delivery], threads: int, due) -> LoadResult:
    """Send every delivery once from `threads` threads; due(i) is when i may go (or None)."""
    result = LoadResult(sent=len(deliveries))
    lock = threading.Lock()
    cursor = iter(range(len(deliveries)))
    result.started_wall = time.time()
    start = time.perf_counter()

    def worker() -> None:
        client = _Client(port, "/webhook")
        local = LoadResult()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            at = due(start, index)
            if at is not None:
                pause = at - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            sent = at if at is not None else time.perf_counter()
            status, body = client.post(deliveries[index])
            local.latencies.append((time.perf_counter() - sent) * 1000)
            local.statuses[status] += 1
            local.outcomes[_outcome(body) if body else str(status)] += 1
            if not (isinstance(status, int) and status < 300) and len(local.failures) < 5:
                local.failures.append(f"{status}: {body[:200]!r}")
        client.close()
        with lock:
            result.statuses.update(local.statuses)
            result.outcomes.update(local.outcomes)
            result.latencies.extend(local.latencies)
            result.failures.extend(local.failures)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    result.elapsed = time.perf_counter() - start
    return result


def closed_loop(port: int, deliveries: list[Delivery], threads: int = 8) -> LoadResult:
    """As fast as the server answers, `threads` requests in flight."""
    return _run(port, deliveries, threads, lambda start, i: None)


def open_loop(port: int, deliveries: list[Delivery], rate: float, threads: int = 16) -> LoadResult:
    """Delivery i at start + i/rate; latency counted from that moment."""
    return _run(port, deliveries, threads, lambda start, i: start + i / rate)
