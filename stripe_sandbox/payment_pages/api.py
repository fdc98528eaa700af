"""GET /v1/payment_pages/{cs} and POST /v1/payment_pages/{cs}/confirm (payment_method, expected_amount)."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import invalid, missing
from ..api.forms import as_int, as_string
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from ..checkout.payments import PaymentDetails, PaymentRejected, SessionNotOpen, pay
from ..checkout.store import require_session
from ..checkout.test_helpers import TEST_PHONE, default_address, rejection_error
from ..payment_methods.store import StoredMethod, resolve_method

bp = Blueprint("payment_pages", __name__)
ADDRESS_FIELDS = ("line1", "city", "postal_code", "country")


def page_object(session: dict) -> dict:
    """What the payment page shows of its session (its id is the session's, as the CLI's fixtures use it)."""
    return {
        "id": session["id"], "object": "payment_page", "amount_total": session["amount_total"],
        "currency": session["currency"], "customer_email": session["customer_email"], "livemode": False,
        "payment_intent": session["payment_intent"], "payment_method_types": session["payment_method_types"],
        "payment_status": session["payment_status"], "session_id": session["id"], "status": session["status"],
        "url": session["url"],
    }


def details_from(method: StoredMethod, session: dict) -> PaymentDetails:
    """What the payer would type on the hosted page, from the PaymentMethod's card and billing details."""
    billing = method.doc["billing_details"]
    address = billing.get("address") or {}
    if not all(address.get(k) for k in ADDRESS_FIELDS):
        address = default_address((session["shipping_address_collection"] or {}).get("allowed_countries"))
    card = method.doc["card"]
    phone = billing.get("phone") or (TEST_PHONE if session["phone_number_collection"]["enabled"] else "")
    return PaymentDetails(
        email=billing.get("email") or session["customer_email"] or "", name=billing.get("name") or "",
        phone=phone, line1=address["line1"], line2=address.get("line2") or "", city=address["city"],
        postal_code=address["postal_code"], state=address.get("state") or "", country=address["country"],
        method="card", card_number=method.card_number,
        expiry=f"{card['exp_month']:02d}/{card['exp_year']}",
        cvc="1234" if card["brand"] == "amex" else "123")


@bp.get("/v1/payment_pages/<session_id>")
def show_page(session_id: str):
    """GET /v1/payment_pages/{cs}: the page of an open (or finished) session."""
    only_params(request_params(), ("expand",))
    stored = require_session(current_app.extensions["stripe_sandbox"].db.connection(), session_id)
    return json_response(page_object(stored.session))


@bp.post("/v1/payment_pages/<session_id>/confirm")
@idempotent
def confirm_page(session_id: str):
    """POST /v1/payment_pages/{cs}/confirm: pay the session with a PaymentMethod, as the hosted page pays."""
    params = request_params()
    only_params(params, ("payment_method", "expected_amount", "expand"))
    if "payment_method" not in params:
        raise missing("payment_method")
    box = current_app.extensions["stripe_sandbox"]
    session = require_session(box.db.connection(), session_id).session
    if "expected_amount" in params:
        expected = as_int(params["expected_amount"], "expected_amount")
        if session["amount_total"] is not None and expected != session["amount_total"]:
            raise invalid(f"expected_amount ({expected}) does not match the amount due "
                          f"({session['amount_total']}).", "expected_amount")
    with box.db.transaction() as conn:
        method = resolve_method(conn, as_string(params["payment_method"], "payment_method"))
    try:
        paid = pay(box, session_id, details_from(method, session))
    except SessionNotOpen as exc:
        raise invalid(str(exc), code="checkout_session_not_open") from None
    except PaymentRejected as exc:
        raise rejection_error(exc) from None
    return json_response(page_object(paid))
