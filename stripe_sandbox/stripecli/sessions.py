"""POST /v1/stripecli/sessions: what `stripe listen` and `stripe logs tail` ask for before they dial in.

Any 4xx here is fatal to the CLI, so every refusal names what the sandbox does not model.
"""
from __future__ import annotations

import json

from flask import Blueprint, current_app

from ..api.errors import ApiError, invalid, missing
from ..api.forms import as_list, as_string
from ..api.http_json import json_response, only_params, request_params
from ..api.ids import random_token
from ..api.versions import MODELLED_VERSION
from .hub import REQUEST_LOGS, WEBHOOKS

bp = Blueprint("stripecli_sessions", __name__)
PARAMS = ("device_name", "websocket_features", "filters", "forward_to_url", "forward_connect_to_url",
          "forward_thin_to_url", "forward_thin_connect_to_url")
# The CLI resets its connection this often (0 would mean its own default, a minute).
RECONNECT_DELAY_SECONDS = 300


def feature_asked(params: dict) -> str:
    """The one feature this session is for: webhooks (listen) or request_logs (logs tail)."""
    features = [as_string(f, "websocket_features[]")
                for f in as_list(params.get("websocket_features", ""), "websocket_features")]
    if not features:
        raise missing("websocket_features")
    for feature in (WEBHOOKS, REQUEST_LOGS):
        if feature in features:
            return feature
    raise invalid(f"The sandbox serves the websocket features webhooks (stripe listen --events or "
                  f"--all-snapshot) and request_logs (stripe logs tail), not {', '.join(features)}: "
                  "thin events (--all-thin, --thin-events) are not modelled.", "websocket_features")


def filters_asked(params: dict) -> dict:
    """logs tail's filters, sent as one JSON object."""
    raw = as_string(params.get("filters", "{}"), "filters") or "{}"
    try:
        filters = json.loads(raw)
    except ValueError:
        raise invalid("filters must be a JSON object.", "filters") from None
    if not isinstance(filters, dict):
        raise invalid("filters must be a JSON object.", "filters")
    return filters


@bp.post("/v1/stripecli/sessions")
def create_session():
    """A new CLI session: where to dial, the id to dial with, and the secret events are signed with."""
    params = request_params()
    only_params(params, PARAMS)
    box = current_app.extensions["stripe_sandbox"]
    if box.cli is None or not box.cli.websocket_url:
        raise ApiError(503, "The sandbox's listener for the Stripe CLI is not running.", type="api_error")
    session = box.cli.open_session(
        feature_asked(params), as_string(params.get("device_name", ""), "device_name"),
        bool(params.get("forward_to_url")), filters_asked(params))
    return json_response({
        "websocket_url": box.cli.websocket_url,
        "websocket_id": session.websocket_id,
        "websocket_authorized_feature": session.feature,
        "secret": box.webhook_secret,
        "reconnect_delay": RECONNECT_DELAY_SECONDS,
        "display_connect_filter_warning": False,
        "default_version": MODELLED_VERSION,
        "latest_version": MODELLED_VERSION,
        "device_token": random_token(32),
    })
