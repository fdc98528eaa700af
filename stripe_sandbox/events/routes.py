"""REST routes for Events: GET /v1/events (by type, created, delivery success; paginated) and GET /v1/events/{id},
the events the sandbox recorded, each as its webhooks carried it."""
from __future__ import annotations

import json
import re

from flask import Blueprint, current_app

from ..api.errors import invalid, not_found
from ..api.forms import as_bool, as_list, as_string
from ..api.http_json import json_response, only_params, request_params
from ..api.lists import CURSORS, created_conditions, expand_paths, table_page
from . import log as event_log

bp = Blueprint("events", __name__)
LIST_PARAMS = (*CURSORS, "type", "types", "created", "delivery_success", "expand")
# An event type, or a group of them with * as a wildcard (checkout.session.*).
TYPE_PATTERN = re.compile(r"[a-z0-9_.*]+")
MAX_TYPES = 20
# Whether every endpoint has had the event (true) or some is still trying or gave up (false).
ALL_DELIVERED = ("NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id "
                 "AND d.state != 'delivered') = ?")


def type_conditions(params: dict) -> list[tuple[str, object]]:
    """type (a name, or a pattern with *) or types[] (up to 20 names), as SQL conditions."""
    if "type" in params and "types" in params:
        raise invalid("You may only specify one of these parameters: type, types.", "type")
    if "type" in params:
        wanted = as_string(params["type"], "type")
        if not TYPE_PATTERN.fullmatch(wanted):
            raise invalid(f"Invalid type: {wanted!r} is not an event type.", "type")
        return [("type GLOB ?" if "*" in wanted else "type = ?", wanted)]
    if "types" in params:
        names = [as_string(t, f"types[{i}]") for i, t in enumerate(as_list(params["types"], "types"))]
        if len(names) > MAX_TYPES:
            raise invalid(f"You can pass up to {MAX_TYPES} types.", "types")
        return [("type IN (SELECT value FROM json_each(?))", json.dumps(names))]
    return []


@bp.get("/v1/events")
def list_events():
    """GET /v1/events: newest first, filtered by type or types, created and delivery_success."""
    params = request_params()
    only_params(params, LIST_PARAMS)
    expand_paths(params, ())
    conditions = type_conditions(params)
    if "created" in params:
        conditions.extend(created_conditions(params["created"], "created"))
    if "delivery_success" in params:
        conditions.append((ALL_DELIVERED, int(as_bool(params["delivery_success"], "delivery_success"))))
    conn = current_app.extensions["stripe_sandbox"].db.connection()
    page = table_page(conn, "events", "body", params, "/v1/events", "event", conditions)
    page["data"] = [event_log.with_pending_count(conn, event) for event in page["data"]]
    return json_response(page)


@bp.get("/v1/events/<event_id>")
def retrieve_event(event_id: str):
    """GET /v1/events/{id}."""
    params = request_params()
    only_params(params, ("expand",))
    expand_paths(params, ())
    event = event_log.load_event(current_app.extensions["stripe_sandbox"].db.connection(), event_id)
    if event is None:
        raise not_found("event", event_id)
    return json_response(event)
