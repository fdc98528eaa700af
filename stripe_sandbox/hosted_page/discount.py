"""The hosted page's promotion code field: apply a code a customer typed, or remove it, then show the page again."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request

from ..api.errors import ApiError
from ..checkout.discounts import change_code
from ..checkout.store import load_session
from . import form_token
from .routes import STALE_FORM, checkout_page, closed_page, initial_values

bp = Blueprint("hosted_discount", __name__)


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
    try:
        with box.db.transaction() as conn:
            if request.form.get("action") == "remove":
                change_code(conn, session_id, None)
            else:
                change_code(conn, session_id, request.form.get("promotion_code", ""))
    except ApiError as exc:
        return checkout_page(stored, initial_values(stored), 422, {"promotion_code": exc.message})
    return redirect(stored.session["url"], 303)
