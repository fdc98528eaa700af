"""REST routes for Checkout Sessions: create, retrieve (expand), list, line items, expire."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, request

from ..api.errors import invalid
from ..api.forms import as_list, as_string
from ..api.http_json import json_response, only_params, request_id, request_params
from ..api.idempotency import idempotent
from ..api.lists import CURSORS, list_object, page_of, table_page
from ..discounts.store import load as load_discount
from ..discounts.store import render_coupon
from ..payment_intents.store import save_checkout_data
from ..products.store import price_with_product
from ..shipping_rates.store import insert_rate, load_rate
from .discounts import apply_discount, resolve_discount
from .expiry import expire
from .filters import LIST_PARAMS, list_conditions
from .objects import build_line_item, build_session, collapse_line_item
from .options import in_modelled_version
from .params import parse_create
from .store import StoredSession, insert_session, require_session

bp = Blueprint("api_sessions", __name__)
SESSION_EXPANSIONS = ("line_items", "line_items.data.price.product", "shipping_cost.shipping_rate",
                      "discounts.coupon", "discounts.promotion_code")


def sandbox():
    """The running sandbox's shared collaborators."""
    return current_app.extensions["stripe_sandbox"]


def expand_list(params: dict) -> list[str]:
    """The expand[] paths asked for."""
    return [as_string(p, "expand") for p in as_list(params.get("expand", ""), "expand")]


def render_session(stored: StoredSession, expand: list[str]) -> dict:
    """The session object with the requested expansions applied."""
    session = dict(stored.session)
    for path in expand:
        if path not in SESSION_EXPANSIONS:
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
    if any(p.startswith("line_items") for p in expand):
        with_product = "line_items.data.price.product" in expand
        items = [collapse_line_item(li, with_product) for li in stored.line_items]
        session["line_items"] = list_object(items[:10], len(items) > 10,
                                            f"/v1/checkout/sessions/{session['id']}/line_items")
    for path in ("discounts.coupon", "discounts.promotion_code"):
        if path in expand:
            field = path.split(".")[1]
            conn, table = sandbox().db.connection(), "coupons" if field == "coupon" else "promotion_codes"
            shown = render_coupon if field == "coupon" else dict
            session["discounts"] = [{**d, field: shown(load_discount(conn, table, d[field])) if d[field] else None}
                                    for d in session["discounts"]]
    if "shipping_cost.shipping_rate" in expand and session["shipping_cost"]:
        rate = stored.rate(session["shipping_cost"]["shipping_rate"])
        session["shipping_cost"] = {**session["shipping_cost"], "shipping_rate": rate}
    return session


def find_session(session_id: str) -> StoredSession:
    """Load a session or raise Stripe's 404."""
    return require_session(sandbox().db.connection(), session_id)


@bp.post("/v1/checkout/sessions")
@idempotent
def create_session():
    """POST /v1/checkout/sessions: validate, store, and return the new open session."""
    box = sandbox()
    reader = box.db.connection()
    params = in_modelled_version(request_params(), request.headers.get("Stripe-Version"))
    spec = parse_create(params, lambda rate_id: load_rate(reader, rate_id),
                        lambda price_id: price_with_product(reader, price_id))
    created = int(time.time())
    items = [build_line_item(item, created) for item in spec.line_items]
    session = build_session(spec, items, box.settings.public_url)
    for discount in spec.discount_requests:
        apply_discount(session, items, *resolve_discount(reader, discount, session["currency"],
                                                         session["amount_subtotal"]))
    stored = StoredSession(session, items, spec.shipping_rates)
    with box.db.transaction() as conn:
        for rate in spec.new_shipping_rates:
            insert_rate(conn, rate)
        insert_session(conn, stored)
        save_checkout_data(conn, session["id"], spec.intent_data)
    return json_response(render_session(stored, spec.expand))


@bp.get("/v1/checkout/sessions/<session_id>")
def retrieve_session(session_id: str):
    """GET /v1/checkout/sessions/{id}, with expand[]=line_items and friends."""
    params = request_params()
    only_params(params, ("expand",))
    return json_response(render_session(find_session(session_id), expand_list(params)))


@bp.get("/v1/checkout/sessions")
def list_all_sessions():
    """GET /v1/checkout/sessions: newest first, filtered as Stripe documents, paginated by cursor."""
    params = request_params()
    only_params(params, LIST_PARAMS)
    return json_response(table_page(sandbox().db.connection(), "sessions", "doc", params, "/v1/checkout/sessions",
                                    "checkout.session", list_conditions(params)))


@bp.get("/v1/checkout/sessions/<session_id>/line_items")
def list_line_items(session_id: str):
    """GET /v1/checkout/sessions/{id}/line_items with limit, starting_after, ending_before."""
    params = request_params()
    only_params(params, (*CURSORS, "expand"))
    stored = find_session(session_id)
    expand = expand_list(params)
    for path in expand:
        if path != "data.price.product":
            raise invalid(f"This property cannot be expanded ({path}).", "expand")
    items = [collapse_line_item(li, bool(expand)) for li in stored.line_items]
    return json_response(page_of(items, params, f"/v1/checkout/sessions/{session_id}/line_items", "line item"))


@bp.post("/v1/checkout/sessions/<session_id>/expire")
@idempotent
def expire_session(session_id: str):
    """POST /v1/checkout/sessions/{id}/expire: an open session becomes expired (and an event is sent)."""
    params = request_params()
    only_params(params, ("expand",))
    session = expire(sandbox(), session_id, request_id(), request.headers.get("Idempotency-Key"))
    return json_response(render_session(find_session(session["id"]), expand_list(params)))
