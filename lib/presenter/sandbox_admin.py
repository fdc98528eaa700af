"""Calls to the sandbox's own endpoints (no real Stripe has them): its events, resend, pay a session."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import requests
import stripe

from lib.config.settings import Settings

TIMEOUT = 3.0  # the inspector refreshes every 2 s; a slow sandbox must not pile up requests
TEST_CARD = "4242424242424242"


class SandboxError(Exception):
    """The sandbox could not be reached, or refused the request (the message says why)."""


@dataclass(frozen=True)
class Delivery:
    """One sandbox event with how its delivery went, as the inspector lists it."""

    event_id: str
    event_type: str
    created: datetime
    session_id: str
    state: str
    attempts: list[dict]


def _call(method: str, settings: Settings, path: str, **kwargs) -> object:
    """One authenticated request to the sandbox; its JSON answer, or SandboxError."""
    if settings.stripe_mode != "sandbox":
        raise SandboxError("these tools exist only in the local sandbox (STRIPE_SECRET_KEY is set)")
    url = f"{settings.api_base}{path}"
    try:
        reply = requests.request(method, url, timeout=TIMEOUT,
                                 headers={"Authorization": f"Bearer {settings.api_key}"}, **kwargs)
        body = reply.json()
    except requests.RequestException as exc:
        raise SandboxError(f"the sandbox at {settings.api_base} does not answer "
                           f"({type(exc).__name__})") from exc
    except ValueError:
        raise SandboxError(f"{url} answered HTTP {reply.status_code}, not JSON") from None
    if reply.status_code >= 400:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        raise SandboxError(error.get("message") or f"HTTP {reply.status_code}")
    return body


def _delivery(event: dict) -> Delivery:
    """The inspector's view of one event from GET /_sandbox/events."""
    return Delivery(event["id"], event["type"],
                    datetime.fromtimestamp(event["created"], UTC),
                    event.get("object_id") or "", event["state"], event.get("attempts", []))


def recent_deliveries(settings: Settings, limit: int = 20) -> list[Delivery]:
    """The sandbox's newest events first, each with its delivery state and attempts."""
    return [_delivery(e) for e in _call("GET", settings, "/_sandbox/events",
                                        params={"limit": limit})]


def resend(settings: Settings, event_id: str) -> Delivery:
    """Queue the same event again for delivery (Stripe's "Resend" in the Dashboard)."""
    return _delivery(_call("POST", settings, f"/_sandbox/events/{event_id}/resend"))


def pay_session(settings: Settings, session_id: str, card: str = TEST_CARD) -> dict:
    """Pay an open checkout session with a test card through the sandbox's test helper."""
    return _call("POST", settings, f"/v1/test_helpers/checkout/sessions/{session_id}/complete",
                 data={"card": card})


def open_sessions(client: stripe.StripeClient, limit: int = 10) -> list:
    """Checkout sessions still waiting for payment, newest first."""
    try:
        page = client.v1.checkout.sessions.list(params={"status": "open", "limit": limit},
                                                options={"max_network_retries": 0})
    except stripe.StripeError as exc:
        raise SandboxError(f"cannot list checkout sessions: {exc.user_message or exc}") from exc
    return list(page.data)


def own_open_sessions(client: stripe.StripeClient, email: str, limit: int = 100) -> list:
    """The open checkout sessions this shopper started (their email is the session's
    client_reference_id); a guest, who cannot check out, has none. Never another's."""
    if not email:
        return []
    return [s for s in open_sessions(client, limit) if s.client_reference_id == email]
