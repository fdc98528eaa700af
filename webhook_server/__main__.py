"""Serve the sidecar on 127.0.0.1:WEBHOOK_PORT with waitress (gunicorn in production, see README)."""
import os

from waitress import serve

from webhook_server import create_app

if __name__ == "__main__":
    port = int(os.environ.get("WEBHOOK_PORT", "4242"))
    app = create_app()
    print(f"webhook sidecar listening on http://127.0.0.1:{port}/webhook", flush=True)
    # Waitress: a real multi-threaded server on every OS, keeping connections alive.
    serve(app, host="127.0.0.1", port=port, threads=8, ident="storefront-webhooks")
