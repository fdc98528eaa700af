"""REST routes for PaymentMethods: create a card from a test token, retrieve one."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import invalid, missing, not_found
from ..api.forms import as_hash, as_string, reject_unknown
from ..api.http_json import json_response, only_params, request_params
from ..api.metadata import parse_metadata
from .store import StoredMethod, card_method, insert_method, load_method
from .test_cards import TEST_CARDS, token_card

bp = Blueprint("payment_methods", __name__)
CREATE = ("type", "card", "billing_details", "metadata", "expand")
BILLING = ("address", "email", "name", "phone")
ADDRESS = ("city", "country", "line1", "line2", "postal_code", "state")
RAW_NUMBERS = ("Sending credit card numbers directly to the Stripe API is generally unsafe. Use a test "
               "token instead: card[token]=tok_visa (or tok_mastercard, tok_chargeDeclined, ...).")


def parse_billing(value) -> dict:
    """billing_details[...] as plain strings, the address as a hash of its own."""
    billing = as_hash(value or {}, "billing_details")
    reject_unknown(billing, BILLING, "billing_details")
    address = as_hash(billing.get("address", {}), "billing_details[address]")
    reject_unknown(address, ADDRESS, "billing_details[address]")
    parsed = {k: as_string(billing[k], f"billing_details[{k}]") for k in BILLING if k in billing
              and k != "address"}
    parsed["address"] = {k: as_string(v, f"billing_details[address][{k}]") for k, v in address.items()}
    return parsed


def card_number(value) -> str:
    """The test card behind card[token]; raw numbers are refused as Stripe refuses them."""
    card = as_hash(value, "card")
    if "number" in card:
        raise invalid(RAW_NUMBERS, "card[number]")
    reject_unknown(card, ("token",), "card")
    if "token" not in card:
        raise missing("card[token]")
    token = as_string(card["token"], "card[token]")
    number = token_card(token)
    if number is None:
        names = ", ".join(f"tok_{name}" for name in list(TEST_CARDS)[:5])
        raise invalid(f"No such token: '{token}'. The sandbox knows Stripe's test tokens ({names}, ...).",
                      "card[token]", "resource_missing")
    return number


@bp.post("/v1/payment_methods")
def create_method():
    """POST /v1/payment_methods: a card PaymentMethod from a test token, with its billing details."""
    params = request_params()
    only_params(params, CREATE)
    if "type" not in params:
        raise missing("type")
    kind = as_string(params["type"], "type")
    if kind != "card":
        raise invalid(f"The sandbox models card PaymentMethods only (got type={kind}).", "type")
    if "card" not in params:
        raise missing("card")
    number = card_number(params["card"])
    method = StoredMethod(card_method(number, parse_billing(params.get("billing_details")),
                                      parse_metadata(params.get("metadata"))), number)
    with current_app.extensions["stripe_sandbox"].db.transaction() as conn:
        insert_method(conn, method)
    return json_response(method.doc)


@bp.get("/v1/payment_methods/<method_id>")
def retrieve_method(method_id: str):
    """GET /v1/payment_methods/{id}."""
    only_params(request_params(), ("expand",))
    method = load_method(current_app.extensions["stripe_sandbox"].db.connection(), method_id)
    if method is None:
        raise not_found("PaymentMethod", method_id)
    return json_response(method.doc)
