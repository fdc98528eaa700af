"""POST /v1/test_helpers/checkout/sessions/{id}/complete: pay a session without the page, same code path."""
from __future__ import annotations

import datetime

from flask import Blueprint, current_app

from ..api.errors import ApiError, invalid
from ..api.forms import as_hash, as_string
from ..api.http_json import json_response, only_params, request_params
from ..api.idempotency import idempotent
from .discounts import change_code
from .payments import PaymentDetails, PaymentRejected, SessionNotOpen, pay
from .routes import expand_list, render_session
from .store import load_session, require_session

bp = Blueprint("api_test_helpers", __name__)
PARAMS = ("card", "expiry", "cvc", "email", "name", "phone", "address", "shipping_rate", "payment_method",
          "promotion_code", "expand")
TEST_PHONE = "+1 415 555 0100"
ADDRESS_FIELDS = ("line1", "line2", "city", "postal_code", "state", "country")
DEFAULT_CARD = "4242424242424242"
US_ADDRESS = {"line1": "510 Townsend St", "city": "San Francisco", "postal_code": "94103", "state": "CA",
              "country": "US"}
# Where the helper's form field names differ from the param names a caller sent.
PARAM_FOR_FIELD = {"card_number": "card", "line1": "address[line1]", "city": "address[city]",
                   "postal_code": "address[postal_code]", "country": "address[country]"}


def default_address(allowed) -> dict:
    """A plausible address in an allowed country (San Francisco when the US is allowed or nothing is set)."""
    if not allowed or "US" in allowed:
        return dict(US_ADDRESS)
    return {"line1": "1 Test Street", "city": "Testville", "postal_code": "12345", "country": allowed[0]}


def details_from(params: dict, session: dict) -> PaymentDetails:
    """Fill PaymentDetails from the helper's params, with test defaults for whatever is left out."""
    text = {k: as_string(params[k], k) for k in PARAMS if k in params and k != "address"}
    address = as_hash(params.get("address", {}), "address")
    only_params({f"address[{k}]": v for k, v in address.items()},
                {f"address[{k}]" for k in ADDRESS_FIELDS})
    allowed = (session["shipping_address_collection"] or {}).get("allowed_countries")
    merged = {**default_address(allowed), **{k: as_string(v, f"address[{k}]") for k, v in address.items()}}
    next_year = datetime.date.today().year % 100 + 5
    return PaymentDetails(
        email=text.get("email") or session["customer_email"] or "customer@example.com",
        name=text.get("name", "Jenny Rosen"),
        phone=text.get("phone", TEST_PHONE if session["phone_number_collection"]["enabled"] else ""),
        shipping_rate=text.get("shipping_rate"),
        method=text.get("payment_method", "card"),
        card_number=text.get("card", DEFAULT_CARD),
        expiry=text.get("expiry", f"12/{next_year:02d}"),
        cvc=text.get("cvc", "1234" if text.get("card", "").startswith(("34", "37")) else "123"),
        **{k: merged.get(k, "") for k in ADDRESS_FIELDS},
    )


@bp.post("/v1/test_helpers/checkout/sessions/<session_id>/complete")
@idempotent
def complete_session(session_id: str):
    """Pay the session as the hosted page would; a decline is a 402 card_error, bad input a 400."""
    box = current_app.extensions["stripe_sandbox"]
    params = request_params()
    only_params(params, PARAMS)
    stored = require_session(box.db.connection(), session_id)
    if "promotion_code" in params and stored.session["status"] == "open":
        # The code a customer would type into the hosted page's field, applied before paying.
        with box.db.transaction() as conn:
            stored = change_code(conn, session_id, as_string(params["promotion_code"], "promotion_code"))
    try:
        pay(box, session_id, details_from(params, stored.session))
    except SessionNotOpen as exc:
        raise invalid(str(exc), code="checkout_session_not_open") from None
    except PaymentRejected as exc:
        raise rejection_error(exc) from None
    return json_response(render_session(load_session(box.db.connection(), session_id), expand_list(params)))


def rejection_error(exc: PaymentRejected) -> ApiError:
    """Map a rejected payment to Stripe's errors: bad input is a 400, a card problem or decline a 402."""
    card_fields = {p.field for p in exc.card_problems}
    for field, message in exc.field_errors.items():
        if field not in card_fields:
            return invalid(message, PARAM_FOR_FIELD.get(field, field))
    problem = exc.decline or exc.card_problems[0]
    param = PARAM_FOR_FIELD.get(problem.field, problem.field) if problem.field else None
    return ApiError(402, problem.message, type="card_error", param=param, code=problem.code,
                    decline_code=problem.decline_code)
