"""The Flask app factory: API, inspector and hosted page routes, Stripe-shaped errors, a health check."""
from __future__ import annotations

import logging
import random

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from .api.auth import check_api_key
from .api.browsers import browser_page_refusal, from_browser_page
from .api.errors import ApiError
from .api.http_json import error_response, json_response
from .api.ids import new_id
from .api.latency import wait_like_stripe
from .api.versions import MODELLED_VERSION, VersionAnswers
from .checkout import backdate, test_helpers
from .checkout import routes as sessions
from .context import Sandbox
from .dashboard import routes as dashboard
from .discounts import routes as discounts
from .events import inspector
from .events import routes as events
from .hosted_page import discount as hosted_discount
from .hosted_page import routes as hosted_page
from .hosted_page import visits as page_visits
from .payment_intents import api as payment_intents_api
from .payment_methods import api as payment_methods_api
from .payment_pages import api as payment_pages_api
from .products import price_routes, product_routes
from .refunds import routes as refunds
from .shipping_rates import routes as shipping_rates
from .stripecli import request_logs, retry
from .stripecli import sessions as cli_sessions

log = logging.getLogger("stripe_sandbox")
# The API and the inspector's routes take the secret key and no request from a browser page; the
# Dashboard has its own sign-in (dashboard/sign_in.py).
AUTHENTICATED_PREFIXES = ("/v1/", "/_sandbox/")


def create_app(sandbox: Sandbox) -> Flask:
    """Build the sandbox's Flask app around an already-built Sandbox (settings, database, secret)."""
    app = Flask(__name__)
    app.extensions["stripe_sandbox"] = sandbox
    jitter = random.Random()  # only the simulated latency's jitter; never ids or secrets
    versions = VersionAnswers()
    for module in (sessions, shipping_rates, product_routes, price_routes, discounts, refunds,
                   test_helpers, backdate, events, inspector, page_visits, hosted_page,
                   hosted_discount, dashboard, cli_sessions, retry, payment_intents_api,
                   payment_methods_api, payment_pages_api):
        app.register_blueprint(module.bp)
    if sandbox.cli is not None:
        request_logs.install(app, request_logs.RequestLogFeed(sandbox.cli))

    @app.get("/healthz")
    def healthz():
        """Liveness for tests and the process supervisor."""
        return json_response({"ok": True})

    @app.before_request
    def authenticate():
        """Give the request an id; on API and inspector routes refuse browser pages and check the API key;
        check Stripe-Version on the API."""
        g.request_id = new_id("req", 14)
        if request.path.startswith(AUTHENTICATED_PREFIXES):
            if from_browser_page(request.headers):
                raise browser_page_refusal()
            check_api_key(sandbox.api_key)
        if request.path.startswith("/v1/"):
            g.api_version = versions.answer(request.headers.get("Stripe-Version"))
            wait_like_stripe(sandbox.settings.latency_ms, sandbox.settings.latency_jitter_ms,
                             jitter)

    @app.after_request
    def stamp(response):
        """Send the request id (and, on the API, the version that answered) back, as Stripe does."""
        response.headers["Request-Id"] = g.get("request_id", "")
        if request.path.startswith("/v1/"):
            response.headers["Stripe-Version"] = g.get("api_version") or MODELLED_VERSION
        return response

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        """Stripe-shaped JSON for every error the sandbox raises on purpose."""
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Unknown routes and wrong methods answer in Stripe's JSON, never HTML."""
        if error.code in (404, 405):
            message = (f"Unrecognized request URL ({request.method}: {request.path}). Please see "
                       "https://stripe.com/docs or we can help at https://support.stripe.com/.")
            return error_response(ApiError(404, message))
        return error_response(ApiError(error.code or 500, error.description or error.name,
                                       type="invalid_request_error" if (error.code or 500) < 500 else "api_error"))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        """A bug in the sandbox: log it and answer like Stripe's api_error, so the SDK raises APIError."""
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ApiError(500, f"Sandbox internal error: {type(error).__name__}: {error}",
                                       type="api_error"))

    return app
