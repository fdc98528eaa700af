"""Validate shipping rate params (POST /v1/shipping_rates and shipping_rate_data) and build the objects."""
from __future__ import annotations

import time

from ..api.errors import invalid, missing
from ..api.forms import as_hash, as_int, as_list, as_string, reject_unknown
from ..api.ids import new_id
from ..api.metadata import parse_metadata
from ..reference.currencies import MAX_AMOUNT, check_amount_step, parse_currency

FIELDS = ("display_name", "type", "fixed_amount", "delivery_estimate", "metadata",
          "tax_behavior", "tax_code")
ESTIMATE_UNITS = ("business_day", "day", "hour", "month", "week")
TAX_BEHAVIORS = ("exclusive", "inclusive", "unspecified")


def build_shipping_rate(params: dict, prefix: str = "") -> dict:
    """Validate shipping rate params and return a new `shipping_rate` object (not yet stored)."""
    def name(field: str) -> str:
        """The full param name of a field, under prefix when nested."""
        return f"{prefix}[{field}]" if prefix else field

    reject_unknown(params, FIELDS, prefix)
    if "display_name" not in params:
        raise missing(name("display_name"))
    display_name = as_string(params["display_name"], name("display_name"))
    if not display_name.strip() or len(display_name) > 100:
        raise invalid("display_name must be 1 to 100 characters.", name("display_name"))
    rate_type = as_string(params.get("type", "fixed_amount"), name("type"))
    if rate_type != "fixed_amount":
        raise invalid(f"Invalid type: must be fixed_amount (got {rate_type})", name("type"))
    if "fixed_amount" not in params:
        raise missing(name("fixed_amount"))
    fixed = as_hash(params["fixed_amount"], name("fixed_amount"))
    fixed_prefix = name("fixed_amount")
    reject_unknown(fixed, ("amount", "currency"), fixed_prefix)
    for field in ("amount", "currency"):
        if field not in fixed:
            raise missing(f"{fixed_prefix}[{field}]")
    amount = as_int(fixed["amount"], f"{fixed_prefix}[amount]", 0, MAX_AMOUNT)
    currency = parse_currency(fixed["currency"], f"{fixed_prefix}[currency]")
    check_amount_step(amount, currency, f"{fixed_prefix}[amount]")
    tax_behavior = as_string(params.get("tax_behavior", "unspecified"), name("tax_behavior"))
    if tax_behavior not in TAX_BEHAVIORS:
        raise invalid(f"Invalid tax_behavior: must be one of {', '.join(TAX_BEHAVIORS)}",
                      name("tax_behavior"))
    return {
        "id": new_id("shr"),
        "object": "shipping_rate",
        "active": True,
        "created": int(time.time()),
        "delivery_estimate": parse_estimate(params.get("delivery_estimate"), name("delivery_estimate")),
        "display_name": display_name,
        "fixed_amount": {"amount": amount, "currency": currency},
        "livemode": False,
        "metadata": parse_metadata(params.get("metadata"), name("metadata")),
        "tax_behavior": tax_behavior,
        "tax_code": as_string(params["tax_code"], name("tax_code")) if "tax_code" in params else None,
        "type": "fixed_amount",
    }


def parse_estimate(value, param: str) -> dict | None:
    """Validate a delivery_estimate hash ({minimum,maximum}: {unit, value})."""
    if value is None:
        return None
    estimate = as_hash(value, param)
    reject_unknown(estimate, ("minimum", "maximum"), param)
    result = {"maximum": None, "minimum": None}
    for bound, raw in estimate.items():
        bound_param = f"{param}[{bound}]"
        item = as_hash(raw, bound_param)
        reject_unknown(item, ("unit", "value"), bound_param)
        for field in ("unit", "value"):
            if field not in item:
                raise missing(f"{bound_param}[{field}]")
        unit = as_string(item["unit"], f"{bound_param}[unit]")
        if unit not in ESTIMATE_UNITS:
            raise invalid(f"Invalid unit: must be one of {', '.join(ESTIMATE_UNITS)}", f"{bound_param}[unit]")
        result[bound] = {"unit": unit, "value": as_int(item["value"], f"{bound_param}[value]", 1)}
    return result


def parse_shipping_options(value, currency: str, find_rate) -> tuple[list[dict], list[dict]]:
    """Resolve shipping_options to rate objects; also return the ones created inline (to be stored)."""
    if value is None:
        return [], []
    options = as_list(value, "shipping_options")
    if len(options) > 5:
        raise invalid("You can pass at most 5 shipping_options.", "shipping_options")
    rates, created = [], []
    for i, raw in enumerate(options):
        base = f"shipping_options[{i}]"
        option = as_hash(raw, base)
        reject_unknown(option, ("shipping_rate", "shipping_rate_data"), base)
        if ("shipping_rate" in option) == ("shipping_rate_data" in option):
            raise invalid(f"Exactly one of {base}[shipping_rate] or {base}[shipping_rate_data] is required.", base)
        if "shipping_rate" in option:
            rate_id = as_string(option["shipping_rate"], f"{base}[shipping_rate]")
            rate = find_rate(rate_id)
            if rate is None:
                raise invalid(f"No such shipping rate: '{rate_id}'", f"{base}[shipping_rate]", "resource_missing")
        else:
            rate = build_shipping_rate(as_hash(option["shipping_rate_data"], f"{base}[shipping_rate_data]"),
                                       f"{base}[shipping_rate_data]")
            created.append(rate)
        if rate["fixed_amount"]["currency"] != currency:
            raise invalid(f"The shipping rate's currency ({rate['fixed_amount']['currency']}) must match the "
                          f"line items' currency ({currency}).", base)
        rates.append(rate)
    return rates, created
