"""Replicas of the webhook sidecar on one Firestore, each with a DATA_DIR of its own (so nothing
can be shared through a disk), and signed deliveries spread over them as Stripe would send
them: to every replica at once, or through a load balancer that retries a failed delivery on
the next replica."""
from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from harness.processes import Server, free_port, python_module, start


def firestore_env(emulator_host: str, project: str) -> dict:
    """The settings that put every store of a process in Firestore on the emulator (STORE;
    its old name ORDER_STORE emptied, so a pinned or inherited one cannot contradict it)."""
    return {"STORE": "firestore", "ORDER_STORE": "", "FIRESTORE_EMULATOR_HOST": emulator_host,
            "GOOGLE_CLOUD_PROJECT": project}


def start_sidecars(count: int, log_dir: Path, data_root: Path, env: dict,
                   command: Callable[[int], list[str]] | None = None) -> list[Server]:
    """count sidecars (`python -m webhook_server`, or command(port)), each with the same env
    and its own DATA_DIR under data_root; all stopped again if one fails to start."""
    sidecars: list[Server] = []
    try:
        for n in range(count):
            port = free_port()
            own = {**env, "DATA_DIR": str(data_root / f"sidecar{n}"), "WEBHOOK_PORT": str(port)}
            args = command(port) if command else python_module("webhook_server")
            sidecars.append(start(f"sidecar{n}_{port}", args, own, log_dir, "/healthz", port,
                                  timeout=60))
    except Exception:
        stop_all(sidecars)
        raise
    return sidecars


def stop_all(servers: list[Server]) -> None:
    """Stop each server by PID."""
    for server in servers:
        server.stop()


def post(http: requests.Session, url: str, body: bytes, headers: dict,
         timeout: float = 10) -> tuple[int | str, str]:
    """POST one delivery to url/webhook: (HTTP status, outcome), or (error name, '')."""
    try:
        answer = http.post(f"{url}/webhook", data=body, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        return type(exc).__name__, ""
    try:
        outcome = answer.json().get("outcome", "")
    except ValueError:
        outcome = ""
    return answer.status_code, outcome


def deliver_to_all(urls: list[str], deliveries: list[tuple[bytes, dict]], copies: int,
                   threads: int = 8) -> Counter:
    """Every delivery `copies` times to every url, all in flight together from `threads`
    threads; the count of each (status, outcome) answered."""
    work = [(url, body, headers) for body, headers in deliveries for url in urls
            for _ in range(copies)]
    local = threading.local()

    def one(item):
        if not hasattr(local, "http"):
            local.http = requests.Session()
        url, body, headers = item
        return post(local.http, url, body, headers)

    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(one, work))


@dataclass
class Failover:
    """What a load-balanced burst saw: which replica answered each delivery 2xx, and how many
    tries failed (refused, reset, timed out or 5xx) before another replica took it."""

    answered_by: dict = field(default_factory=dict)  # delivery index -> url that said 2xx
    failed_tries: Counter = field(default_factory=Counter)  # (url, status) -> count
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, url: str) -> list[int]:
        """The deliveries url answered 2xx."""
        with self.lock:
            return sorted(i for i, u in self.answered_by.items() if u == url)


def deliver_with_failover(urls: list[str], deliveries: list[tuple[bytes, dict]],
                          threads: int = 8, retry_seconds: float = 0.2,
                          deadline_seconds: float = 120,
                          result: Failover | None = None) -> Failover:
    """Each delivery to the next replica in turn; one not answered 2xx is retried after
    retry_seconds on the replica after that, as Stripe retries an endpoint whose load balancer
    sends the retry to a live replica. Fails if any is unanswered by the deadline."""
    result = result or Failover()
    turn = itertools.count()
    deadline = time.monotonic() + deadline_seconds
    local = threading.local()

    def one(index: int) -> None:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        body, headers = deliveries[index]
        while time.monotonic() < deadline:
            url = urls[next(turn) % len(urls)]
            status, _ = post(local.http, url, body, headers, timeout=5)
            if isinstance(status, int) and 200 <= status < 300:
                with result.lock:
                    result.answered_by[index] = url
                return
            with result.lock:
                result.failed_tries[(url, status)] += 1
            local.http = requests.Session()  # a fresh connection, as a new attempt would use
            time.sleep(retry_seconds)
        raise AssertionError(f"delivery {index} was not answered 2xx in {deadline_seconds}s")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(len(deliveries))))
    return result
