"""Stripe's round trip, simulated: SANDBOX_LATENCY_MS (+/- SANDBOX_LATENCY_JITTER_MS) before
every API answer, so learners and benchmarks feel what a real network call costs."""
from __future__ import annotations

import random
import time


def api_delay_seconds(latency_ms: float, jitter_ms: float, rng: random.Random) -> float:
    """How long this answer waits: latency_ms moved by up to jitter_ms either way, never < 0."""
    if latency_ms <= 0 and jitter_ms <= 0:
        return 0.0
    return max(0.0, latency_ms + rng.uniform(-jitter_ms, jitter_ms)) / 1000


def wait_like_stripe(latency_ms: float, jitter_ms: float, rng: random.Random) -> None:
    """Sleep for one API answer's simulated round trip (no-op when latency is off)."""
    delay = api_delay_seconds(latency_ms, jitter_ms, rng)
    if delay:
        time.sleep(delay)
