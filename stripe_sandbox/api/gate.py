"""What the sandbox refuses from a request's head alone, before a byte of its body is read: a
browser page on the API, a wrong key on the API, a body over the size limit."""
from __future__ import annotations

from collections.abc import Mapping

from .auth import key_refusal
from .browsers import browser_page_refusal, from_browser_page
from .errors import ApiError

# A form post to Stripe's API is a few KB (a session with a hundred line items stays far below);
# 256 KiB leaves room for any of the sandbox's requests and is well under Stripe's own limit.
MAX_BODY = 256 * 1024
# The API and the inspector take the secret key; the Dashboard and hosted page have their own checks.
KEYED_PREFIXES = ("/v1/", "/_sandbox/")


def too_large(limit: int = MAX_BODY) -> ApiError:
    """Stripe's shape for a body over the limit."""
    return ApiError(413, f"The request body is larger than the sandbox takes ({limit} bytes).")


def head_refusal(path: str, headers: Mapping[str, str], api_key: str,
                 limit: int = MAX_BODY) -> ApiError | None:
    """The error for a request that is refused on its head (headers by lower-case name), or None."""
    if path.startswith(KEYED_PREFIXES):
        if from_browser_page(headers):
            return browser_page_refusal()
        if (refusal := key_refusal(headers.get("authorization", ""), api_key)) is not None:
            return refusal
    length = headers.get("content-length", "")
    if length and (not length.isdigit() or int(length) > limit):
        return too_large(limit)
    return None
