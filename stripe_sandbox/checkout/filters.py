"""The list filters Stripe documents for GET /v1/checkout/sessions, as SQL conditions on the stored session."""
from __future__ import annotations

from ..api.errors import invalid
from ..api.forms import as_hash, as_string, reject_unknown
from ..api.lists import created_conditions

# Filters that compare one field of the session object with the given id or text.
FIELD_FILTERS = {
    "payment_intent": "$.payment_intent",
    "customer": "$.customer",
    "payment_link": "$.payment_link",
    "subscription": "$.subscription",
}
LIST_PARAMS = ("limit", "starting_after", "ending_before", "status", "created", "customer_details",
               *FIELD_FILTERS)


def list_conditions(params: dict) -> list[tuple[str, object]]:
    """SQL conditions (with one placeholder each) for the filters in a list request."""
    conditions: list[tuple[str, object]] = []
    if "status" in params:
        status = as_string(params["status"], "status")
        if status not in ("open", "complete", "expired"):
            raise invalid("Invalid status: must be one of complete, expired, or open", "status")
        conditions.append(("status = ?", status))
    for name, path in FIELD_FILTERS.items():
        if name in params:
            conditions.append((f"json_extract(doc, '{path}') = ?", as_string(params[name], name)))
    if "customer_details" in params:
        details = as_hash(params["customer_details"], "customer_details")
        reject_unknown(details, ("email",), "customer_details")
        if "email" not in details:
            raise invalid("Missing required param: customer_details[email].", "customer_details[email]",
                          "parameter_missing")
        # Stripe compares email addresses without regard to case.
        conditions.append(("lower(json_extract(doc, '$.customer_details.email')) = ?",
                           as_string(details["email"], "customer_details[email]").lower()))
    if "created" in params:
        conditions.extend(created_conditions(params["created"]))
    return conditions
