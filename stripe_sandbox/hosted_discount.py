"""The hosted page's promotion code field: apply a code a customer typed, or remove it, then show the page again."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request

from . import form_token
from .discounts import apply_discount, find_code, redeemable
from .errors import ApiError
from .hosted_page import STALE_FORM, checkout_page, closed_page, initial_values
from .session_store import load_session, update_line_items, update_session

bp = Blueprint("hosted_discount", __name__)
UNKNOWN_CODE = "This code is invalid."


@bp.post("/pay/<session_id>/promotion_code")
def promotion_code(session_id: str):
    """Apply (or remove, action=remove) a promotion code on an open session that allows codes."""
    box = current_app.extensions["stripe_sandbox"]
    stored = load_session(box.db.connection(), session_id)
    if stored is None:
        return render_template("missing.html", session_id=session_id), 404
    if stored.session["status"] != "open":
        return closed_page(stored.session, 409)
    if not form_token.is_valid(box.webhook_secret, request.form.get("form_token", ""), session_id,
                               request.cookies.get(form_token.BROWSER_COOKIE, "")):
        return checkout_page(stored, initial_values(stored), 403, decline=STALE_FORM)
    if not stored.session.get("allow_promotion_codes"):
        return checkout_page(stored, initial_values(stored), 409, decline="This checkout does not take codes.")
    with box.db.transaction() as conn:
        stored = load_session(conn, session_id)
        if request.form.get("action") == "remove":
            apply_discount(stored.session, stored.line_items, None, None)
        else:
            found = find_code(conn, request.form.get("promotion_code", ""))
            try:
                if found is None:
                    raise ApiError(400, UNKNOWN_CODE)
                redeemable(conn, *found, stored.session["currency"], stored.session["amount_subtotal"],
                           "promotion_code")
            except ApiError as exc:
                message = exc.message if found else UNKNOWN_CODE
                return checkout_page(stored, initial_values(stored), 422, {"promotion_code": message})
            apply_discount(stored.session, stored.line_items, *found)
        update_session(conn, stored.session)
        update_line_items(conn, session_id, stored.line_items)
    return redirect(stored.session["url"], 303)
