"""Validate POST /v1/checkout/sessions params the way Stripe does, producing a plain SessionSpec."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..api.errors import invalid, missing, unknown
from ..api.forms import as_hash, as_int, as_list, as_string, reject_unknown
from ..api.metadata import parse_metadata
from ..payment_intents.params import parse_checkout_data
from ..reference.countries import COUNTRY_NAMES
from ..shipping_rates.params import parse_shipping_options
from .discounts import parse_discount_request
from .line_items import LineItemSpec, parse_line_item, parse_url
from .options import parse_options

SUPPORTED = {
    "mode", "line_items", "success_url", "cancel_url", "customer_email", "client_reference_id",
    "metadata", "shipping_address_collection", "shipping_options", "expires_at", "expand", "ui_mode",
    # The learner-facing options of options.py (payment_method_types only to explain its removal).
    "allowed_payment_method_types", "excluded_payment_method_types", "payment_method_types",
    "phone_number_collection", "billing_address_collection", "customer_creation", "locale", "submit_type",
    "custom_text", "allow_promotion_codes", "discounts",
    "payment_intent_data",  # what the session's payment intent is made with (payment_intents/params.py)
}
# Real Stripe params the sandbox does not implement: named as such so the error is not misleading.
NOT_IMPLEMENTED = set("""
    adaptive_pricing after_expiration automatic_tax branding_settings
    consent_collection currency custom_fields customer customer_account customer_update
    integration_identifier invoice_creation managed_payments name_collection optional_items origin_context
    payment_method_collection payment_method_configuration payment_method_data
    payment_method_options permissions redirect_on_completion return_url saved_payment_method_options
    setup_intent_data subscription_data tax_id_collection wallet_options
""".split())
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_EXPIRY, MAX_EXPIRY = 30 * 60, 24 * 60 * 60


@dataclass
class SessionSpec:
    """A validated create request, ready to be turned into a session object."""

    currency: str
    line_items: list[LineItemSpec]
    success_url: str
    cancel_url: str | None
    customer_email: str | None
    client_reference_id: str | None
    metadata: dict[str, str]
    allowed_countries: list[str] | None
    shipping_rates: list[dict]
    new_shipping_rates: list[dict]
    expires_at: int
    expand: list[str]
    options: dict = field(default_factory=dict)
    discount_requests: list = field(default_factory=list)
    intent_data: dict = field(default_factory=dict)


def parse_create(params: dict, find_rate, find_price=lambda price_id: None) -> SessionSpec:
    """Validate create params; find_rate(id) and find_price(id) return a stored rate or price (or None)."""
    for key in params:
        if key in NOT_IMPLEMENTED:
            raise invalid(f"Received unknown parameter: {key} (the sandbox does not implement it)",
                          key, "parameter_unknown")
        if key not in SUPPORTED:
            raise unknown(key)
    if "mode" not in params:
        raise missing("mode")
    mode = as_string(params["mode"], "mode")
    if mode not in ("payment", "setup", "subscription"):
        raise invalid("Invalid mode: must be one of payment, setup, or subscription", "mode")
    if mode != "payment":
        raise invalid(f"The sandbox supports only mode=payment (got {mode}).", "mode")
    ui_mode = as_string(params.get("ui_mode", "hosted_page"), "ui_mode")
    if ui_mode not in ("hosted_page", "hosted"):
        raise invalid(f"The sandbox supports only ui_mode=hosted_page (got {ui_mode}).", "ui_mode")
    if "line_items" not in params:
        raise missing("line_items")
    if "success_url" not in params:
        raise missing("success_url")
    items = [parse_line_item(raw, i, find_price)
             for i, raw in enumerate(as_list(params["line_items"], "line_items"))]
    if not items:
        raise missing("line_items")
    if len(items) > 100:
        raise invalid("A Checkout Session can have at most 100 line items.", "line_items")
    currency = items[0].currency
    for i, item in enumerate(items):
        if item.currency != currency:
            raise invalid("All line items must use the same currency.",
                          f"line_items[{i}][price]" if item.price else f"line_items[{i}][price_data][currency]")
    email = None
    if "customer_email" in params:
        email = as_string(params["customer_email"], "customer_email")
        if not EMAIL.match(email):
            raise invalid(f"Invalid email address: {email}", "customer_email", "email_invalid")
    reference = None
    if "client_reference_id" in params:
        reference = as_string(params["client_reference_id"], "client_reference_id")
        if len(reference) > 200:
            raise invalid("client_reference_id can be up to 200 characters.", "client_reference_id")
    rates, new_rates = parse_shipping_options(params.get("shipping_options"), currency, find_rate)
    now = int(time.time())
    expires_at = now + MAX_EXPIRY
    if "expires_at" in params:
        expires_at = as_int(params["expires_at"], "expires_at")
        if not now + MIN_EXPIRY - 5 <= expires_at <= now + MAX_EXPIRY + 5:
            raise invalid("expires_at must be between 30 minutes and 24 hours from now.", "expires_at")
    return SessionSpec(
        currency=currency,
        line_items=items,
        success_url=parse_url(params["success_url"], "success_url"),
        cancel_url=parse_url(params["cancel_url"], "cancel_url") if "cancel_url" in params else None,
        customer_email=email,
        client_reference_id=reference,
        metadata=parse_metadata(params.get("metadata")),
        allowed_countries=parse_countries(params.get("shipping_address_collection")),
        shipping_rates=rates,
        new_shipping_rates=new_rates,
        expires_at=expires_at,
        expand=[as_string(x, "expand") for x in as_list(params.get("expand", ""), "expand")],
        options=parse_options(params),
        discount_requests=parse_discount_request(params),
        intent_data=parse_checkout_data(params.get("payment_intent_data")),
    )


def parse_countries(value) -> list[str] | None:
    """Validate shipping_address_collection[allowed_countries]."""
    if value is None:
        return None
    base = "shipping_address_collection"
    collection = as_hash(value, base)
    reject_unknown(collection, ("allowed_countries",), base)
    if "allowed_countries" not in collection:
        raise missing(f"{base}[allowed_countries]")
    codes = as_list(collection["allowed_countries"], f"{base}[allowed_countries]")
    if not codes:
        raise missing(f"{base}[allowed_countries]")
    for i, code in enumerate(codes):
        if code not in COUNTRY_NAMES:
            raise invalid(f"Invalid {base}[allowed_countries][{i}]: must be a two-letter country "
                          f"code Stripe supports (got {code!r})", f"{base}[allowed_countries][{i}]")
    return list(dict.fromkeys(codes))

