"""Who may open the presenter pages (the pages ui/frame.py's PAGES marks presenter=True), and
who may make or remove demo data."""
from __future__ import annotations

import hmac

from lib.config.settings import Settings
from lib.shoppers.identity import Shopper, ShopperKind

# What a visitor reads when the gate cannot decide (settings that do not load): nothing about
# the configuration; the presenter finds the fix in the terminal.
CANNOT_DECIDE = ("This page is for the shop's presenters. It is closed until the shop's "
                 "settings load; the presenter finds why in the terminal running the app, or "
                 "with `python run.py check`.")


def local_store(settings: Settings) -> bool:
    """Whether every store is on this machine's side: SQLite files, or the Firestore emulator
    (which holds no real project's data)."""
    return settings.store == "sqlite" or bool(settings.firestore_emulator_host)


def is_presenter(settings: Settings, shopper: Shopper | None) -> bool:
    """Whether the identity provider vouched for this shopper and PRESENTER_EMAILS lists them
    (a demo sign-in proves no email)."""
    return (shopper is not None and shopper.kind == ShopperKind.OIDC
            and shopper.email in settings.presenter_emails)


def presenter_refusal(settings: Settings, shopper: Shopper | None) -> str:
    """"" if this shopper may open presenter pages, else why not. Everyone may in sandbox mode
    with a local store (a workshop, where every shopper is a learner and every order made up);
    otherwise only an identity provider's user listed in PRESENTER_EMAILS."""
    if settings.stripe_mode == "sandbox" and local_store(settings):
        return ""
    if is_presenter(settings, shopper):
        return ""
    if not settings.presenter_emails:
        why = ("with real Stripe keys" if settings.stripe_mode != "sandbox"
               else "with a real Firestore project")
        return (f"Presenter pages are closed {why}: set PRESENTER_EMAILS to the "
                "presenters' emails and configure [auth] for real sign-in to open them.")
    if shopper is None or shopper.kind != ShopperKind.OIDC:
        return "Presenter pages need a presenter signed in with real sign-in ([auth])."
    return "This page is for the shop's presenters (PRESENTER_EMAILS)."


def may_change_demo_data(settings: Settings, shopper: Shopper | None, typed_key: str) -> bool:
    """Whether this session may make or remove demo data: a presenter signed in for real, or,
    in sandbox mode, whoever typed the sandbox's API key (printed where the sandbox started)."""
    if is_presenter(settings, shopper):
        return True
    return (settings.stripe_mode == "sandbox" and bool(typed_key)
            and hmac.compare_digest(typed_key.strip().encode(), settings.api_key.encode()))
