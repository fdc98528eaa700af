"""POST /v1/events/{id}/retry with for_stripecli=true: what `stripe events resend` calls, so a connected
`stripe listen` gets the event again (or, with none connected, as soon as one connects)."""
from __future__ import annotations

import json

from flask import Blueprint, current_app

from ..api.errors import invalid, missing, not_found
from ..api.forms import as_bool, as_string
from ..api.http_json import json_response, only_params, request_params
from ..events import log as event_log
from .destination import CLI_DESTINATION

bp = Blueprint("stripecli_retry", __name__)


@bp.post("/v1/events/<event_id>/retry")
def retry_event(event_id: str):
    """Queue the event for the CLI again and answer with the event, as Stripe does."""
    params = request_params()
    only_params(params, ("for_stripecli", "webhook_endpoint", "expand"))
    if "webhook_endpoint" in params:
        raise invalid(f"The sandbox has no webhook endpoint objects "
                      f"({as_string(params['webhook_endpoint'], 'webhook_endpoint')}); it resends to its "
                      "SANDBOX_WEBHOOK_URL from the Dashboard, and to `stripe listen` with "
                      "for_stripecli=true.", "webhook_endpoint")
    if "for_stripecli" not in params:
        raise missing("for_stripecli")
    if not as_bool(params["for_stripecli"], "for_stripecli"):
        raise invalid("Only for_stripecli=true is modelled: the sandbox resends to `stripe listen`.",
                      "for_stripecli")
    box = current_app.extensions["stripe_sandbox"]
    with box.db.transaction() as conn:
        if not event_log.event_exists(conn, event_id):
            raise not_found("event", event_id)
        event_log.queue_deliveries(conn, event_id, [CLI_DESTINATION])
        body = conn.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()["body"]
    box.notify()
    return json_response(json.loads(body))
