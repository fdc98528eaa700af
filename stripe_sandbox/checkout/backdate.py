"""POST /v1/test_helpers/checkout/sessions/{id}/backdate: a sandbox-only test helper (no real
Stripe has it) that moves an open session's creation into the past, so demo data can span weeks.

The session's `created` becomes the given time, and every event later recorded for the session
is stamped as many seconds earlier as the session was moved: a purchase paid a second after
being backdated to last Tuesday reads, in its events, as paid last Tuesday. Expiry is left alone.
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app

from ..api.errors import invalid
from ..api.forms import as_int
from ..api.http_json import json_response, only_params, request_params
from ..events.backdating import add_shift
from .routes import expand_list, render_session
from .store import load_session, require_session, update_session

bp = Blueprint("api_backdate", __name__)
MAX_AGE = 90 * 24 * 3600  # the furthest back a session may be moved


@bp.post("/v1/test_helpers/checkout/sessions/<session_id>/backdate")
def backdate_session(session_id: str):
    """Set an open session's `created` to a past time (at most 90 days ago); 400 otherwise."""
    box = current_app.extensions["stripe_sandbox"]
    params = request_params()
    only_params(params, ("created", "expand"))
    if "created" not in params:
        raise invalid("Missing required param: created.", "created", "parameter_missing")
    now = int(time.time())
    created = as_int(params["created"], "created", minimum=now - MAX_AGE, maximum=now)
    with box.db.transaction() as conn:
        session = require_session(conn, session_id).session
        if session["status"] != "open":
            raise invalid(f"Only an open Checkout Session can be backdated; {session_id} is "
                          f"{session['status']}.", code="checkout_session_not_open")
        moved = session["created"] - created
        session["created"] = created
        update_session(conn, session)
        add_shift(conn, session_id, moved)
    stored = load_session(box.db.connection(), session_id)
    return json_response(render_session(stored, expand_list(params)))
