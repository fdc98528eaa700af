"""Confirming a payment intent: the test card's outcome, the intent's new state, and the events Stripe sends."""
from __future__ import annotations

import sqlite3

from ..api.errors import ApiError
from ..events import log as event_log
from ..payment_methods.store import StoredMethod
from ..reference.cards import CardProblem, charge_outcome
from .charges import charge_object, payment_of_intent
from .objects import declined, succeeded
from .store import save_intent


def confirm_intent(conn: sqlite3.Connection, urls, intent: dict, method: StoredMethod,
                   request: tuple[str | None, str | None] = (None, None)) -> CardProblem | None:
    """Charge the method's test card and save the intent: charge.succeeded and payment_intent.succeeded,
    or charge.failed and payment_intent.payment_failed. Returns the decline, if any."""
    decline = charge_outcome(method.card_number)
    if decline is None:
        succeeded(intent, method.doc["id"])
    else:
        declined(intent, method.doc, decline)
    save_intent(conn, intent)
    charge = charge_object(payment_of_intent(intent, method.doc), decline=decline)
    if decline is None:
        event_log.record_event(conn, urls, "charge.succeeded", charge, *request)
        event_log.record_event(conn, urls, "payment_intent.succeeded", intent, *request)
    else:
        event_log.record_event(conn, urls, "charge.failed", charge, *request)
        event_log.record_event(conn, urls, "payment_intent.payment_failed", intent, *request)
    return decline


def decline_error(decline: CardProblem, intent: dict) -> ApiError:
    """The 402 card_error Stripe answers a declined confirmation with."""
    return ApiError(402, decline.message, type="card_error", code=decline.code,
                    decline_code=decline.decline_code,
                    param=None if decline.code == "card_declined" else "payment_method")
