"""Validate POST /v1/payment_intents params, and a Checkout Session's payment_intent_data, as Stripe does."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..api.errors import invalid, missing
from ..api.forms import (
    as_bool,
    as_hash,
    as_int,
    as_list,
    as_string,
    reject_unknown,
    reject_unmodelled,
)
from ..api.metadata import parse_metadata
from ..reference.currencies import check_amount_step, parse_currency

MAX_AMOUNT = 99_999_999
CREATE = {"amount", "currency", "confirm", "description", "metadata", "payment_method", "payment_method_types",
          "automatic_payment_methods", "receipt_email", "shipping", "setup_future_usage", "capture_method",
          "confirmation_method", "statement_descriptor_suffix", "expand"}
# Real params the sandbox does not model, named as such so the error is not misleading.
NOT_IMPLEMENTED = {"customer", "customer_account", "mandate", "mandate_data", "off_session", "on_behalf_of",
                   "payment_method_data", "payment_method_options", "radar_options", "return_url",
                   "application_fee_amount", "transfer_data", "transfer_group", "error_on_requires_action",
                   "use_stripe_sdk", "statement_descriptor", "payment_method_configuration", "amount_details",
                   "hooks", "payment_details", "excluded_payment_method_types"}
CHECKOUT_DATA = ("shipping", "description", "metadata", "receipt_email", "setup_future_usage",
                 "statement_descriptor_suffix")
SHIPPING = ("name", "address", "phone", "carrier", "tracking_number")
ADDRESS = ("city", "country", "line1", "line2", "postal_code", "state")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FUTURE_USAGE = ("off_session", "on_session")


@dataclass
class IntentSpec:
    """A validated create request."""

    amount: int
    currency: str
    confirm: bool = False
    payment_method: str | None = None
    payment_method_types: list[str] = field(default_factory=lambda: ["card"])
    automatic_payment_methods: dict | None = None
    capture_method: str = "automatic_async"
    confirmation_method: str = "automatic"
    details: dict = field(default_factory=dict)  # description, metadata, receipt_email, shipping, ...
    expand: list[str] = field(default_factory=list)


def parse_shipping(value, base: str = "shipping") -> dict:
    """shipping[name] and shipping[address][...] in Stripe's shape (name and address[line1] required)."""
    shipping = as_hash(value, base)
    reject_unknown(shipping, SHIPPING, base)
    if "name" not in shipping:
        raise missing(f"{base}[name]")
    address = as_hash(shipping.get("address", {}), f"{base}[address]")
    reject_unknown(address, ADDRESS, f"{base}[address]")
    if "line1" not in address:
        raise missing(f"{base}[address][line1]")
    text = {k: as_string(shipping[k], f"{base}[{k}]") for k in SHIPPING if k in shipping and k != "address"}
    return {"address": {k: (as_string(address[k], f"{base}[address][{k}]") if k in address else None)
                        for k in ADDRESS},
            "carrier": text.get("carrier"), "name": text["name"], "phone": text.get("phone"),
            "tracking_number": text.get("tracking_number")}


def parse_details(params: dict, base: str = "") -> dict:
    """The descriptive params an intent keeps as they are: description, metadata, receipt_email, shipping."""
    name = (lambda key: f"{base}[{key}]") if base else (lambda key: key)
    details = {}
    if "description" in params:
        details["description"] = as_string(params["description"], name("description"))
    if "metadata" in params:
        details["metadata"] = parse_metadata(params["metadata"], name("metadata"))
    if "receipt_email" in params:
        email = as_string(params["receipt_email"], name("receipt_email"))
        if not EMAIL.match(email):
            raise invalid(f"Invalid email address: {email}", name("receipt_email"), "email_invalid")
        details["receipt_email"] = email
    if "shipping" in params:
        details["shipping"] = parse_shipping(params["shipping"], name("shipping"))
    if "setup_future_usage" in params:
        usage = as_string(params["setup_future_usage"], name("setup_future_usage"))
        if usage not in FUTURE_USAGE:
            raise invalid("Invalid setup_future_usage: must be one of off_session or on_session",
                          name("setup_future_usage"))
        details["setup_future_usage"] = usage
    if "statement_descriptor_suffix" in params:
        details["statement_descriptor_suffix"] = as_string(params["statement_descriptor_suffix"],
                                                           name("statement_descriptor_suffix"))[:22]
    return details


def parse_checkout_data(value) -> dict:
    """A Checkout Session's payment_intent_data: what its payment intent is made with."""
    if value is None:
        return {}
    data = as_hash(value, "payment_intent_data")
    reject_unknown(data, CHECKOUT_DATA, "payment_intent_data")
    return parse_details(data, "payment_intent_data")


def parse_create(params: dict) -> IntentSpec:
    """Validate create params into an IntentSpec (a card intent, confirmed now or later)."""
    reject_unmodelled(params, CREATE, NOT_IMPLEMENTED)
    for name in ("amount", "currency"):
        if name not in params:
            raise missing(name)
    currency = parse_currency(params["currency"], "currency")
    amount = check_amount_step(as_int(params["amount"], "amount", 1, MAX_AMOUNT), currency, "amount")
    spec = IntentSpec(amount, currency, details=parse_details(params))
    if "confirm" in params:
        spec.confirm = as_bool(params["confirm"], "confirm")
    if "payment_method" in params:
        spec.payment_method = as_string(params["payment_method"], "payment_method")
    if "payment_method_types" in params:
        spec.payment_method_types = [as_string(t, "payment_method_types")
                                     for t in as_list(params["payment_method_types"], "payment_method_types")]
        if spec.payment_method_types != ["card"]:
            raise invalid("The sandbox's PaymentIntents take card payments only: payment_method_types[]=card.",
                          "payment_method_types")
    if "automatic_payment_methods" in params:
        automatic = as_hash(params["automatic_payment_methods"], "automatic_payment_methods")
        reject_unknown(automatic, ("enabled", "allow_redirects"), "automatic_payment_methods")
        enabled = as_bool(automatic.get("enabled", "false"), "automatic_payment_methods[enabled]")
        spec.automatic_payment_methods = {"allow_redirects": automatic.get("allow_redirects", "always"),
                                          "enabled": enabled} if enabled else None
    for name, allowed in (("capture_method", ("automatic", "automatic_async")),
                          ("confirmation_method", ("automatic",))):
        if name in params:
            value = as_string(params[name], name)
            if value not in allowed:
                raise invalid(f"The sandbox models {name}={' or '.join(allowed)} only (got {value}).", name)
            setattr(spec, name, value)
    spec.expand = [as_string(p, "expand") for p in as_list(params.get("expand", ""), "expand")]
    return spec
