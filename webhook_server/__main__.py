"""Serve the sidecar on 127.0.0.1:WEBHOOK_PORT (use gunicorn in production, see README)."""
import os

from werkzeug.serving import run_simple

from webhook_server import create_app

if __name__ == "__main__":
    port = int(os.environ.get("WEBHOOK_PORT", "4242"))
    print(f"webhook sidecar listening on http://127.0.0.1:{port}/webhook", flush=True)
    run_simple("127.0.0.1", port, create_app(), threaded=True)
