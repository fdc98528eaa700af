"""The sandbox retries a failing endpoint on Stripe's schedule (exponential backoff for up to
three days, compressed here), not a fixed 8 attempts; it says "failed" only once it gave up."""
import time

import requests

from stripe_sandbox.config import from_env
from stripe_sandbox.events.delivery import retry_delay
from tests.fixtures_sandbox import (
    WebhookReceiver,
    complete_session,
    session_params,
    stripe_client_for,
)

# Stripe's three days and hour-long waits, compressed: same shape, a second instead of days.
COMPRESSED = {"SANDBOX_RETRY_BASE_SECONDS": "0.01", "SANDBOX_RETRY_MAX_DELAY_SECONDS": "0.04",
              "SANDBOX_MAX_ATTEMPTS": ""}


def events(handle) -> list[dict]:
    """The sandbox's own record of its recent events and their deliveries."""
    response = requests.get(f"{handle.url}/_sandbox/events", params={"limit": 50},
                            auth=(handle.api_key, ""))
    response.raise_for_status()
    return response.json()


def watch(handle, until: str, timeout: float = 20) -> tuple[dict, set[str]]:
    """Poll the completed event's delivery until it is in state until; (event, states seen)."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in events(handle) if e["type"] == "checkout.session.completed"]
        if found:
            seen.add(found[0]["state"])
            if found[0]["state"] == until:
                return found[0], seen
        time.sleep(0.02)
    raise AssertionError(f"never {until}; states seen: {seen}")


def pay_one(handle) -> None:
    """Pay a fresh session, so the sandbox sends checkout.session.completed."""
    client = stripe_client_for(handle)
    complete_session(client, client.v1.checkout.sessions.create(params=session_params()).id)


def test_the_defaults_are_stripes_three_days_with_waits_growing_to_an_hour():
    settings = from_env({})
    assert settings.retry_window_seconds == 3 * 24 * 3600 and settings.max_attempts == 0
    waits = [retry_delay(n, settings.retry_base_seconds, settings.max_retry_delay_seconds)
             for n in range(1, 30)]
    assert waits == sorted(waits) and waits[0] == 1.0 and waits[-1] == 3600.0


def test_a_long_outage_is_retried_past_eight_attempts_until_it_is_delivered(start_sandbox):
    receiver = WebhookReceiver(fail_first=12)  # an endpoint down for a while, then back
    try:
        box = start_sandbox(SANDBOX_WEBHOOK_URL=receiver.url, **COMPRESSED,
                            SANDBOX_RETRY_WINDOW_SECONDS="30")
        pay_one(box)
        event, seen = watch(box, "delivered")
        assert len(event["attempts"]) == 13 and event["attempts"][-1]["status_code"] == 200
        assert "failed" not in seen  # never reported as given up on the way
    finally:
        receiver.close()


def test_it_gives_up_only_when_the_retry_window_has_passed(start_sandbox):
    receiver = WebhookReceiver(fail_first=10_000)
    try:
        box = start_sandbox(SANDBOX_WEBHOOK_URL=receiver.url, **COMPRESSED,
                            SANDBOX_RETRY_WINDOW_SECONDS="2.0")
        started = time.time()
        pay_one(box)
        event, seen = watch(box, "failed")
        assert "pending" in seen  # shown as retrying while it was
        times = [a["at"] for a in event["attempts"]]
        assert len(times) > 8  # more than the old fixed 8 attempts
        # Not before the window's end (a busy machine may make the last try a little late).
        assert times[-1] - times[0] >= 1.9 and time.time() - started >= 1.9
    finally:
        receiver.close()
