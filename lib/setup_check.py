"""The Setup check: one function per setting or service, each giving a green/amber/red verdict."""
from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import requests
import stripe

from lib.catalog import Catalog, CatalogError, load_catalog
from lib.fulfilment import utc_now
from lib.money import format_money, minimum_charge
from lib.orders import PAID, Order, OrderItem
from lib.settings import Settings, SettingsError
from lib.stores.base import StoreError
from lib.stores.factory import make_order_store
from lib.stores.sqlite_events import SqliteEventLog
from lib.stripe_client import make_stripe_client

TIMEOUT = 3.0  # seconds: an unreachable service must show red quickly, not hang the page
NO_RETRY = {"max_network_retries": 0}  # a check wants one quick answer, not three slow ones
GREEN, AMBER, RED = "green", "amber", "red"
KEYS_PAGE = "the Stripe Dashboard (Developers > API keys, test mode)"
LISTEN = "stripe listen --forward-to localhost:4242/webhook"


@dataclass(frozen=True)
class Check:
    """One verdict: what was checked, green/amber/red, what was found, and the fix."""

    name: str
    status: str
    message: str
    fix: str = ""


def settings_problems(error: SettingsError) -> list[Check]:
    """One red check per problem that stopped the settings from loading."""
    return [Check(p.setting, RED, p.message, p.fix) for p in error.problems]


def check_mode(settings: Settings) -> Check:
    """Which Stripe answers (sandbox, test or live) and why."""
    mode, where = settings.stripe_mode, settings.api_base or "api.stripe.com"
    if mode == "sandbox":
        return Check("Stripe mode", GREEN, f"sandbox: STRIPE_SECRET_KEY is empty, so the local "
                     f"sandbox at {where} plays Stripe.", "")
    if mode == "test":
        return Check("Stripe mode", GREEN, f"test: STRIPE_SECRET_KEY is a test key, so Stripe's "
                     f"test mode at {where} takes the payments; no real money moves.", "")
    return Check("Stripe mode", AMBER, "live: STRIPE_SECRET_KEY is a live key and ALLOW_LIVE_KEYS=1;"
                 " real cards are charged.", "Use your sk_test_ key for a workshop or demo.")


def check_key_shape(settings: Settings) -> Check:
    """The keys are in the right variables (misplaced keys already fail as settings problems)."""
    if settings.stripe_mode == "sandbox":
        return Check("Stripe keys", GREEN, "none set: the sandbox needs no keys.", "")
    key = settings.stripe_secret_key
    shown = f"{key[:8]}...{key[-4:]}"
    public = ("STRIPE_PUBLIC_KEY is not needed: checkout opens the session's url"
              if not settings.stripe_public_key else "STRIPE_PUBLIC_KEY holds a publishable key")
    status = AMBER if settings.stripe_mode == "live" else GREEN
    return Check("Stripe keys", status, f"STRIPE_SECRET_KEY is {shown}; {public}.",
                 "Use test keys unless you mean to take real money." if status == AMBER else "")


def _stripe_failure(name: str, exc: stripe.StripeError, settings: Settings) -> Check:
    """A Stripe error as a red check whose fix says what to do about it."""
    if isinstance(exc, stripe.AuthenticationError):
        return Check(name, RED, f"Stripe refused the key: {exc.user_message or exc}",
                     f"Copy the secret key (sk_test_...) again from {KEYS_PAGE} into "
                     "STRIPE_SECRET_KEY, or empty it to use the local sandbox.")
    if isinstance(exc, stripe.APIConnectionError):
        if settings.stripe_mode == "sandbox":
            fix = ("Start the sandbox: `python run.py` starts it, or `python -m stripe_sandbox` "
                   "(SANDBOX_PORT); SANDBOX_URL must point at it.")
        else:
            fix = "Check this machine's internet connection (and STRIPE_API_BASE if set)."
        return Check(name, RED, f"cannot reach Stripe at {settings.api_base or 'api.stripe.com'}"
                     f" within {TIMEOUT:.0f} s.", fix)
    return Check(name, RED, f"Stripe answered {exc.__class__.__name__}: "
                 f"{exc.user_message or exc}", "Read the message; the Stripe Dashboard's "
                 "Developers > Logs shows the request.")


def check_key_works(client: stripe.StripeClient, settings: Settings) -> Check:
    """The key opens the account: the cheapest authenticated call, one checkout session."""
    try:
        client.v1.checkout.sessions.list(params={"limit": 1}, options=NO_RETRY)
    except stripe.PermissionError as exc:
        return Check("Stripe key works", AMBER, f"the key is restricted: {exc.user_message}",
                     "Give the restricted key write access to Checkout Sessions, or use sk_test_.")
    except stripe.StripeError as exc:
        return _stripe_failure("Stripe key works", exc, settings)
    return Check("Stripe key works", GREEN, "an authenticated call succeeded.", "")


def check_shipping_rate(client: stripe.StripeClient, settings: Settings) -> Check:
    """STRIPE_SHIPPING_RATE, when set, names an active rate in this account and currency."""
    rate_id = settings.stripe_shipping_rate
    if not rate_id:
        return Check("Shipping rate", GREEN, "STRIPE_SHIPPING_RATE is not set: checkout offers the "
                     "built-in standard and express options.", "")
    try:
        rate = client.v1.shipping_rates.retrieve(rate_id, options=NO_RETRY)
    except stripe.InvalidRequestError as exc:
        return Check("Shipping rate", RED, f"Stripe has no shipping rate {rate_id!r}: "
                     f"{exc.user_message or exc}", "Copy the id (shr_...) from the Dashboard "
                     "(Product catalog > Shipping rates) in the same mode as your key, or unset "
                     "STRIPE_SHIPPING_RATE to use the built-in options.")
    except stripe.StripeError as exc:
        return _stripe_failure("Shipping rate", exc, settings)
    if not getattr(rate, "active", True):
        return Check("Shipping rate", RED, f"{rate_id} is archived.",
                     "Unarchive it in the Dashboard, or use an active rate's id.")
    fixed = getattr(rate, "fixed_amount", None)
    currency = (getattr(fixed, "currency", "") or "").upper()
    if currency and currency != settings.store_currency:
        return Check("Shipping rate", RED, f"{rate_id} is in {currency}, the shop sells in "
                     f"{settings.store_currency}.", "Create a rate in the store currency, or "
                     "change STORE_CURRENCY.")
    return Check("Shipping rate", GREEN, f"{rate_id} ({getattr(rate, 'display_name', '')}) "
                 "exists.", "")


def check_webhook_secret(settings: Settings) -> Check:
    """STRIPE_WEBHOOK_SECRET is set (its whsec_ shape is checked with the settings)."""
    if settings.stripe_webhook_secret:
        return Check("Webhook secret", GREEN, "STRIPE_WEBHOOK_SECRET is set (whsec_...).", "")
    if settings.stripe_mode == "sandbox":
        return Check("Webhook secret", AMBER, "STRIPE_WEBHOOK_SECRET is empty; `python run.py` "
                     "makes one for the sandbox and the sidecar under DATA_DIR.",
                     "Nothing to do with `python run.py`; if you start the processes yourself, "
                     "give both the same STRIPE_WEBHOOK_SECRET.")
    return Check("Webhook secret", RED, "STRIPE_WEBHOOK_SECRET is empty: the sidecar refuses "
                 "every delivery, so no order is recorded from a webhook.",
                 f"Run `{LISTEN}` and copy the whsec_... secret it prints into "
                 "STRIPE_WEBHOOK_SECRET.")


def check_currency(settings: Settings, catalog: Catalog) -> Check:
    """The store currency, and whether every product meets Stripe's minimum charge alone."""
    currency, floor = settings.store_currency, minimum_charge(settings.store_currency)
    cheap = [p for p in catalog.products if p.price < floor]
    if cheap:
        names = ", ".join(p.title for p in cheap[:3]) + ("..." if len(cheap) > 3 else "")
        return Check("Currency", AMBER, f"{currency}: {len(cheap)} product(s) cost less than "
                     f"Stripe's minimum charge of {format_money(floor, currency)} ({names}); a "
                     "basket of only one of them may be refused.",
                     f"Raise their prices in {settings.catalog_path.name} to at least "
                     f"{format_money(floor, currency)}.")
    return Check("Currency", GREEN, f"{currency}: all {len(catalog.products)} products meet "
                 f"Stripe's minimum charge of {format_money(floor, currency)}.", "")


def check_sidecar(settings: Settings, http_get=requests.get, app_store: str = "") -> Check:
    """The webhook sidecar answers /healthz, has a secret, and writes where the app reads."""
    url = f"{settings.webhook_url}/healthz"
    start = "Start it: `python run.py` starts it, or `python -m webhook_server` (WEBHOOK_PORT)."
    try:
        reply = http_get(url, timeout=TIMEOUT)
        health = reply.json()
    except requests.RequestException as exc:
        return Check("Webhook sidecar", RED, f"nothing answers at {url} ({type(exc).__name__}).",
                     f"{start} WEBHOOK_URL must point at it.")
    except ValueError:
        return Check("Webhook sidecar", RED, f"{url} answered, but not as the sidecar "
                     f"(HTTP {reply.status_code}, not JSON).", "Point WEBHOOK_URL at the sidecar.")
    if not health.get("reachable"):
        return Check("Webhook sidecar", RED, f"answers, but its store {health.get('location')} is "
                     f"unreachable: {health.get('detail')}", "See the Orders store check below.")
    if not health.get("webhook_secret_set"):
        return Check("Webhook sidecar", RED, "answers, but was started without "
                     "STRIPE_WEBHOOK_SECRET, so it refuses every delivery.",
                     "Restart it with STRIPE_WEBHOOK_SECRET set (the whsec_ from `stripe listen`).")
    where = health.get("location", "")
    if app_store and where and where != app_store:
        return Check("Webhook sidecar", AMBER, f"answers, but writes orders to {where} while this "
                     f"app reads {app_store}: paid orders will not show up here.",
                     "Start both with the same DATA_DIR / ORDER_STORE settings.")
    return Check("Webhook sidecar", GREEN, f"answers at {url}; orders go to {where}.", "")


def check_last_event(settings: Settings, event_log, clock: Callable[[], datetime]) -> Check:
    """When the sidecar last received an event, and whether it was accepted."""
    recent = event_log.recent(1)
    if not recent:
        how = ("pay for a basket, or use Simulate payment on the Webhook inspector"
               if settings.stripe_mode == "sandbox" else f"keep `{LISTEN}` running while you pay")
        return Check("Last webhook", AMBER, "the sidecar has not received any event yet.",
                     f"To see one arrive, {how}.")
    last = recent[0]
    ago = max(0, int((clock() - last.received_at).total_seconds()))
    when = f"{ago // 60} min {ago % 60} s ago" if ago < 7200 else last.received_at.isoformat()
    summary = f"{last.event_type or 'unknown event'} {when}: {last.outcome}"
    if last.signature in ("invalid", "missing"):
        return Check("Last webhook", RED, f"{summary}, signature {last.signature}.",
                     "STRIPE_WEBHOOK_SECRET differs from the sender's: copy the whsec_ that "
                     f"`{LISTEN}` prints again (it changes when stripe listen restarts).")
    if last.outcome == "error":
        return Check("Last webhook", RED, f"{summary} ({last.detail}).",
                     "Fix the error; Stripe retries the event, and the inspector shows it.")
    return Check("Last webhook", GREEN, f"{summary}.", "")


def _origin(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of a URL (default port filled in)."""
    parts = urlparse(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (
        443 if parts.scheme == "https" else 80)


def check_app_url(settings: Settings, served_url: str = "", http_get=requests.get) -> Check:
    """APP_URL is where Streamlit is served: compared with the page's own address, or probed."""
    fix = ("Set APP_URL to the address you open the shop at (e.g. http://localhost:8501): "
           "Stripe sends the shopper back there after paying.")
    if served_url:
        if _origin(served_url) != _origin(settings.app_url):
            return Check("APP_URL", RED, f"APP_URL is {settings.app_url}, but this page is "
                         f"served at {served_url}: the return from checkout lands elsewhere "
                         "(and the shopper's cookie is not sent there).", fix)
        return Check("APP_URL", GREEN, f"{settings.app_url} is where this page is served.", "")
    url = f"{settings.app_url}/_stcore/health"
    try:
        reply = http_get(url, timeout=TIMEOUT)
    except requests.RequestException:
        return Check("APP_URL", AMBER, f"nothing answers at {settings.app_url} right now.",
                     f"Start the app (`python run.py`); if it is running, {fix[0].lower()}"
                     f"{fix[1:]}")
    if reply.status_code != 200 or reply.text.strip() != "ok":
        return Check("APP_URL", RED, f"{settings.app_url} answers, but not as Streamlit "
                     f"(HTTP {reply.status_code}).", fix)
    return Check("APP_URL", GREEN, f"Streamlit answers at {settings.app_url}.", "")


def probe_order(now: datetime) -> Order:
    """A throwaway order under an address that cannot be a shopper's."""
    item = OrderItem("setup-probe", "Setup probe", 1, 100, 100)
    return Order(f"cs_setup_probe_{uuid.uuid4().hex}", "setup-probe@storefront.invalid", 100, 0,
                 "usd", (item,), PAID, now)


def check_store(open_store: Callable, clock: Callable[[], datetime]) -> Check:
    """The orders store: backend, location, and a write-read-delete of a throwaway order."""
    try:
        store = open_store()
        where = f"{store.backend}: {store.describe()}"
        order = probe_order(clock())
        wrote = store.create_order(order)
        read = store.get_order(order.email, order.session_id)
        store.delete_order(order.email, order.session_id)
        gone = store.get_order(order.email, order.session_id) is None
    except StoreError as exc:
        return Check("Orders store", RED, str(exc), "See the message; the store must be "
                     "reachable for the sidecar to record orders.")
    if not (wrote and read is not None and read.session_id == order.session_id and gone):
        return Check("Orders store", RED, f"{where}: the write-read-delete probe did not read "
                     "back what it wrote.", "Check that nothing else rewrites this store.")
    return Check("Orders store", GREEN, f"{where}; write, read and delete work.", "")


def check_credentials_file(path: str) -> Check:
    """The Firestore credentials file exists, parses as JSON and is a service-account key."""
    fix = ("Firebase console > Project settings > Service accounts > Generate new private key; "
           "save it as permissions.json and set FIREBASE_CREDENTIALS=permissions.json.")
    file = Path(path).expanduser()
    if not file.is_file():
        return Check("Firestore credentials", RED, f"{file} does not exist.", fix)
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Check("Firestore credentials", RED, f"{file} is not valid JSON ({exc}).", fix)
    if not isinstance(info, dict) or info.get("type") != "service_account":
        return Check("Firestore credentials", RED, f"{file} is not a service-account key "
                     '(it needs "type": "service_account").', fix)
    return Check("Firestore credentials", GREEN, f"{file}: service account "
                 f"{info.get('client_email', '?')} of project {info.get('project_id', '?')}.", "")


def check_credentials_ignored(path: str) -> Check:
    """The credentials file cannot be committed: git ignores it and does not track it."""
    file = Path(path).expanduser().resolve()
    name = "Credentials kept out of git"
    if not file.is_file():
        return Check(name, AMBER, f"{file} does not exist, so there is nothing to commit.", "")

    def git(*args: str) -> int:
        return subprocess.run(["git", "-C", str(file.parent), *args], capture_output=True,
                              timeout=TIMEOUT).returncode

    try:
        if git("rev-parse", "--is-inside-work-tree") != 0:
            return Check(name, GREEN, f"{file} is outside any git repository.", "")
        if git("ls-files", "--error-unmatch", file.name) == 0:
            return Check(name, RED, f"{file} is committed to git: anyone with the repository "
                         "can use your Firebase project.", "Delete the key in the Firebase "
                         f"console, `git rm --cached {file.name}`, add it to .gitignore and "
                         "generate a new key.")
        ignored = git("check-ignore", "-q", file.name) == 0
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(name, AMBER, f"could not ask git about {file}: {exc}", "")
    if not ignored:
        return Check(name, RED, f"{file} is not git-ignored: one `git add .` publishes your key.",
                     f"Add {file.name} to .gitignore.")
    return Check(name, GREEN, f"{file.name} is git-ignored.", "")


def check_sign_in(settings: Settings) -> Check:
    """Sign-in: OIDC from secrets.toml, or demo sign-in (anyone may type any email)."""
    if settings.oidc_configured:
        return Check("Sign-in", GREEN, "OIDC: shoppers sign in with st.login ([auth] in "
                     ".streamlit/secrets.toml).", "")
    status = RED if settings.stripe_mode == "live" else GREEN
    return Check("Sign-in", status, "demo sign-in: anyone can type any email and see its orders"
                 " (fine for a workshop).", "Add an [auth] section to .streamlit/secrets.toml "
                 "for real sign-in." if status == RED else "")


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
            stripe_client: stripe.StripeClient | None = None, event_log=None,
            http_get=requests.get, served_url: str = "",
            clock: Callable[[], datetime] = utc_now,
            timeout: float = TIMEOUT) -> list[Check]:
    """Every check for these settings, in reading order; missing collaborators are built here."""
    client = stripe_client or make_stripe_client(settings, timeout=timeout)
    event_log = event_log or SqliteEventLog(settings.data_dir / "webhook_log.sqlite3")
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

    jobs = [
        ("Stripe mode", lambda: check_mode(settings)),
        ("Stripe keys", lambda: check_key_shape(settings)),
        ("Stripe key works", lambda: check_key_works(client, settings)),
        ("Shipping rate", lambda: check_shipping_rate(client, settings)),
        ("Webhook secret", lambda: check_webhook_secret(settings)),
        ("Currency", currency),
        ("Webhook sidecar", lambda: check_sidecar(settings, http_get,
                                                  store.describe() if store else "")),
        ("Last webhook", lambda: check_last_event(settings, event_log, clock)),
        ("APP_URL", lambda: check_app_url(settings, served_url, http_get)),
        ("Orders store", lambda: check_store(opened, clock)),
    ]
    if settings.order_store == "firestore" and settings.firebase_credentials:
        jobs += [("Firestore credentials",
                  lambda: check_credentials_file(settings.firebase_credentials)),
                 ("Credentials kept out of git",
                  lambda: check_credentials_ignored(settings.firebase_credentials))]
    jobs.append(("Sign-in", lambda: check_sign_in(settings)))
    checks = run_bounded(jobs, timeout)
    if made_store is not None:
        made_store.close()  # a probe still hanging on it has been reported red already
    return checks
