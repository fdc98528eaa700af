"""Find a payment intent wherever it lives: made through the API, or behind a Checkout Session."""
from __future__ import annotations

import json
import sqlite3

from ..payment_methods.store import load_method
from .charges import Payment, payment_of_intent, payment_of_session
from .objects import intent_of_session
from .store import checkout_data, load_intent

SESSION_OF_INTENT = "SELECT doc FROM sessions WHERE json_extract(doc, '$.payment_intent') = ?"


def session_of(conn: sqlite3.Connection, intent_id: str) -> dict | None:
    """The Checkout Session this payment intent belongs to, or None."""
    row = conn.execute(SESSION_OF_INTENT, (intent_id,)).fetchone()
    return json.loads(row["doc"]) if row else None


def find_intent(conn: sqlite3.Connection, intent_id: str) -> dict | None:
    """The payment intent with this id as Stripe would show it now, or None."""
    intent = load_intent(conn, intent_id)
    if intent is not None:
        return intent
    session = session_of(conn, intent_id)
    return intent_of_session(session, checkout_data(conn, session["id"])) if session else None


def payment_behind(conn: sqlite3.Connection, intent_id: str) -> tuple[Payment, bool] | None:
    """The payment behind a payment intent and whether it has a successful charge; None when unknown."""
    session = session_of(conn, intent_id)
    if session is not None:
        return payment_of_session(session), session["payment_status"] == "paid"
    intent = load_intent(conn, intent_id)
    if intent is None:
        return None
    method = load_method(conn, intent["payment_method"]) if intent["payment_method"] else None
    return payment_of_intent(intent, method.doc if method else None), intent["status"] == "succeeded"
