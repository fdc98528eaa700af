"""Validate Price create and update params the way Stripe does (one-time, per-unit prices), and build prices."""
from __future__ import annotations

import time

from ..api.errors import invalid, missing, unknown
from ..api.forms import as_bool, as_hash, as_int, as_string, reject_unknown
from ..api.ids import new_id
from ..api.metadata import merge_metadata, parse_metadata
from ..reference.currencies import MAX_AMOUNT, parse_currency

CREATE = ("currency", "product", "product_data", "unit_amount", "active", "lookup_key", "transfer_lookup_key",
          "nickname", "metadata", "tax_behavior", "billing_scheme", "expand")
UPDATE = ("active", "lookup_key", "transfer_lookup_key", "nickname", "metadata", "tax_behavior", "expand")
# Real Stripe params the sandbox does not implement: recurring and tiered or custom-amount prices.
NOT_IMPLEMENTED = ("recurring", "tiers", "tiers_mode", "transform_quantity", "custom_unit_amount",
                   "unit_amount_decimal", "currency_options")
TAX_BEHAVIORS = ("exclusive", "inclusive", "unspecified")
MAX_LOOKUP_KEY = 200


def check_names(params: dict, allowed) -> None:
    """Stripe's errors for params the sandbox does not implement, then for unknown ones."""
    for key in params:
        if key in NOT_IMPLEMENTED:
            raise invalid(f"Received unknown parameter: {key} (the sandbox implements one-time, per-unit "
                          "prices only)", key, "parameter_unknown")
        if key not in allowed:
            raise unknown(key)


def lookup_key(params: dict) -> str | None:
    """lookup_key: up to 200 characters; '' removes it on update."""
    if "lookup_key" not in params:
        return None
    key = as_string(params["lookup_key"], "lookup_key")
    if len(key) > MAX_LOOKUP_KEY:
        raise invalid(f"lookup_key can be up to {MAX_LOOKUP_KEY} characters.", "lookup_key")
    return key or None


def common_fields(params: dict) -> dict:
    """Fields both create and update may set."""
    fields: dict = {}
    if "active" in params:
        fields["active"] = as_bool(params["active"], "active")
    if "nickname" in params:
        fields["nickname"] = as_string(params["nickname"], "nickname") or None
    if "tax_behavior" in params:
        behavior = as_string(params["tax_behavior"], "tax_behavior")
        if behavior not in TAX_BEHAVIORS:
            raise invalid("Invalid tax_behavior: must be one of exclusive, inclusive, or unspecified",
                          "tax_behavior")
        fields["tax_behavior"] = behavior
    if "lookup_key" in params:
        fields["lookup_key"] = lookup_key(params)
    return fields


def transfer_requested(params: dict) -> bool:
    """transfer_lookup_key=true: move the lookup key from whichever price holds it."""
    return "transfer_lookup_key" in params and as_bool(params["transfer_lookup_key"], "transfer_lookup_key")


def product_data(params: dict) -> dict | None:
    """product_data for a product created inline with the price (name required), as product params."""
    if "product_data" not in params:
        return None
    data = as_hash(params["product_data"], "product_data")
    reject_unknown(data, ("name", "active", "metadata", "statement_descriptor", "unit_label", "id"),
                   "product_data")
    if "name" not in data:
        raise missing("product_data[name]")
    return data


def new_price(product, currency: str, amount: int, now: int) -> dict:
    """An active one-time, per-unit price of product (an id, or the product itself when kept expanded)."""
    return {
        "id": new_id("price"), "object": "price", "active": True, "billing_scheme": "per_unit",
        "created": now, "currency": currency, "custom_unit_amount": None, "livemode": False, "lookup_key": None,
        "metadata": {}, "nickname": None, "product": product, "recurring": None, "tax_behavior": "unspecified",
        "tiers_mode": None, "transform_quantity": None, "type": "one_time", "unit_amount": amount,
        "unit_amount_decimal": str(amount),
    }


def build_price(params: dict, product_id: str, now: int | None = None) -> dict:
    """A new one-time price object for product_id from validated create params."""
    if "currency" not in params:
        raise missing("currency")
    if "unit_amount" not in params:
        raise missing("unit_amount")
    if "billing_scheme" in params and as_string(params["billing_scheme"], "billing_scheme") != "per_unit":
        raise invalid("The sandbox implements billing_scheme=per_unit only.", "billing_scheme")
    amount = as_int(params["unit_amount"], "unit_amount", 0, MAX_AMOUNT)
    price = new_price(product_id, parse_currency(params["currency"], "currency"), amount, now or int(time.time()))
    price.update(common_fields(params))
    price["metadata"] = parse_metadata(params.get("metadata"))
    return price


def update_price(price: dict, params: dict) -> dict:
    """The price with an update's validated changes applied (amount and currency never change, as on Stripe)."""
    check_names(params, UPDATE)
    return {**price, **common_fields(params), "metadata": merge_metadata(price["metadata"], params)}
