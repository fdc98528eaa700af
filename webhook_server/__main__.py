"""Serve the sidecar on LISTEN_ADDRESS (default 127.0.0.1) at the port Settings give, with
waitress (gunicorn in production: docs/deploy.md)."""
import os
import signal
import sys

from waitress import serve

from lib.config.settings import SettingsError, load_settings
from webhook_server import create_app
from webhook_server.routes import MAX_BODY

# Waitress reads every request whole in its event loop before a worker thread sees it, so a
# client trickling a body or sitting idle holds a socket, never one of the threads. What is
# left to bound is sockets and time: room for many more waiting connections than waitress's
# default of 100, idle ones closed after 30 s, bodies over the sidecar's own limit refused
# before they are read (tests/test_slow_clients.py holds idle and trickling clients open).
SERVER_LIMITS = {
    "threads": 8,
    "connection_limit": 2000,
    "backlog": 2048,
    "channel_timeout": 30,
    "max_request_body_size": MAX_BODY + 1,
}


def exit_cleanly(signum, frame) -> None:
    """SIGTERM (how run.py, tests and process managers stop the sidecar) as a clean exit, so
    the exit handlers write the queued webhook log lines."""
    raise SystemExit(0)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, exit_cleanly)
    try:
        settings = load_settings(os.environ)
    except SettingsError as exc:
        sys.exit(f"webhook sidecar: the configuration has problems:\n{exc}")
    app = create_app(settings)
    host = settings.listen_address
    print(f"webhook sidecar listening on http://{host}:{settings.webhook_port}/webhook",
          flush=True)
    serve(app, host=host, port=settings.webhook_port, ident="storefront-webhooks",
          **SERVER_LIMITS)
