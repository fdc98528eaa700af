"""The documented create options learners use: payment method types, phone, billing address, customer
creation, locale, submit type and custom text -- validated as Stripe does, as fields of the session object.

The value lists are the pinned SDK's own (tests/sandbox/test_session_options.py checks them against its types).
"""
from __future__ import annotations

from ..api.errors import invalid
from ..api.forms import as_bool, as_hash, as_list, as_string, reject_unknown

# Every payment method type the pinned API version names for allowed/excluded_payment_method_types.
PAYMENT_METHOD_TYPES = frozenset("""
    acss_debit affirm afterpay_clearpay alipay alma amazon_pay au_becs_debit bacs_debit bancontact billie
    bizum blik boleto card cashapp crypto customer_balance eps fpx giropay grabpay ideal kakao_pay klarna
    konbini kr_card link mb_way mobilepay multibanco naver_pay nz_bank_account oxxo p24 pay_by_bank payco
    paynow paypal paypay payto pix promptpay revolut_pay samsung_pay satispay scalapay sepa_debit sequra
    sofort sunbit swish twint upi us_bank_account wechat_pay zip
""".split())
# What the hosted page can take: cards, and the delayed bank transfer (Stripe's customer_balance).
MODELLED_METHODS = ("card", "customer_balance")
LOCALES = frozenset("""
    auto bg cs da de el en en-GB es es-419 et fi fil fr fr-CA hi-IN hr hu id it ja ko lt lv ms mt nb nl pl
    pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW
""".split())
SUBMIT_TYPES = ("auto", "book", "donate", "pay", "subscribe")
CUSTOM_TEXT_PLACES = ("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
MAX_CUSTOM_TEXT = 1200
REMOVED_PAYMENT_METHOD_TYPES = (
    "payment_method_types was removed from Checkout Session create in API version 2026-09-30.endive "
    "(the pinned SDK's version is later). Use allowed_payment_method_types, e.g. "
    "allowed_payment_method_types[]=card.")

# The version that renamed payment_method_types to allowed_payment_method_types.
PAYMENT_METHOD_TYPES_RENAMED = "2026-09-30"


def in_modelled_version(params: dict, requested_version: str | None) -> dict:
    """Create params in the modelled version's words: a request pinned to an older version (Stripe's
    samples pin 2020-08-27) names its payment_method_types, as that version did."""
    older = bool(requested_version) and requested_version.strip()[:10] < PAYMENT_METHOD_TYPES_RENAMED
    if older and "payment_method_types" in params and "allowed_payment_method_types" not in params:
        params = dict(params)
        params["allowed_payment_method_types"] = params.pop("payment_method_types")
    return params


def one_of(params: dict, name: str, choices, default=None):
    """A string param that must be one of choices (Stripe's 'Invalid X: must be one of ...')."""
    if name not in params:
        return default
    value = as_string(params[name], name)
    if value not in choices:
        shown = ", ".join(sorted(choices)) if len(choices) > 8 else ", ".join(choices)
        raise invalid(f"Invalid {name}: must be one of {shown}", name)
    return value


def method_list(params: dict, name: str) -> list[str] | None:
    """allowed_ or excluded_payment_method_types: a list of known payment method type names, or None."""
    if name not in params:
        return None
    types = [as_string(t, f"{name}[{i}]") for i, t in enumerate(as_list(params[name], name))]
    for i, kind in enumerate(types):
        if kind not in PAYMENT_METHOD_TYPES:
            raise invalid(f"Invalid {name}[{i}]: must be one of {', '.join(sorted(PAYMENT_METHOD_TYPES))}",
                          f"{name}[{i}]")
    return list(dict.fromkeys(types))


def payment_methods(params: dict) -> dict:
    """allowed/excluded types and the resulting payment_method_types (only what the sandbox can take)."""
    if "payment_method_types" in params:
        raise invalid(REMOVED_PAYMENT_METHOD_TYPES, "payment_method_types", "parameter_unknown")
    allowed = method_list(params, "allowed_payment_method_types")
    excluded = method_list(params, "excluded_payment_method_types") or []
    if allowed is not None and not allowed:
        raise invalid("allowed_payment_method_types cannot be empty.", "allowed_payment_method_types")
    # As on Stripe, the allowed list is filtered to the methods that can take this payment.
    usable = [m for m in (allowed or MODELLED_METHODS) if m in MODELLED_METHODS and m not in excluded]
    if not usable:
        raise invalid("None of the payment method types left for this session can be used in the sandbox "
                      f"(it models {' and '.join(MODELLED_METHODS)}).",
                      "allowed_payment_method_types" if allowed else "excluded_payment_method_types")
    return {"allowed_payment_method_types": allowed, "excluded_payment_method_types": excluded or None,
            "payment_method_types": usable}


def phone_collection(params: dict) -> dict:
    """phone_number_collection[enabled]."""
    if "phone_number_collection" not in params:
        return {"enabled": False}
    base = "phone_number_collection"
    value = as_hash(params[base], base)
    reject_unknown(value, ("enabled",), base)
    if "enabled" not in value:
        raise invalid(f"Missing required param: {base}[enabled].", f"{base}[enabled]", "parameter_missing")
    return {"enabled": as_bool(value["enabled"], f"{base}[enabled]")}


def custom_text(params: dict) -> dict:
    """custom_text[place][message] for the places the hosted page shows; '' unsets one, as on Stripe."""
    text = {place: None for place in CUSTOM_TEXT_PLACES}
    if "custom_text" not in params:
        return text
    value = as_hash(params["custom_text"], "custom_text")
    reject_unknown(value, CUSTOM_TEXT_PLACES, "custom_text")
    for place, raw in value.items():
        param = f"custom_text[{place}]"
        if raw == "":
            continue
        if place == "terms_of_service_acceptance":
            raise invalid(f"The sandbox does not implement {param}: it needs consent_collection, which the "
                          "sandbox does not implement either.", param, "parameter_unknown")
        entry = as_hash(raw, param)
        reject_unknown(entry, ("message",), param)
        if "message" not in entry:
            raise invalid(f"Missing required param: {param}[message].", f"{param}[message]", "parameter_missing")
        message = as_string(entry["message"], f"{param}[message]")
        if len(message) > MAX_CUSTOM_TEXT:
            raise invalid(f"{param}[message] can be up to {MAX_CUSTOM_TEXT} characters (got {len(message)}).",
                          f"{param}[message]")
        text[place] = {"message": message}
    return text


def parse_options(params: dict) -> dict:
    """Every option above as the session object's fields."""
    return {
        **payment_methods(params),
        "phone_number_collection": phone_collection(params),
        "billing_address_collection": one_of(params, "billing_address_collection", ("auto", "required")),
        "customer_creation": one_of(params, "customer_creation", ("always", "if_required"), "if_required"),
        "locale": one_of(params, "locale", LOCALES),
        "submit_type": one_of(params, "submit_type", SUBMIT_TYPES),
        "custom_text": custom_text(params),
        "allow_promotion_codes": (as_bool(params["allow_promotion_codes"], "allow_promotion_codes")
                                  if "allow_promotion_codes" in params else None),
    }
