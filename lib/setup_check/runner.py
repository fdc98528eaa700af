"""Running every Setup check side by side, each bounded by the timeout."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

import requests
import stripe

from lib.clock import utc_now
from lib.config.settings import Settings
from lib.config.stripe_client import make_stripe_client
from lib.setup_check.service_checks import (
    check_app_url,
    check_last_event,
    check_sidecar,
    check_sign_in,
)
from lib.setup_check.store_checks import (
    check_credentials_file,
    check_credentials_ignored,
    check_store,
)
from lib.setup_check.stripe_checks import (
    check_currency,
    check_key_shape,
    check_key_works,
    check_mode,
    check_shipping_rate,
    check_webhook_secret,
)
from lib.setup_check.verdicts import RED, TIMEOUT, Check
from lib.shop.catalog import Catalog, CatalogError, load_catalog
from lib.stores.errors import StoreError
from lib.stores.factory import make_order_store, make_webhook_log
from lib.stores.webhook_log import WebhookLog


def run_bounded(jobs: list[tuple[str, Callable[[], Check]]], timeout: float) -> list[Check]:
    """Run the checks side by side; one that neither answers nor fails in time is red."""
    results: dict[int, Check] = {}

    def run(index: int, name: str, check: Callable[[], Check]) -> None:
        try:
            results[index] = check()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            results[index] = Check(name, RED, f"the check itself failed: {exc!r}", "")

    # Daemon threads: a call that hangs past its own timeout cannot keep the process alive.
    threads = [threading.Thread(target=run, args=(i, name, job), daemon=True)
               for i, (name, job) in enumerate(jobs)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [results.get(i) or Check(name, RED, f"no answer within {timeout:.0f} s.", "")
            for i, (name, _) in enumerate(jobs)]


def run_all(settings: Settings, *, store=None, catalog: Catalog | None = None,
            stripe_client: stripe.StripeClient | None = None,
            event_log: WebhookLog | None = None,
            http_get=requests.get, served_url: str = "",
            clock: Callable[[], datetime] = utc_now,
            timeout: float = TIMEOUT) -> list[Check]:
    """Every check for these settings, in reading order; missing collaborators are built here."""
    client = stripe_client or make_stripe_client(settings, timeout=timeout)
    made_log, log_error = None, None
    if event_log is None:
        try:
            event_log = made_log = make_webhook_log(settings)
        except StoreError as exc:  # Firestore unusable: the log's check says so, not a crash
            log_error = exc
    made_store, store_error = None, None
    if store is None:
        try:
            store = made_store = make_order_store(settings)
        except StoreError as exc:
            store_error = exc

    def currency() -> Check:
        try:
            return check_currency(settings, catalog or load_catalog(settings.catalog_path,
                                                                    settings.store_currency))
        except CatalogError as exc:
            return Check("Currency", RED, f"the catalog cannot be read: {exc}",
                         f"Fix {settings.catalog_path}.")

    def opened():
        if store_error is not None:
            raise store_error
        return store

    def last_event() -> Check:
        if log_error is not None:
            return Check("Last webhook", RED, f"the webhook log cannot be opened: {log_error}",
                         "Fix the store settings named in the Orders store check.")
        return check_last_event(settings, event_log, clock)

    jobs = [
        ("Stripe mode", lambda: check_mode(settings)),
        ("Stripe keys", lambda: check_key_shape(settings)),
        ("Stripe key works", lambda: check_key_works(client, settings)),
        ("Shipping rate", lambda: check_shipping_rate(client, settings)),
        ("Webhook secret", lambda: check_webhook_secret(settings)),
        ("Currency", currency),
        ("Webhook sidecar", lambda: check_sidecar(settings, http_get,
                                                  store.describe() if store else "")),
        ("Last webhook", last_event),
        ("APP_URL", lambda: check_app_url(settings, served_url, http_get)),
        ("Orders store", lambda: check_store(opened, clock)),
    ]
    if settings.store == "firestore" and settings.firebase_credentials:
        jobs += [("Firestore credentials",
                  lambda: check_credentials_file(settings.firebase_credentials)),
                 ("Credentials kept out of git",
                  lambda: check_credentials_ignored(settings.firebase_credentials))]
    jobs.append(("Sign-in", lambda: check_sign_in(settings)))
    checks = run_bounded(jobs, timeout)
    if made_store is not None:
        made_store.close()  # a probe still hanging on it has been reported red already
    if made_log is not None:
        made_log.close()
    return checks
