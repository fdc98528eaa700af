"""JSON responses the way Stripe sends them: indented body, JSON content type, a Request-Id header."""
from __future__ import annotations

import json

from flask import Response, g, request

from .errors import ApiError, invalid, unknown
from .forms import as_int, decode


def json_response(obj, status: int = 200, headers: dict | None = None) -> Response:
    """Serialise obj as Stripe does (pretty-printed JSON) with the given status."""
    response = Response(json.dumps(obj, indent=2) + "\n", status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_response(error: ApiError) -> Response:
    """The JSON body and status for an ApiError."""
    return json_response(error.body(), error.status, error.headers)


def request_params() -> dict:
    """This request's params as a nested dict: the query string for GET, the form body for POST."""
    source = request.args if request.method == "GET" else request.form
    return decode(source.items(multi=True))


def request_id() -> str | None:
    """The id given to this request (also sent back in the Request-Id header)."""
    return g.get("request_id")


def only_params(params: dict, allowed) -> None:
    """Reject params outside the allowed set with Stripe's unknown-parameter error."""
    for key in params:
        if key not in allowed:
            raise unknown(key)


def page_limit(params: dict, default: int = 10) -> int:
    """Read `limit` for a list endpoint: 1 to 100, default 10."""
    if "limit" not in params:
        return default
    limit = as_int(params["limit"], "limit")
    if not 1 <= limit <= 100:
        raise invalid("This value must be between 1 and 100.", "limit")
    return limit
