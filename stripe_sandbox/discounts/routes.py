"""REST routes for Coupons and Promotion codes: create, retrieve, update, list."""
from __future__ import annotations

import re
import time

from flask import Blueprint, current_app

from ..api.errors import invalid, missing
from ..api.forms import as_bool, as_hash, as_int, as_string, reject_unknown
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from ..api.ids import new_id, random_token
from ..api.lists import CURSORS, expand_paths, page_of
from ..api.metadata import merge_metadata, parse_metadata
from ..products.price_params import check_names
from ..reference.currencies import MAX_AMOUNT, parse_currency
from . import store

bp = Blueprint("api_discounts", __name__)
COUPON_PARAMS = ("id", "percent_off", "amount_off", "currency", "duration", "duration_in_months", "name",
                 "max_redemptions", "redeem_by", "metadata", "expand")
CODE_PARAMS = ("promotion", "code", "active", "max_redemptions", "expires_at", "metadata", "restrictions", "expand")
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{3,200}")
CUSTOM_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


def db():
    """The running sandbox's database."""
    return current_app.extensions["stripe_sandbox"].db


def optional_count(params: dict, name: str) -> int | None:
    """A positive count such as max_redemptions, or None."""
    return as_int(params[name], name, 1) if name in params else None


def future_time(params: dict, name: str) -> int | None:
    """A timestamp that must lie in the future, or None."""
    if name not in params:
        return None
    when = as_int(params[name], name)
    if when <= time.time():
        raise invalid(f"{name} must be in the future.", name)
    return when


@bp.post("/v1/coupons")
@idempotent
def create_coupon():
    """POST /v1/coupons: percent_off, or amount_off with currency."""
    params = request_params()
    check_names(params, COUPON_PARAMS)
    if ("percent_off" in params) == ("amount_off" in params):
        raise invalid("You must pass exactly one of percent_off or amount_off.", "percent_off")
    percent = amount = currency = None
    if "percent_off" in params:
        try:
            percent = float(as_string(params["percent_off"], "percent_off"))
        except ValueError:
            raise invalid("Invalid decimal: percent_off", "percent_off") from None
        if not 0 < percent <= 100:
            raise invalid("percent_off must be greater than 0 and at most 100.", "percent_off")
    else:
        amount = as_int(params["amount_off"], "amount_off", 1, MAX_AMOUNT)
        if "currency" not in params:
            raise missing("currency")
        currency = parse_currency(params["currency"], "currency")
    duration = as_string(params.get("duration", "once"), "duration")
    if duration not in ("forever", "once", "repeating"):
        raise invalid("Invalid duration: must be one of forever, once, or repeating", "duration")
    months = as_int(params["duration_in_months"], "duration_in_months", 1) if duration == "repeating" else None
    coupon_id = as_string(params["id"], "id") if "id" in params else random_token(8)
    if not CUSTOM_ID.fullmatch(coupon_id):
        raise invalid("A coupon id can be up to 100 letters, digits, '_' or '-'.", "id")
    name = as_string(params.get("name", ""), "name") or None
    if name and len(name) > 40:
        raise invalid("name can be up to 40 characters.", "name")
    coupon = {
        "id": coupon_id, "object": "coupon", "amount_off": amount, "created": int(time.time()),
        "currency": currency, "duration": duration, "duration_in_months": months, "livemode": False,
        "max_redemptions": optional_count(params, "max_redemptions"),
        "metadata": parse_metadata(params.get("metadata")),
        "name": name, "percent_off": percent, "redeem_by": future_time(params, "redeem_by"), "times_redeemed": 0,
        "valid": True,
    }
    with db().transaction() as conn:
        if store.load(conn, "coupons", coupon_id) is not None:
            raise invalid(f"Coupon already exists: '{coupon_id}'.", "id", "resource_already_exists")
        store.save(conn, "coupons", coupon)
    return json_response(store.render_coupon(coupon, expand_paths(params, ("applies_to",))))


@bp.get("/v1/coupons/<coupon_id>")
def retrieve_coupon(coupon_id: str):
    """GET /v1/coupons/{id}, with expand[]=applies_to."""
    params = request_params()
    only_params(params, ("expand",))
    return json_response(store.render_coupon(store.require(db().connection(), "coupons", coupon_id),
                                             expand_paths(params, ("applies_to",))))


@bp.get("/v1/coupons")
def list_coupons():
    """GET /v1/coupons: newest first, with expand[]=data.applies_to."""
    params = request_params()
    only_params(params, (*CURSORS, "expand"))
    expand = [p.removeprefix("data.") for p in expand_paths(params, ("data.applies_to",))]
    page = page_of(store.listed(db().connection(), "coupons"), params, "/v1/coupons", "coupon")
    page["data"] = [store.render_coupon(c, expand) for c in page["data"]]
    return json_response(page)


def restrictions(params: dict) -> dict:
    """restrictions[minimum_amount, minimum_amount_currency, first_time_transaction]."""
    value = as_hash(params.get("restrictions", ""), "restrictions")
    reject_unknown(value, ("minimum_amount", "minimum_amount_currency", "first_time_transaction"), "restrictions")
    minimum = as_int(value["minimum_amount"], "restrictions[minimum_amount]", 1) if "minimum_amount" in value else None
    currency = None
    if minimum is not None:
        if "minimum_amount_currency" not in value:
            raise missing("restrictions[minimum_amount_currency]")
        currency = parse_currency(value["minimum_amount_currency"], "restrictions[minimum_amount_currency]")
    first = as_bool(value["first_time_transaction"], "restrictions[first_time_transaction]") \
        if "first_time_transaction" in value else False
    return {"first_time_transaction": first, "minimum_amount": minimum, "minimum_amount_currency": currency}


@bp.post("/v1/promotion_codes")
@idempotent
def create_promotion_code():
    """POST /v1/promotion_codes: a customer-facing code for promotion[coupon]."""
    params = request_params()
    check_names(params, CODE_PARAMS)
    if "promotion" not in params:
        raise missing("promotion")
    promotion = as_hash(params["promotion"], "promotion")
    reject_unknown(promotion, ("type", "coupon"), "promotion")
    if as_string(promotion.get("type", ""), "promotion[type]") != "coupon":
        raise invalid("Invalid promotion[type]: must be coupon", "promotion[type]")
    if "coupon" not in promotion:
        raise missing("promotion[coupon]")
    code = as_string(params["code"], "code") if "code" in params else random_token(8).upper()
    if not CODE_SHAPE.fullmatch(code):
        raise invalid("A code can be 3 to 200 letters, digits, '_' or '-'.", "code")
    with db().transaction() as conn:
        coupon = store.require(conn, "coupons", as_string(promotion["coupon"], "promotion[coupon]"),
                               "promotion[coupon]")
        if store.active_code(conn, code) is not None:
            raise invalid(f"An active promotion code with `code: {code}` already exists.", "code")
        doc = {
            "id": new_id("promo", 24), "object": "promotion_code",
            "active": as_bool(params["active"], "active") if "active" in params else True, "code": code,
            "created": int(time.time()), "customer": None, "expires_at": future_time(params, "expires_at"),
            "livemode": False, "max_redemptions": optional_count(params, "max_redemptions"),
            "metadata": parse_metadata(params.get("metadata")),
            "promotion": {"coupon": coupon["id"], "type": "coupon"}, "restrictions": restrictions(params),
            "times_redeemed": 0,
        }
        store.save(conn, "promotion_codes", doc)
    return json_response(doc)


@bp.get("/v1/promotion_codes/<code_id>")
def retrieve_promotion_code(code_id: str):
    """GET /v1/promotion_codes/{id}."""
    only_params(request_params(), ("expand",))
    return json_response(store.require(db().connection(), "promotion_codes", code_id))


@bp.post("/v1/promotion_codes/<code_id>")
@idempotent
def update_promotion_code(code_id: str):
    """POST /v1/promotion_codes/{id}: active and metadata."""
    params = request_params()
    check_names(params, ("active", "metadata", "expand"))
    with db().transaction() as conn:
        doc = store.require(conn, "promotion_codes", code_id)
        if "active" in params:
            doc["active"] = as_bool(params["active"], "active")
        doc["metadata"] = merge_metadata(doc["metadata"], params)
        store.save(conn, "promotion_codes", doc)
    return json_response(doc)


@bp.get("/v1/promotion_codes")
def list_promotion_codes():
    """GET /v1/promotion_codes: newest first, filtered by code (any case), coupon and active."""
    params = request_params()
    only_params(params, (*CURSORS, "active", "code", "coupon", "expand"))
    docs = store.listed(db().connection(), "promotion_codes")
    if "code" in params:
        docs = [d for d in docs if d["code"].lower() == as_string(params["code"], "code").lower()]
    if "coupon" in params:
        docs = [d for d in docs if d["promotion"]["coupon"] == as_string(params["coupon"], "coupon")]
    if "active" in params:
        docs = [d for d in docs if d["active"] == as_bool(params["active"], "active")]
    return json_response(page_of(docs, params, "/v1/promotion_codes", "promotion code"))
