"""The webhook sidecar: create_app assembles the Flask app; its routes are in
webhook_server/routes.py, the fulfilment after the answer in lib/webhooks/workers.py."""
from __future__ import annotations

import atexit
import os

from flask import Flask

from lib.clock import utc_now
from lib.config.settings import Settings, load_settings
from lib.stores.inbox import Inbox
from lib.stores.orders import OrderStore
from lib.stores.webhook_log import WebhookLog
from lib.webhooks.delivery_log import DeliveryLogWriter
from lib.webhooks.intake import AnswersInFlight, SeenEvents
from lib.webhooks.workers import FulfilEvent, InboxWorkers, RetryPolicy
from webhook_server.console import Console
from webhook_server.routes import MAX_BODY, Sidecar, routes


def shutdown(app: Flask, timeout: float = 5.0) -> None:
    """Stop the app's inbox workers (each finishes the event in hand), write the log lines
    still queued and close the inbox if create_app opened it; what a claimed event still needs
    waits in the inbox for a restart. Runs at the process's exit too; once is enough."""
    parts: Sidecar = app.extensions["storefront"]
    if parts.shut_down:
        return
    parts.shut_down = True
    atexit.unregister(parts.at_exit)
    parts.workers.stop(timeout)
    parts.log_writer.close(timeout)
    if parts.owns_inbox:
        parts.inbox.close()


def flush_log(app: Flask, timeout: float = 10.0) -> bool:
    """Wait until the log line of every delivery answered so far is written (for readers that
    must see it at once, such as tests); False on timeout."""
    return app.extensions["storefront"].log_writer.flush(timeout)


def create_app(settings: Settings | None = None, store: OrderStore | None = None,
               stripe_client=None, event_log: WebhookLog | None = None,
               clock=utc_now, inbox: Inbox | None = None,
               worker_threads: int | None = None, say=print) -> Flask:
    """Build the sidecar from settings (read from the environment when not given) and start
    its inbox workers (settings.inbox_workers threads unless worker_threads says; shutdown()
    stops them)."""
    from lib.config.stripe_client import make_stripe_client
    from lib.stores.factory import make_inbox, make_order_store, make_webhook_log

    settings = settings or load_settings(os.environ)
    store = store or make_order_store(settings)
    stripe_client = stripe_client or make_stripe_client(settings)
    event_log = event_log or make_webhook_log(settings)
    owns_inbox = inbox is None
    inbox = inbox or make_inbox(settings)
    console = Console(say, clock)
    in_flight = AnswersInFlight()
    workers = InboxWorkers(
        inbox, FulfilEvent(stripe_client, store, clock),
        threads=worker_threads or settings.inbox_workers, clock=clock, orders=store,
        idle_seconds=settings.inbox_poll_seconds or inbox.poll_seconds,
        # How soon a crashed process's claimed events go to another worker.
        policy=RetryPolicy(lease_seconds=settings.inbox_lease_seconds),
        report=console.fulfilment, answering=in_flight.wait_until_none).start()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.extensions["storefront"] = Sidecar(
        settings=settings, store=store, event_log=event_log, inbox=inbox, workers=workers,
        console=console, clock=clock, owns_inbox=owns_inbox, seen=SeenEvents(),
        in_flight=in_flight, log_writer=DeliveryLogWriter(event_log),
        at_exit=lambda: shutdown(app))
    # A clean exit (gunicorn stopping a worker, Ctrl-C, SIGTERM under __main__) writes the
    # queued log lines first.
    atexit.register(app.extensions["storefront"].at_exit)
    app.register_blueprint(routes)
    return app
