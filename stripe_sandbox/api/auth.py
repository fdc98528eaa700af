"""API-key check as Stripe does it: HTTP Basic (the key as user name) or Bearer, against the sandbox's own key.

Stripe answers every authentication failure with HTTP 401 and an error of type invalid_request_error
(the SDK raises AuthenticationError for the 401), plus a `WWW-Authenticate: Basic realm="Stripe"` header.
"""
from __future__ import annotations

import base64
import binascii
import hmac

from flask import request

from .errors import ApiError

NO_KEY = ("You did not provide an API key. Provide it in the Authorization header, with HTTP Basic auth "
          "(`curl -u sk_test_...:`) or Bearer auth ('Authorization: Bearer sk_test_...'). The sandbox "
          "printed its key when it started.")


def masked(key: str) -> str:
    """Show a key the way Stripe's error messages do: prefix, stars, last four."""
    if len(key) <= 12:
        return key[:3] + "*" * max(len(key) - 3, 0)
    prefix = key[:8] if key.startswith(("sk_", "pk_", "rk_")) else key[:3]
    return prefix + "*" * (len(key) - len(prefix) - 4) + key[-4:]


def presented_key(header: str) -> str | None:
    """The key in an Authorization header (Basic user name or Bearer token), '' if malformed, None if absent."""
    if not header.strip():
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        # `curl -u KEY:` sends "KEY:" -- the key is the user name and the password is empty.
        return decoded.partition(":")[0].strip()
    return ""


def unauthorized(message: str, code: str | None = None) -> ApiError:
    """A 401 worded and typed as Stripe's (an invalid_request_error: the key is not valid, not expired)."""
    return ApiError(401, message, code=code, headers={"WWW-Authenticate": 'Basic realm="Stripe"'})


def key_refusal(authorization: str, expected: str) -> ApiError | None:
    """Stripe's 401 for an Authorization header that does not carry exactly the sandbox's own test
    secret key, or None when it does (read from the header alone, before any body)."""
    key = presented_key(authorization)
    if key is None:
        return unauthorized(NO_KEY)
    if key.startswith("pk_"):
        return unauthorized("This API call cannot be made with a publishable API key. Please use a secret "
                            "API key.", "secret_key_required")
    if not hmac.compare_digest(key.encode(), expected.encode()):
        shown = masked(key) if key else "(an empty or malformed Authorization header)"
        hint = (" The sandbox is test mode only." if key.startswith(("sk_live_", "rk_live_")) else "")
        # Like Stripe: the key that was sent, masked; never a word about the right one.
        return unauthorized(f"Invalid API Key provided: {shown}.{hint} Use the sandbox's key, "
                            "printed when it started.")
    return None


def check_api_key(expected: str) -> None:
    """Raise Stripe's 401 unless the request carries exactly the sandbox's own test secret key."""
    refusal = key_refusal(request.headers.get("Authorization", ""), expected)
    if refusal is not None:
        raise refusal
