"""Build Stripe-signed webhook deliveries (Stripe's t=...,v1=... scheme) for tests and
benchmarks."""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for payload."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def checkout_event(session_id: str, email: str = "ada@example.com",
                   event_type: str = "checkout.session.completed", **session_fields) -> dict:
    """A Stripe-shaped event whose data.object is a checkout session."""
    return {
        "id": "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": {"id": session_id, "object": "checkout.session",
                            "metadata": {"email": email}, "customer_email": email,
                            **session_fields}},
    }


def signed(event: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers of a signed delivery of event."""
    body = json.dumps(event).encode()
    return body, {"Stripe-Signature": signature_header(body, secret, timestamp),
                  "Content-Type": "application/json"}
