"""SANDBOX_LATENCY_MS: every API answer takes that long, give or take its jitter."""
import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from stripe_sandbox.api.latency import api_delay_seconds
from stripe_sandbox.config import from_env
from tests.fixtures_sandbox import stripe_client_for


def test_the_delay_stays_within_the_jitter_and_varies():
    rng = random.Random(3)
    delays = [api_delay_seconds(150, 30, rng) for _ in range(500)]
    assert all(0.120 <= d <= 0.180 for d in delays)
    assert max(delays) - min(delays) > 0.04  # jitter, not a fixed sleep
    assert api_delay_seconds(0, 0, rng) == 0.0
    assert api_delay_seconds(10, 50, rng) >= 0.0


def test_the_setting_defaults_to_a_fifth_of_the_latency_as_jitter():
    settings = from_env({"SANDBOX_LATENCY_MS": "150"})
    assert (settings.latency_ms, settings.latency_jitter_ms) == (150, 30)
    assert from_env({}).latency_ms == 0
    with pytest.raises(SystemExit, match="SANDBOX_LATENCY_MS"):
        from_env({"SANDBOX_LATENCY_MS": "-5"})


def timed_lists(client, count=5):
    """The seconds each of count API calls took."""
    took = []
    for _ in range(count):
        start = time.perf_counter()
        client.v1.checkout.sessions.list({"limit": 1})
        took.append(time.perf_counter() - start)
    return took


def test_every_api_answer_of_a_real_sandbox_takes_the_latency(start_sandbox):
    slow = stripe_client_for(start_sandbox(SANDBOX_LATENCY_MS="150", SANDBOX_LATENCY_JITTER_MS="20"))
    fast = stripe_client_for(start_sandbox())
    shortest_wait = min(timed_lists(slow))
    assert shortest_wait >= 0.130
    # Without the setting no answer waits: the typical call takes less than the shortest one
    # that waited at least 130 ms (both pay the same machine's overheads).
    assert sorted(timed_lists(fast))[2] < shortest_wait


def test_sandbox_threads_is_read_and_defaults_to_eight():
    assert from_env({}).threads == 8
    assert from_env({"SANDBOX_THREADS": "48"}).threads == 48
    with pytest.raises(SystemExit, match="SANDBOX_THREADS"):
        from_env({"SANDBOX_THREADS": "many"})


def test_more_sandbox_threads_serve_more_slow_answers_at_once(start_sandbox):
    # Eight threads serve at most eight answers at once, so 24 calls that each wait `latency`
    # in the sandbox take at least three latencies there; 24 threads finishing them in under
    # three latencies served more than eight at once. A 5 s latency leaves ten seconds for the
    # calls' own work (at load 19 on two cores 24 calls needed 3.2 s of it).
    def wall_time_of_24_calls(handle) -> float:
        client = stripe_client_for(handle)
        client.v1.checkout.sessions.list({"limit": 1})  # connect and warm up first
        start = time.perf_counter()
        with ThreadPoolExecutor(24) as pool:
            list(pool.map(lambda _: client.v1.checkout.sessions.list({"limit": 1}), range(24)))
        return time.perf_counter() - start

    few = wall_time_of_24_calls(start_sandbox(SANDBOX_LATENCY_MS="300",
                                              SANDBOX_LATENCY_JITTER_MS="0"))
    many = wall_time_of_24_calls(start_sandbox(SANDBOX_LATENCY_MS="5000",
                                               SANDBOX_LATENCY_JITTER_MS="0",
                                               SANDBOX_THREADS="24"))
    assert few >= 3 * 0.3 - 0.05  # the default eight threads: three rounds at least
    assert many < 3 * 5.0  # more than eight at once
