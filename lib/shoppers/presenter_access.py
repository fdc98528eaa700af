"""Who may open the presenter pages (the pages ui/frame.py's PAGES marks presenter=True)."""
from __future__ import annotations

from lib.config.settings import Settings
from lib.shoppers.identity import Shopper, ShopperKind


def presenter_refusal(settings: Settings, shopper: Shopper | None) -> str:
    """"" if this shopper may open presenter pages, else why not. In sandbox mode everyone may
    (a workshop, where every shopper is a learner and every order made up); with real keys only
    an identity provider's user listed in PRESENTER_EMAILS: a demo sign-in proves no email."""
    if settings.stripe_mode == "sandbox":
        return ""
    if not settings.presenter_emails:
        return ("Presenter pages are closed with real Stripe keys: set PRESENTER_EMAILS to the "
                "presenters' emails and configure [auth] for real sign-in to open them.")
    if shopper is None or shopper.kind != ShopperKind.OIDC:
        return "Presenter pages need a presenter signed in with real sign-in ([auth])."
    if shopper.email not in settings.presenter_emails:
        return "This page is for the shop's presenters (PRESENTER_EMAILS)."
    return ""
