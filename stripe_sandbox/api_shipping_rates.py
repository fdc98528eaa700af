"""REST routes for shipping rates, so a configured shr_ id can be created and then used in sessions."""
from __future__ import annotations

from flask import Blueprint, current_app

from .errors import invalid, not_found
from .http_json import json_response, only_params, page_limit, request_params
from .idempotency import idempotent
from .nested_params import as_string
from .session_objects import list_object, paginate
from .session_store import insert_rate, list_rates, load_rate
from .shipping_rates import build_shipping_rate

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
    only_params(params, ("limit", "starting_after", "ending_before"))
    rates = list_rates(current_app.extensions["stripe_sandbox"].db.connection())
    cursors = {k: as_string(params[k], k) for k in ("starting_after", "ending_before") if k in params}
    page = paginate(rates, page_limit(params), cursors.get("starting_after"), cursors.get("ending_before"))
    if page is None:
        name = next(iter(cursors))
        raise invalid(f"No such shipping rate: '{cursors[name]}'", name, "resource_missing")
    return json_response(list_object(page[0], page[1], "/v1/shipping_rates"))
