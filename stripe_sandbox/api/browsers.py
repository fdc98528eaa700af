"""Stripe's secret-key API is for servers: a request a browser page sends is refused.

The SDKs, curl and the Stripe CLI send neither `Origin` nor `Sec-Fetch-Site`; a browser sends
`Origin` with every cross-site form post and fetch, and `Sec-Fetch-Site` with every request but
an address typed into it ("none"). So a page on another site cannot make the API act for
whoever has the sandbox open, whatever credentials that browser holds.
"""
from __future__ import annotations

from collections.abc import Mapping

from .errors import ApiError

BROWSER_PAGE = ("This API is for servers holding the secret key (the SDKs, curl, the Stripe "
                "CLI): a request sent by a browser page (it has an Origin or Sec-Fetch-Site "
                "header) is refused. Use the Dashboard for what a person does in a browser.")


def from_browser_page(headers: Mapping[str, str]) -> bool:
    """Whether a request was sent by a web page: an Origin header, or a Sec-Fetch-Site other than
    "none" (an address the person typed). headers: Flask's, or the ASGI ones by lower-case name."""
    site = headers.get("sec-fetch-site")  # lower case: a plain dict of the ASGI headers works too
    return headers.get("origin") is not None or (site is not None and site != "none")


def browser_page_refusal() -> ApiError:
    """Stripe's error shape for a refused browser request (403: the key may be right, the caller
    is not one the API answers)."""
    return ApiError(403, BROWSER_PAGE, code="browser_request_refused")
