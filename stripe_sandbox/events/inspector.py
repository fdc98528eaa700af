"""Sandbox-only endpoints for the webhook inspector: recent events with their attempts, and resend."""
from __future__ import annotations

from flask import Blueprint, current_app

from ..api.errors import not_found
from ..api.http_json import json_response, only_params, page_limit, request_params
from . import log as event_log

bp = Blueprint("inspector", __name__)


@bp.get("/_sandbox/events")
def recent_events():
    """GET /_sandbox/events?limit=N: a JSON list, newest first, each event with deliveries, attempts and state."""
    params = request_params()
    only_params(params, ("limit",))
    conn = current_app.extensions["stripe_sandbox"].db.connection()
    return json_response(event_log.recent_events(conn, page_limit(params, default=20)))


@bp.post("/_sandbox/events/<event_id>/resend")
def resend_event(event_id: str):
    """POST /_sandbox/events/{id}/resend: queue the same event again to every configured webhook URL."""
    box = current_app.extensions["stripe_sandbox"]
    with box.db.transaction() as conn:
        if not event_log.event_exists(conn, event_id):
            raise not_found("event", event_id)
        event_log.queue_deliveries(conn, event_id, box.settings.webhook_urls)
    box.notify()
    return json_response(event_log.describe_event(box.db.connection(), event_id))
