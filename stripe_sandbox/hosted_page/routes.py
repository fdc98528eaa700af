"""The hosted checkout page at /pay/<id>: show the order and the form, take the payment, redirect."""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, request

from ..checkout.payments import PaymentDetails, PaymentRejected, SessionNotOpen, pay
from ..checkout.store import StoredSession, load_session
from ..discounts.store import load
from ..reference.countries import COUNTRY_NAMES
from ..reference.currencies import format_amount
from . import form_token
from .visits import note_visit

bp = Blueprint("hosted_page", __name__)
# Sent with every page of this blueprint: it may not be framed (clickjacking the Pay button),
# and its URL, which names the session, is never sent on as a Referer.
PAGE_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
STALE_FORM = ("This payment form has expired or was not sent from this page. Nothing was "
              "charged: check your details and pay again.")


@bp.after_request
def page_headers(response):
    """Add the framing, referrer and caching headers to every hosted page."""
    response.headers.update(PAGE_HEADERS)
    return response


def browser_id() -> str:
    """This browser's id from its cookie, or a new one (set on the response by checkout_page)."""
    return request.cookies.get(form_token.BROWSER_COOKIE) or form_token.new_browser_id()


def checkout_page(stored: StoredSession, values: dict, status: int = 200, errors=None,
                  decline=None):
    """The checkout form with a fresh per-page token, and the browser cookie the token is
    bound to (Lax: sent when the shopper arrives from the shop, never on a cross-site POST)."""
    box = current_app.extensions["stripe_sandbox"]
    browser = browser_id()
    token = form_token.issue(box.webhook_secret, stored.session["id"], browser)
    response = make_response(render_template(
        "checkout.html", errors=errors or {}, decline=decline, form_token=token,
        **page_model(stored, values)), status)
    response.set_cookie(form_token.BROWSER_COOKIE, browser, max_age=form_token.MAX_AGE_SECONDS,
                        httponly=True, samesite="Lax", secure=request.is_secure, path="/pay/")
    return response
# Without allowed_countries, offer every country by name ("ZZ", Stripe's unknown region, is no choice).
ANY_COUNTRY = sorted((c for c in COUNTRY_NAMES if c != "ZZ"), key=COUNTRY_NAMES.get)
FORM_FIELDS = ("email", "name", "phone", "line1", "city", "postal_code", "country", "shipping_rate",
               "payment_method", "card_number", "expiry", "cvc")
# The button's word for each submit_type, as Stripe's page words it ("auto" and none say Pay).
SUBMIT_LABELS = {"book": "Book", "donate": "Donate", "subscribe": "Subscribe"}
# The page's choice for each Stripe payment method type the sandbox models.
CHOICE_FOR_TYPE = {"card": "card", "customer_balance": "bank_transfer"}


def success_redirect(session: dict) -> str:
    """The success_url with {CHECKOUT_SESSION_ID} filled in, as Stripe does."""
    return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])


def estimate_text(rate: dict) -> str:
    """'3–5 business days' from a delivery estimate, or ''."""
    estimate = rate.get("delivery_estimate") or {}
    low, high = estimate.get("minimum"), estimate.get("maximum")
    if not (low or high):
        return ""
    unit = (high or low)["unit"].replace("_", " ")
    if low and high:
        return f"{low['value']}–{high['value']} {unit}s"
    return f"{'at least' if low else 'up to'} {(low or high)['value']} {unit}s"


def promotion_view(stored: StoredSession) -> dict | None:
    """The code field (allow_promotion_codes) and the code applied, if any, for the template."""
    session = stored.session
    if not session.get("allow_promotion_codes"):
        return None
    applied = session["discounts"][0].get("promotion_code") if session["discounts"] else None
    code = load(current_app.extensions["stripe_sandbox"].db.connection(), "promotion_codes", applied) \
        if applied else None
    return {"applied": code["code"] if code else None}


def page_model(stored: StoredSession, values: dict) -> dict:
    """Everything the checkout template shows, with amounts already formatted for the currency."""
    session = stored.session
    currency = session["currency"]
    discount = (session["total_details"] or {}).get("amount_discount", 0)
    # What the items cost after the discount: the base every shipping choice adds to.
    subtotal = session["amount_subtotal"] - discount
    allowed = (session["shipping_address_collection"] or {}).get("allowed_countries")
    rates = [{
        "id": r["id"], "name": r["display_name"], "estimate": estimate_text(r),
        "amount": format_amount(r["fixed_amount"]["amount"], currency) if r["fixed_amount"]["amount"] else "Free",
        "total": format_amount(subtotal + r["fixed_amount"]["amount"], currency),
    } for r in stored.rates]
    chosen = stored.rate(values.get("shipping_rate") or "")
    shipping = chosen["fixed_amount"]["amount"] if chosen else 0
    items = [{
        "name": li["description"], "quantity": li["quantity"],
        "description": li["price"]["product"]["description"], "images": li["price"]["product"]["images"],
        "unit": format_amount(li["price"]["unit_amount"], currency),
        "amount": format_amount(li["amount_subtotal"], currency),
    } for li in stored.line_items]
    return {
        "session": session, "items": items, "rates": rates,
        "subtotal": format_amount(session["amount_subtotal"], currency),
        "discount": format_amount(-discount, currency) if discount else None,
        "promotion": promotion_view(stored),
        "shipping": format_amount(shipping, currency) if chosen else None,
        "total": format_amount(subtotal + shipping, currency),
        "countries": [(code, COUNTRY_NAMES[code]) for code in (allowed or ANY_COUNTRY)],
        "values": values,
        "methods": [CHOICE_FOR_TYPE[t] for t in session["payment_method_types"]],
        "lang": session["locale"] if session["locale"] not in (None, "auto") else "en",
        "submit_label": SUBMIT_LABELS.get(session["submit_type"] or "", "Pay"),
        "text": {place: (entry or {}).get("message") for place, entry in session["custom_text"].items()},
    }


def initial_values(stored: StoredSession) -> dict:
    """Form values on first view: the prefilled email, the preselected rate, card payment."""
    session = stored.session
    allowed = (session["shipping_address_collection"] or {}).get("allowed_countries")
    return {
        "email": session["customer_email"] or "",
        "payment_method": CHOICE_FOR_TYPE[session["payment_method_types"][0]],
        "shipping_rate": (session["shipping_cost"] or {}).get("shipping_rate", ""),
        "country": "US" if not allowed or "US" in allowed else allowed[0],
    }


def closed_page(session: dict, status: int = 200):
    """The page shown instead of the form once a session is complete or expired."""
    target = success_redirect(session) if session["status"] == "complete" else session["cancel_url"]
    return render_template("closed.html", session=session, target=target), status


@bp.get("/pay/<session_id>")
def show(session_id: str):
    """GET the hosted checkout page."""
    stored = load_session(current_app.extensions["stripe_sandbox"].db.connection(), session_id)
    if stored is None:
        return render_template("missing.html", session_id=session_id), 404
    if stored.session["status"] != "open":
        return closed_page(stored.session)
    note_visit(current_app.extensions["stripe_sandbox"], session_id, "opened")
    return checkout_page(stored, initial_values(stored))


@bp.post("/pay/<session_id>")
def submit(session_id: str):
    """POST the form: pay and redirect to success_url (303), or show the form again with the problems."""
    box = current_app.extensions["stripe_sandbox"]
    stored = load_session(box.db.connection(), session_id)
    if stored is None:
        return render_template("missing.html", session_id=session_id), 404
    values = {name: request.form.get(name, "").strip() for name in FORM_FIELDS}
    if not form_token.is_valid(box.webhook_secret, request.form.get("form_token", ""), session_id,
                               request.cookies.get(form_token.BROWSER_COOKIE, "")):
        if stored.session["status"] != "open":
            return closed_page(stored.session, 409)
        # Not the values posted: a cross-site form must not prefill an address for the shopper.
        return checkout_page(stored, initial_values(stored), 403, decline=STALE_FORM)
    details = PaymentDetails(
        email=values["email"], name=values["name"], phone=values["phone"], line1=values["line1"],
        city=values["city"],
        postal_code=values["postal_code"], country=values["country"],
        shipping_rate=values["shipping_rate"] or None,
        method=values["payment_method"] or CHOICE_FOR_TYPE[stored.session["payment_method_types"][0]],
        card_number=values["card_number"], expiry=values["expiry"], cvc=values["cvc"],
    )
    try:
        session = pay(box, session_id, details)
    except SessionNotOpen as exc:
        return closed_page(exc.session, 409)
    except PaymentRejected as exc:
        # A code that lapsed since it was applied is said where the payer looks: above Pay.
        said = exc.decline.message if exc.decline else exc.field_errors.get("promotion_code")
        return checkout_page(stored, values, 402 if exc.decline else 422, exc.field_errors, said)
    note_visit(box, session_id, "returned")
    return redirect(success_redirect(session), 303)
