"""Paying for a session (hosted page and test helper share this), and the delayed method's later outcome.

A payer email containing "+async_fail" makes a bank-transfer payment fail after the delay.
"""
from __future__ import annotations

import datetime
import re
import time
from dataclasses import dataclass

from .. import jobs
from ..api.errors import ApiError
from ..api.ids import new_id
from ..context import Sandbox
from ..events import log as event_log
from ..reference.cards import CardProblem, charge_outcome, check_fields
from ..reference.countries import COUNTRY_NAMES, country_name
from .discounts import count_redemption, recheck_redeemable
from .objects import choose_shipping
from .store import load_session, require_session, update_session

ASYNC_FAIL_MARKER = "+async_fail"
# The hosted page's choices, and the Stripe payment method type each one is.
METHODS = {"card": "card", "bank_transfer": "customer_balance"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{5,24}$")


@dataclass
class PaymentDetails:
    """What the payer entered: contact, address, shipping choice, payment method and card."""

    email: str = ""
    name: str = ""
    phone: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    state: str = ""
    country: str = ""
    shipping_rate: str | None = None
    method: str = "card"
    card_number: str = ""
    expiry: str = ""
    cvc: str = ""


class PaymentRejected(Exception):
    """The payment did not go through: fixable field errors, or a declined card."""

    def __init__(self, field_errors: dict[str, str], decline: CardProblem | None = None,
                 card_problems: list[CardProblem] = ()):
        super().__init__(decline.message if decline else "; ".join(field_errors.values()))
        self.field_errors = field_errors
        self.decline = decline
        self.card_problems = list(card_problems)


class SessionNotOpen(Exception):
    """The session is complete or expired, so it cannot be paid."""

    def __init__(self, session: dict):
        super().__init__(f"This Checkout Session is not open (status: {session['status']}).")
        self.session = session


def check_details(details: PaymentDetails, session: dict, rates) -> dict[str, str]:
    """Field errors in the non-card part of the form, keyed by field name."""
    allowed_countries = (session["shipping_address_collection"] or {}).get("allowed_countries")
    errors = {}
    if not details.email.strip():
        errors["email"] = "Enter your email address."
    elif not EMAIL.match(details.email.strip()):
        errors["email"] = "Your email address is invalid."
    for name, message in (("name", "Enter your full name."), ("line1", "Enter an address."),
                          ("city", "Enter a city."), ("postal_code", "Enter a postal code.")):
        if not getattr(details, name).strip():
            errors[name] = message
    if details.country not in COUNTRY_NAMES:
        errors["country"] = "Choose a country."
    elif allowed_countries and details.country not in allowed_countries:
        errors["country"] = f"We cannot ship to {country_name(details.country)}."
    if rates and details.shipping_rate not in {r["id"] for r in rates}:
        errors["shipping_rate"] = "Choose one of the shipping options."
    if METHODS.get(details.method) not in session["payment_method_types"]:
        errors["payment_method"] = "Choose a payment method."
    if session["phone_number_collection"]["enabled"]:
        if not details.phone.strip():
            errors["phone"] = "Enter your phone number."
        elif not PHONE.match(details.phone.strip()) or sum(c.isdigit() for c in details.phone) < 6:
            errors["phone"] = "Your phone number is invalid."
    return errors


def pay(sandbox: Sandbox, session_id: str, details: PaymentDetails) -> dict:
    """Complete the session if the details and card are good; emit checkout.session.completed; return the session."""
    with sandbox.db.transaction() as conn:
        stored = require_session(conn, session_id)
        session = stored.session
        if session["status"] != "open":
            raise SessionNotOpen(session)
        if details.shipping_rate is None and stored.rates:
            details.shipping_rate = (session["shipping_cost"] or {}).get("shipping_rate")
        errors = check_details(details, session, stored.rates)
        card_problems = []
        if details.method == "card":
            card_problems = check_fields(details.card_number, details.expiry, details.cvc, datetime.date.today())
            errors.update({p.field: p.message for p in card_problems})
        try:
            recheck_redeemable(conn, session)
        except ApiError as exc:
            errors[exc.param or "promotion_code"] = exc.message
        if errors:
            raise PaymentRejected(errors, card_problems=card_problems)
        decline = charge_outcome(details.card_number) if details.method == "card" else None
        if decline:
            raise PaymentRejected({}, decline)
        complete(session, stored.rate(details.shipping_rate) if details.shipping_rate else None, details)
        update_session(conn, session)
        count_redemption(conn, session)
        event_log.record_event(conn, sandbox.settings.webhook_urls, "checkout.session.completed", session)
        if details.method == "bank_transfer":
            failing = ASYNC_FAIL_MARKER in details.email.lower()
            kind = "async_payment_failed" if failing else "async_payment_succeeded"
            jobs.schedule(conn, kind, session_id, time.time() + sandbox.settings.async_delay_seconds)
    sandbox.notify()
    return session


def complete(session: dict, rate: dict | None, details: PaymentDetails) -> None:
    """Mark the session complete: paid now for a card, unpaid until later for the delayed bank transfer."""
    if rate is not None or session["shipping_options"]:
        choose_shipping(session, rate)
    address = {"city": details.city.strip(), "country": details.country, "line1": details.line1.strip(),
               "line2": details.line2.strip() or None, "postal_code": details.postal_code.strip(),
               "state": details.state.strip() or None}
    session["customer_details"] = {
        "address": address, "business_name": None, "email": details.email.strip(), "individual_name": None,
        "name": details.name.strip(), "phone": details.phone.strip() or None, "tax_exempt": "none",
        "tax_ids": [],
    }
    if session["customer_creation"] == "always":
        # Stripe makes a Customer for the payer; the sandbox gives the id (it has no Customers API).
        session["customer"] = new_id("cus", 14)
    if session["shipping_address_collection"]:
        session["collected_information"] = {
            "business_name": None, "individual_name": None,
            "shipping_details": {"address": dict(address), "name": details.name.strip()},
        }
    session["status"] = "complete"
    session["payment_status"] = "paid" if details.method == "card" else "unpaid"
    session["payment_intent"] = new_id("pi")
    session["url"] = None


def settle_delayed(sandbox: Sandbox, job: dict) -> None:
    """Run a due delayed-payment job: mark the session paid (or not) and emit the async event."""
    with sandbox.db.transaction() as conn:
        stored = load_session(conn, job["object_id"])
        if stored and stored.session["payment_status"] == "unpaid" and stored.session["status"] == "complete":
            session = stored.session
            if job["kind"] == "async_payment_succeeded":
                session["payment_status"] = "paid"
                update_session(conn, session)
            event_log.record_event(conn, sandbox.settings.webhook_urls, f"checkout.session.{job['kind']}", session)
        jobs.finish(conn, job["id"])
    sandbox.notify()
