"""Run the sandbox: `python -m stripe_sandbox` serves the API, hosted page and webhook delivery on
LISTEN_ADDRESS (default 127.0.0.1)."""
from __future__ import annotations

import logging
import signal
import sys

from . import config
from .api.ids import random_token
from .app import create_app
from .context import Sandbox
from .db import Database
from .discounts import store as discount_store
from .events import log as event_log
from .events.delivery import DeliveryWorker
from .events.signing import new_secret
from .serving import serve
from .stripecli.startup import start_listener

SECRET_SETTING = "webhook_secret"
API_KEY_SETTING = "api_key"


def webhook_secret(settings: config.Settings, db: Database) -> str:
    """STRIPE_WEBHOOK_SECRET if set; else the secret generated on an earlier run; else a new one, kept for next time."""
    if settings.webhook_secret:
        return settings.webhook_secret
    secret = db.get_setting(SECRET_SETTING)
    if secret is None:
        secret = new_secret()
        db.set_setting(SECRET_SETTING, secret)
    return secret


def api_key(settings: config.Settings, db: Database) -> str:
    """SANDBOX_API_KEY if set; else the test secret key made on an earlier run; else a new one, kept for next time."""
    if settings.api_key:
        return settings.api_key
    key = db.get_setting(API_KEY_SETTING)
    if key is None:
        key = "sk_test_" + random_token(32)
        db.set_setting(API_KEY_SETTING, key)
    return key


def main() -> None:
    """Build everything once, start the delivery worker, serve until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = config.from_env()
    db = Database(settings.db_path)
    sandbox = Sandbox(settings, db, webhook_secret(settings, db), api_key(settings, db))
    with db.transaction() as conn:
        resumed = event_log.resume_pending(conn)
        discount_store.seed_demo_code(conn)
    listener = start_listener(sandbox)
    worker = DeliveryWorker(sandbox)
    worker.start()
    # SIGTERM (the supervisor's and the tests' stop) should end the process like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    targets = ", ".join(settings.webhook_urls) or "(none: events are recorded only)"
    print(f"Stripe sandbox on http://{settings.host}:{settings.port} (hosted pages at {settings.public_url}/pay/...)",
          flush=True)
    print(f"Forwarding webhooks to {targets}" + (f" ({resumed} pending from before)" if resumed else ""), flush=True)
    print(f"Ready! Your webhook signing secret is {sandbox.webhook_secret}", flush=True)
    print(f"The Stripe CLI works here with --api-base http://127.0.0.1:{settings.port} and the key below "
          f"(its websocket: {listener.url})", flush=True)
    # Printed like `stripe listen` prints its secret, so a learner can copy it into curl or a client.
    print(f"Ready! Your sandbox secret key is {sandbox.api_key} "
          f"(try: curl -u {sandbox.api_key}: http://127.0.0.1:{settings.port}/v1/checkout/sessions)", flush=True)
    try:
        # Connections are kept alive, so the SDK's pooled ones are reused; a fixed pool of threads
        # runs the app, and no request reaches it before its whole body is in (serving.py).
        serve(create_app(sandbox), sandbox.api_key, settings.host, settings.port, settings.threads)
    finally:
        worker.stop()
        listener.stop()


if __name__ == "__main__":
    main()
