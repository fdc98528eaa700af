"""REST routes for PaymentIntents: create (and confirm at once with a test PaymentMethod), confirm, retrieve,
list. The intents behind Checkout Sessions are retrieved and listed too."""
from __future__ import annotations

import json

from flask import Blueprint, current_app, request

from ..api.errors import invalid, not_found
from ..api.forms import as_string
from ..api.http_json import json_response, only_params, request_id, request_params
from ..api.idempotency import idempotent
from ..api.ids import new_id
from ..api.lists import CURSORS, page_of
from ..events import log as event_log
from ..payment_methods.store import resolve_method
from .confirm import confirm_intent, decline_error
from .find import find_intent
from .objects import intent_of_session, new_intent
from .params import parse_create
from .store import checkout_data, load_intent, save_intent, stored_intents

bp = Blueprint("payment_intents", __name__)
CONFIRMABLE = ("requires_payment_method", "requires_confirmation")
NO_METHOD = ("You cannot confirm this PaymentIntent because it's missing a payment method. Pass "
             "payment_method (pm_card_visa is Stripe's test card).")


def box():
    """The running sandbox."""
    return current_app.extensions["stripe_sandbox"]


def this_request() -> tuple[str | None, str | None]:
    """The request id and idempotency key an event records."""
    return request_id(), request.headers.get("Idempotency-Key")


@bp.post("/v1/payment_intents")
@idempotent
def create_intent():
    """POST /v1/payment_intents: a card intent, charged now when confirm=true."""
    spec = parse_create(request_params())
    if spec.confirm and not spec.payment_method:
        raise invalid(NO_METHOD, "payment_method", "payment_intent_unexpected_state")
    sandbox = box()
    with sandbox.db.transaction() as conn:
        intent = new_intent(new_id("pi"), spec)
        method = resolve_method(conn, spec.payment_method) if spec.payment_method else None
        if method is not None:
            intent["payment_method"] = method.doc["id"]
        save_intent(conn, intent)
        event_log.record_event(conn, sandbox.settings.webhook_urls, "payment_intent.created", intent,
                               *this_request())
        decline = confirm_intent(conn, sandbox.settings.webhook_urls, intent, method, this_request()) \
            if spec.confirm else None
    sandbox.notify()
    if decline is not None:
        raise decline_error(decline, intent)
    return json_response(intent)


@bp.post("/v1/payment_intents/<intent_id>/confirm")
@idempotent
def confirm(intent_id: str):
    """POST /v1/payment_intents/{id}/confirm, with the payment_method given now or at creation."""
    params = request_params()
    only_params(params, ("payment_method", "expand"))
    sandbox = box()
    with sandbox.db.transaction() as conn:
        intent = load_intent(conn, intent_id)
        if intent is None:
            if find_intent(conn, intent_id) is None:
                raise not_found("payment_intent", intent_id, "intent")
            raise invalid("This PaymentIntent belongs to a Checkout Session, which confirms it.", None,
                          "payment_intent_unexpected_state")
        if intent["status"] not in CONFIRMABLE:
            raise invalid(f"This PaymentIntent's status is {intent['status']}, so it cannot be confirmed.",
                          None, "payment_intent_unexpected_state")
        chosen = as_string(params["payment_method"], "payment_method") if "payment_method" in params \
            else intent["payment_method"]
        if not chosen:
            raise invalid(NO_METHOD, "payment_method", "payment_intent_unexpected_state")
        decline = confirm_intent(conn, sandbox.settings.webhook_urls, intent, resolve_method(conn, chosen),
                                 this_request())
    sandbox.notify()
    if decline is not None:
        raise decline_error(decline, intent)
    return json_response(intent)


@bp.get("/v1/payment_intents/<intent_id>")
def retrieve_intent(intent_id: str):
    """GET /v1/payment_intents/{id}: one made here, or the one behind a Checkout Session."""
    only_params(request_params(), ("expand", "client_secret"))
    intent = find_intent(box().db.connection(), intent_id)
    if intent is None:
        raise not_found("payment_intent", intent_id, "intent")
    return json_response(intent)


@bp.get("/v1/payment_intents")
def list_intents():
    """GET /v1/payment_intents: newest first, those made here and those behind paid Checkout Sessions."""
    params = request_params()
    only_params(params, (*CURSORS, "expand"))
    conn = box().db.connection()
    rows = conn.execute("SELECT doc FROM sessions WHERE json_extract(doc, '$.payment_intent') IS NOT NULL")
    sessions = [json.loads(r["doc"]) for r in rows]
    intents = stored_intents(conn) + [intent_of_session(s, checkout_data(conn, s["id"])) for s in sessions]
    intents.sort(key=lambda i: i["created"], reverse=True)
    return json_response(page_of(intents, params, "/v1/payment_intents", "payment_intent"))
