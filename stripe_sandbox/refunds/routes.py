"""REST routes for Refunds: create (full or partial, by payment intent or charge), retrieve, list."""
from __future__ import annotations

import json

from flask import Blueprint, current_app, request

from ..api.errors import invalid, missing, not_found
from ..api.forms import as_int, as_string
from ..api.http_json import json_response, only_params, request_id, request_params
from ..api.idempotency import idempotent
from ..api.lists import CURSORS, page_of
from ..api.metadata import parse_metadata
from ..products.price_params import check_names
from ..reference.currencies import MAX_AMOUNT
from .store import REASONS, create_refund

bp = Blueprint("api_refunds", __name__)
CREATE = ("payment_intent", "charge", "amount", "reason", "metadata", "expand")


def box():
    """The running sandbox."""
    return current_app.extensions["stripe_sandbox"]


@bp.post("/v1/refunds")
@idempotent
def refund():
    """POST /v1/refunds: refund a paid session's payment, all of what is left or `amount` of it."""
    params = request_params()
    check_names(params, CREATE)
    if "payment_intent" in params:
        payment_intent = as_string(params["payment_intent"], "payment_intent")
    elif "charge" in params:
        payment_intent = "pi_" + as_string(params["charge"], "charge").removeprefix("ch_")
    else:
        raise missing("payment_intent")
    amount = as_int(params["amount"], "amount", 1, MAX_AMOUNT) if "amount" in params else None
    reason = as_string(params["reason"], "reason") if "reason" in params else None
    if reason is not None and reason not in REASONS:
        raise invalid(f"Invalid reason: must be one of {', '.join(REASONS)}", "reason")
    sandbox = box()
    with sandbox.db.transaction() as conn:
        made = create_refund(conn, sandbox.settings.webhook_urls, payment_intent, amount, reason,
                             parse_metadata(params.get("metadata")), request_id(),
                             request.headers.get("Idempotency-Key"))
    sandbox.notify()
    return json_response(made)


@bp.get("/v1/refunds/<refund_id>")
def retrieve_refund(refund_id: str):
    """GET /v1/refunds/{id}."""
    only_params(request_params(), ("expand",))
    row = box().db.connection().execute("SELECT doc FROM refunds WHERE id = ?", (refund_id,)).fetchone()
    if row is None:
        raise not_found("refund", refund_id)
    return json_response(json.loads(row["doc"]))


@bp.get("/v1/refunds")
def list_refunds():
    """GET /v1/refunds: newest first, by payment_intent or charge."""
    params = request_params()
    only_params(params, (*CURSORS, "payment_intent", "charge", "expand"))
    rows = box().db.connection().execute("SELECT doc FROM refunds ORDER BY seq DESC").fetchall()
    docs = [json.loads(r["doc"]) for r in rows]
    for name in ("payment_intent", "charge"):
        if name in params:
            docs = [d for d in docs if d[name] == as_string(params[name], name)]
    return json_response(page_of(docs, params, "/v1/refunds", "refund"))
