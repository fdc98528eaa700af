"""Serve the sidecar on LISTEN_ADDRESS (default 127.0.0.1) at the port Settings give, with
waitress (gunicorn in production, see README)."""
import os
import sys

from waitress import serve

from lib.settings import SettingsError, load_settings
from webhook_server import create_app

if __name__ == "__main__":
    try:
        settings = load_settings(os.environ)
    except SettingsError as exc:
        sys.exit(f"webhook sidecar: the configuration has problems:\n{exc}")
    app = create_app(settings)
    host = settings.listen_address
    print(f"webhook sidecar listening on http://{host}:{settings.webhook_port}/webhook",
          flush=True)
    # Waitress: a real multi-threaded server on every OS, keeping connections alive.
    serve(app, host=host, port=settings.webhook_port, threads=8, ident="storefront-webhooks")
