"""Setup checks of the Stripe side: mode, keys, the key working, shipping rate, secret, currency."""
from __future__ import annotations

import stripe

from lib.config.settings import Settings
from lib.setup_check.verdicts import AMBER, GREEN, KEYS_PAGE, LISTEN, NO_RETRY, RED, TIMEOUT, Check
from lib.shop.catalog import Catalog
from lib.shop.money import format_money, minimum_charge


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
    if isinstance(exc, stripe.AuthenticationError) and settings.stripe_mode == "sandbox":
        return Check(name, RED, f"the sandbox refused the key: {exc.user_message or exc}",
                     "Start everything with `python run.py` (it hands the sandbox's key to the app), "
                     "or set SANDBOX_API_KEY to the key the sandbox printed at start.")
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
