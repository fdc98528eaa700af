"""Setup checks of the running services: the sidecar, its last event, APP_URL, sign-in."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlparse

import requests

from lib.config.origins import normalise_origin
from lib.config.redaction import store_id
from lib.config.settings import Settings
from lib.setup_check.verdicts import AMBER, GREEN, LISTEN, RED, TIMEOUT, Check
from lib.shoppers.sign_in_policy import demo_sign_in
from lib.webhooks.delivery_log import is_refusal


def check_sidecar(settings: Settings, http_get=requests.get, app_store: str = "") -> Check:
    """The webhook sidecar answers /healthz, has a secret, and writes where the app reads."""
    url = f"{settings.webhook_url}/healthz"
    start = "Start it: `python run.py` starts it, or `python -m webhook_server` (WEBHOOK_PORT)."
    try:
        reply = http_get(url, timeout=TIMEOUT)
        health = reply.json()
    except requests.RequestException as exc:
        if settings.stripe_mode != "sandbox":
            return keys_only(url, exc)
        return Check("Webhook sidecar", RED, f"nothing answers at {url} ({type(exc).__name__}).",
                     f"{start} WEBHOOK_URL must point at it.")
    except ValueError:
        return Check("Webhook sidecar", RED, f"{url} answered, but not as the sidecar "
                     f"(HTTP {reply.status_code}, not JSON).", "Point WEBHOOK_URL at the sidecar.")
    if not health.get("reachable"):
        return Check("Webhook sidecar", RED, f"answers, but its store ({health.get('store')}) is "
                     f"unreachable: {health.get('detail')}", "See the Orders store check below.")
    if not health.get("webhook_secret_set"):
        return Check("Webhook sidecar", RED, "answers, but was started without "
                     "STRIPE_WEBHOOK_SECRET, so it refuses every delivery.",
                     "Restart it with STRIPE_WEBHOOK_SECRET set (the whsec_ from `stripe listen`).")
    # A split deployment (app on one host, sidecar on another) must agree on Stripe's mode:
    # a sidecar on the sandbox cannot retrieve a test-mode session, nor the other way round.
    their_mode = health.get("stripe_mode", "")
    if their_mode and their_mode != settings.stripe_mode:
        return Check("Webhook sidecar", RED, f"answers, but uses Stripe in {their_mode} mode "
                     f"while this app uses {settings.stripe_mode} mode: it cannot fetch the "
                     "sessions this app creates, so no order is recorded by webhook.",
                     "Give the sidecar the same STRIPE_SECRET_KEY (and STRIPE_API_BASE) as "
                     "this app; docs/deploy.md lists what both need.")
    # The sidecar names its store by id only; the same id means the same store as ours.
    theirs = health.get("store_id", "")
    if app_store and theirs and theirs != store_id(app_store):
        return Check("Webhook sidecar", AMBER, f"answers, but writes orders to another store "
                     f"({health.get('store')}) than this app reads ({app_store}): paid orders "
                     "will not show up here.",
                     "Start both with the same STORE setting (and, with sqlite, the same "
                     "DATA_DIR; with firestore, the same project).")
    where = f"the same store as this app ({app_store})" if app_store else health.get("store")
    return Check("Webhook sidecar", GREEN, f"answers at {url}; orders go to {where}.", "")


def keys_only(url: str, exc: Exception) -> Check:
    """Real keys and no sidecar (Streamlit Community Cloud runs only the app): the shop works,
    but only the success page records orders."""
    return Check("Webhook sidecar", AMBER, f"keys-only mode: no sidecar answers at {url} "
                 f"({type(exc).__name__}). The shop still works and records each order when the "
                 "shopper comes back to the success page, but Stripe cannot reach a webhook, so "
                 "a shopper who closes the tab before returning gets no order until one is set "
                 "up.", "Run the sidecar on a container host (docs/deploy.md: the Dockerfile), add "
                 "its https://.../webhook as an endpoint in the Stripe Dashboard (Developers > "
                 "Webhooks) with checkout.session.* and charge.refunded, give the sidecar that "
                 "endpoint's whsec_ secret, and set WEBHOOK_URL here to its address.")


def check_last_event(settings: Settings, event_log, clock: Callable[[], datetime]) -> Check:
    """When the sidecar last received an event, and whether it was accepted."""
    recent = event_log.recent(1)
    # Refusals are counted per minute, not logged one by one: the latest wins if newer. Signed
    # events of types the shop does not handle are counted there too, and are no refusal.
    counted = event_log.rejected(20)
    refused = [c for c in counted if is_refusal(c.reason)][:1]
    ignored = [c for c in counted if not is_refusal(c.reason)][:1]
    if refused and (not recent or refused[0].last_at > recent[0].received_at):
        last = refused[0]
        ago = max(0, int((clock() - last.last_at).total_seconds()))
        return Check("Last webhook", RED, f"the last delivery, {ago // 60} min {ago % 60} s ago, "
                     f"was refused ({last.reason}; {last.count} that minute: {last.last_detail}).",
                     "If Stripe sent it, STRIPE_WEBHOOK_SECRET differs from the sender's: copy "
                     f"the whsec_ that `{LISTEN}` prints again (it changes when stripe listen "
                     "restarts). Unsigned posts from elsewhere are only counted.")
    if not recent and ignored:
        return Check("Last webhook", GREEN, f"signed events arrive, of types the shop does not "
                     f"handle ({ignored[0].count} in the minute of {ignored[0].last_at:%H:%M} UTC, "
                     "counted, not listed).", "")
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
        if _origin(served_url) == _origin(settings.app_url):
            return Check("APP_URL", GREEN, f"{settings.app_url} is where this page is served.",
                         "")
        if normalise_origin(served_url) in settings.known_origins:
            return Check("APP_URL", GREEN, f"this page is served at {served_url}, an address "
                         f"the app knows besides APP_URL ({settings.app_url}): Stripe sends "
                         "shoppers back to the address they use.", "")
        return Check("APP_URL", RED, f"APP_URL is {settings.app_url}, but this page is "
                     f"served at {served_url}: the return from checkout lands elsewhere "
                     "(and the shopper's cookie is not sent there).",
                     fix + " Or add this address to APP_PUBLIC_URLS.")
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


def check_sign_in(settings: Settings) -> Check:
    """Sign-in: OIDC from secrets.toml, or the demo sign-in where its policy allows it."""
    auth = "Add an [auth] section to .streamlit/secrets.toml for real sign-in (st.login)."
    if settings.oidc_configured:
        return Check("Sign-in", GREEN, "OIDC: shoppers sign in with st.login ([auth] in "
                     ".streamlit/secrets.toml).", "")
    policy = demo_sign_in(settings)
    if settings.stripe_mode == "live":
        refused = " DEMO_SIGN_IN=1 is ignored." if settings.demo_sign_in_requested else ""
        return Check("Sign-in", RED, "no sign-in: the demo sign-in is never offered with live "
                     f"keys, so nobody can check out.{refused}", auth)
    if policy.warn:
        return Check("Sign-in", AMBER, "demo sign-in with real test keys (DEMO_SIGN_IN=1): there "
                     "is no password, so anyone who types an email sees that email's orders and "
                     "shipping address; the Sign in and Orders pages say so.",
                     f"{auth} Then unset DEMO_SIGN_IN.")
    if not policy.allowed:
        return Check("Sign-in", AMBER, "no sign-in: with real Stripe keys the demo sign-in is off, "
                     "so shoppers can browse but not check out.",
                     f"{auth} Or set DEMO_SIGN_IN=1 for a workshop on test data only.")
    return Check("Sign-in", GREEN, "demo sign-in (sandbox mode): anyone can type any email and "
                 "see its orders, fine for a workshop where every order is made up.", "")
