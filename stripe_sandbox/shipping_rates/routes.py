"""REST routes for shipping rates, so a configured shr_ id can be created and then used in sessions."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import not_found
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from ..api.lists import CURSORS, page_of
from .params import build_shipping_rate
from .store import insert_rate, list_rates, load_rate

bp = Blueprint("api_shipping_rates", __name__)


@bp.post("/v1/shipping_rates")
@idempotent
def create_rate():
    """POST /v1/shipping_rates: a fixed-amount rate with a display name."""
    rate = build_shipping_rate(request_params())
    with current_app.extensions["stripe_sandbox"].db.transaction() as conn:
        insert_rate(conn, rate)
    return json_response(rate)


@bp.get("/v1/shipping_rates/<rate_id>")
def retrieve_rate(rate_id: str):
    """GET /v1/shipping_rates/{id}."""
    rate = load_rate(current_app.extensions["stripe_sandbox"].db.connection(), rate_id)
    if rate is None:
        raise not_found("shipping_rate", rate_id)
    return json_response(rate)


@bp.get("/v1/shipping_rates")
def list_all_rates():
    """GET /v1/shipping_rates: newest first, paginated."""
    params = request_params()
    only_params(params, CURSORS)
    rates = list_rates(current_app.extensions["stripe_sandbox"].db.connection())
    return json_response(page_of(rates, params, "/v1/shipping_rates", "shipping rate"))
