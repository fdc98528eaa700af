"""The sandbox's Dashboard at /dashboard: payments newest first with a refund action, events with their
deliveries and a resend, like the pages of Stripe's Dashboard a learner checks after paying.

It answers only with the sandbox's key (the browser asks for it: user name = the key, no password), and
every action carries a form token bound to the browser, so another site cannot post one.
"""
from __future__ import annotations

import json
import re

from flask import Blueprint, current_app, make_response, redirect, render_template, request

from ..api.errors import ApiError
from ..api.forms import as_int
from ..events import log as event_log
from ..hosted_page import form_token
from ..reference.currencies import format_amount
from ..refunds.store import create_refund, refunds_of

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


def page(status: int = 200, message: str | None = None, problem: str | None = None):
    """The Dashboard with a fresh form token and the browser cookie it is bound to."""
    box = current_app.extensions["stripe_sandbox"]
    conn = box.db.connection()
    rows = conn.execute("SELECT doc, line_items FROM sessions ORDER BY seq DESC LIMIT ?", (PAGE_SIZE,)).fetchall()
    browser = request.cookies.get(form_token.BROWSER_COOKIE) or form_token.new_browser_id()
    response = make_response(render_template(
        "dashboard.html", payments=[payment_row(conn, r) for r in rows],
        events=event_log.recent_events(conn, 30), message=message, problem=problem,
        form_token=form_token.issue(box.webhook_secret, PAGE_ID, browser)), status)
    response.set_cookie(form_token.BROWSER_COOKIE, browser, max_age=form_token.MAX_AGE_SECONDS, httponly=True,
                        samesite="Lax", secure=request.is_secure, path="/dashboard")
    response.headers.update({"X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'",
                             "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
    return response


def token_ok() -> bool:
    """The posted form came from a Dashboard page this sandbox served to this browser."""
    box = current_app.extensions["stripe_sandbox"]
    return form_token.is_valid(box.webhook_secret, request.form.get("form_token", ""), PAGE_ID,
                               request.cookies.get(form_token.BROWSER_COOKIE, ""))


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
        return page(403, problem="This form has expired or was not sent from this page; nothing was refunded.")
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
        return page(403, problem="This form has expired or was not sent from this page; nothing was resent.")
    box = current_app.extensions["stripe_sandbox"]
    with box.db.transaction() as conn:
        if not event_log.event_exists(conn, event_id):
            return page(404, problem=f"No such event: {event_id}")
        event_log.queue_deliveries(conn, event_id, box.settings.webhook_urls)
    box.notify()
    return redirect(f"../../../dashboard?done=Resent+{event_id}", 303)
