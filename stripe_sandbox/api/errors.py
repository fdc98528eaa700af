"""The Stripe-shaped API error the sandbox raises, and how it becomes a JSON response body."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApiError(Exception):
    """An error answered as Stripe does: an HTTP status and an `error` object the SDK maps to a typed exception."""

    status: int
    message: str
    type: str = "invalid_request_error"
    param: str | None = None
    code: str | None = None
    decline_code: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict:
        """The JSON body Stripe sends for this error."""
        error = {"type": self.type, "message": self.message}
        for key in ("param", "code", "decline_code"):
            value = getattr(self, key)
            if value is not None:
                error[key] = value
        if self.code:
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        return {"error": error}


def invalid(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    """A 400 invalid_request_error naming the offending param (the SDK raises InvalidRequestError)."""
    return ApiError(400, message, param=param, code=code)


def missing(param: str) -> ApiError:
    """The error Stripe gives when a required param is absent."""
    return invalid(f"Missing required param: {param}.", param, "parameter_missing")


def unknown(param: str) -> ApiError:
    """The error Stripe gives for a param it does not know."""
    return invalid(f"Received unknown parameter: {param}", param, "parameter_unknown")


def not_found(kind: str, object_id: str, param: str = "id") -> ApiError:
    """A 404 for an id that does not exist, worded like Stripe's."""
    return ApiError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")
