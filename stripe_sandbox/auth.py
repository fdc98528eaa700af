"""API-key check: only `Authorization: Bearer sk_test_...` gets in; anything else is a Stripe-shaped 401."""
from __future__ import annotations

import re

from flask import request

from .errors import ApiError

TEST_SECRET_KEY = re.compile(r"sk_test_[A-Za-z0-9_]*")


def masked(key: str) -> str:
    """Show a key the way Stripe's error messages do: prefix, stars, last four."""
    return key[:8] + "*" * max(len(key) - 12, 0) + key[-4:] if len(key) > 12 else key


def check_api_key() -> None:
    """Raise a 401 authentication_error unless the request carries a test-mode secret key as a Bearer token."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise ApiError(401, "You did not provide an API key. You need to provide your API key in the "
                            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                            "YOUR_SECRET_KEY').", type="authentication_error")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise ApiError(401, "Invalid Authorization header: use Bearer auth with a test secret key "
                            "(sk_test_...).", type="authentication_error")
    if key.startswith("pk_"):
        raise ApiError(401, "This API call cannot be made with a publishable API key. Please use a "
                            "secret API key.", type="authentication_error")
    if not TEST_SECRET_KEY.fullmatch(key):
        raise ApiError(401, f"Invalid API Key provided: {masked(key)}. The sandbox accepts only test "
                            "secret keys (sk_test_...).", type="authentication_error", code="api_key_invalid")
