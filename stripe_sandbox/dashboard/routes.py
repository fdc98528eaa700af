"""The sandbox's Dashboard at /dashboard: payments newest first with a refund action, events with their
deliveries and a resend, like the pages of Stripe's Dashboard a learner checks after paying.

It answers only a browser signed in with the sandbox's key (its own sign-in form, then an HttpOnly,
SameSite=Strict session cookie: dashboard/sign_in.py); every action comes from its own pages and carries a
form token bound to the browser that works once, so another site cannot post one and a resubmit does nothing.
"""
from __future__ import annotations

import json
import re

from flask import Blueprint, current_app, make_response, redirect, render_template, request
from werkzeug.wrappers import Response

from ..api.errors import ApiError
from ..api.forms import as_int
from ..events import log as event_log
from ..hosted_page import form_token
from ..reference.currencies import format_amount
from ..refunds.store import create_refund, refunds_of
from . import sign_in

bp = Blueprint("dashboard", __name__)
PAGE_ID = "dashboard"  # what the form token is bound to, besides the browser
PAGE_SIZE = 50
DONE = re.compile(r"Refunded \d+ \(re_[A-Za-z0-9]+\)|Resent evt_[A-Za-z0-9]+")


def payment_row(conn, row) -> dict:
    """One session as the payments table shows it."""
    session, items = json.loads(row["doc"]), json.loads(row["line_items"])
    currency = session["currency"]
    refunded = sum(r["amount"] for r in refunds_of(conn, session["payment_intent"])) \
        if session["payment_intent"] else 0
    total = session["amount_total"] or 0
    return {
        "id": session["id"], "created": session["created"], "status": session["status"],
        "payment_status": session["payment_status"], "amount": format_amount(total, currency),
        "refunded": format_amount(refunded, currency) if refunded else None,
        "customer": (session["customer_details"] or {}).get("email") or session["customer_email"] or "",
        "lines": [f"{li['description']} × {li['quantity']}" for li in items],
        "payment_intent": session["payment_intent"],
        "refundable": session["payment_status"] == "paid" and refunded < total,
        "currency": currency.upper(),
    }


def root() -> str:
    """The way back to the sandbox's root from this request's path, so each page's forms post to
    /dashboard/... wherever it is shown (/dashboard, or /dashboard/refunds after a refused one)."""
    return "../" * (request.path.count("/") - 1)


def private(response: Response) -> Response:
    """The Dashboard's headers: never framed, never cached, no Referer."""
    response.headers.update({"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
                             "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
    return response


def sign_in_page(status: int = 200, problem: str | None = None) -> Response:
    """The sign-in form: the sandbox's key, typed once."""
    return private(make_response(render_template("sign_in.html", problem=problem, root=root()), status))


def page(status: int = 200, message: str | None = None, problem: str | None = None):
    """The Dashboard with a fresh form token and the browser cookie it is bound to."""
    box = current_app.extensions["stripe_sandbox"]
    conn = box.db.connection()
    rows = conn.execute("SELECT doc, line_items FROM sessions ORDER BY seq DESC LIMIT ?", (PAGE_SIZE,)).fetchall()
    browser = request.cookies.get(form_token.BROWSER_COOKIE) or form_token.new_browser_id()
    response = make_response(render_template(
        "dashboard.html", payments=[payment_row(conn, r) for r in rows],
        events=event_log.recent_events(conn, 30), message=message, problem=problem, root=root(),
        form_token=form_token.issue(box.webhook_secret, PAGE_ID, browser)), status)
    response.set_cookie(form_token.BROWSER_COOKIE, browser, max_age=form_token.MAX_AGE_SECONDS, httponly=True,
                        samesite="Lax", secure=request.is_secure, path="/dashboard")
    return private(response)


@bp.before_request
def signed_in_from_own_pages():
    """Every form post comes from the sandbox's own pages; everything but signing in needs the session."""
    if request.method == "POST" and not sign_in.from_own_page(request.headers):
        return private(make_response("Refused: this form was sent from another site.", 403))
    if request.endpoint == "dashboard.sign_in_with_key":
        return None
    box = current_app.extensions["stripe_sandbox"]
    if not sign_in.is_signed_in(box.api_key, request.cookies.get(sign_in.SESSION_COOKIE)):
        return sign_in_page(401 if request.method == "POST" else 200)
    return None


def token_ok() -> bool:
    """The posted form came from a Dashboard page this sandbox served to this browser, and its token
    has not been used before."""
    box = current_app.extensions["stripe_sandbox"]
    token = request.form.get("form_token", "")
    if not form_token.is_valid(box.webhook_secret, token, PAGE_ID,
                               request.cookies.get(form_token.BROWSER_COOKIE, "")):
        return False
    with box.db.transaction() as conn:
        return sign_in.spend(conn, token)


@bp.post("/dashboard/sign-in")
def sign_in_with_key():
    """Check the key typed into the sign-in form; the browser then holds the Dashboard's session."""
    box = current_app.extensions["stripe_sandbox"]
    if not sign_in.key_matches(box.api_key, request.form.get("key", "")):
        return sign_in_page(401, problem="That is not the sandbox's key.")
    response = redirect(f"{root()}dashboard", 303)
    response.set_cookie(**sign_in.session_cookie(box.api_key, request.is_secure))
    return private(response)


@bp.post("/dashboard/sign-out")
def sign_out():
    """Forget the Dashboard's session in this browser."""
    response = redirect(f"{root()}dashboard", 303)
    response.delete_cookie(sign_in.SESSION_COOKIE, path="/dashboard")
    return private(response)


@bp.get("/dashboard")
def show():
    """GET the Dashboard."""
    done = request.args.get("done", "")
    # Only the sandbox's own two confirmations are shown: a link cannot put other words on the page.
    return page(message=done if DONE.fullmatch(done) else None)


@bp.post("/dashboard/refunds")
def refund():
    """Refund a payment in full, or the amount typed (in minor units), then show the Dashboard again."""
    if not token_ok():
        return page(403, problem="This form was used already, has expired or was not sent from this page; "
                                 "nothing was refunded.")
    box = current_app.extensions["stripe_sandbox"]
    try:
        raw = request.form.get("amount", "").strip()
        amount = as_int(raw, "amount", 1) if raw else None
        with box.db.transaction() as conn:
            made = create_refund(conn, box.settings.webhook_urls, request.form.get("payment_intent", ""),
                                 amount, "requested_by_customer", {"source": "sandbox dashboard"})
    except ApiError as exc:
        return page(400, problem=exc.message)
    box.notify()
    return redirect(f"../dashboard?done=Refunded+{made['amount']}+({made['id']})", 303)


@bp.post("/dashboard/events/<event_id>/resend")
def resend(event_id: str):
    """Queue an event to every webhook endpoint again."""
    if not token_ok():
        return page(403, problem="This form was used already, has expired or was not sent from this page; "
                                 "nothing was resent.")
    box = current_app.extensions["stripe_sandbox"]
    with box.db.transaction() as conn:
        if not event_log.event_exists(conn, event_id):
            return page(404, problem=f"No such event: {event_id}")
        event_log.queue_deliveries(conn, event_id, box.settings.webhook_urls)
    box.notify()
    return redirect(f"../../../dashboard?done=Resent+{event_id}", 303)
