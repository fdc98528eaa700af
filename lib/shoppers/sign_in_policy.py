"""When the demo sign-in (type any name and email) may be used, and what it must say."""
from __future__ import annotations

from dataclasses import dataclass

from lib.config.settings import Settings

# Said on the sign-in and Orders pages whenever the demo sign-in runs with real Stripe keys.
EXPOSED_WARNING = ("Demo sign-in is on with real Stripe keys: there is no password, so anyone "
                   "who types an email here sees that email's orders, with the shipping name "
                   "and address. Use it only with test data, and configure `[auth]` in "
                   "`.streamlit/secrets.toml` before sharing this address.")


@dataclass(frozen=True)
class DemoSignIn:
    """Whether the demo sign-in is offered, whether it must warn, and why (for the Setup check)."""

    allowed: bool
    warn: bool
    reason: str

    @property
    def refusal(self) -> str:
        """What a refused demo sign-in tells the shopper ("" when it is allowed)."""
        if self.allowed:
            return ""
        return (f"Demo sign-in is off ({self.reason}). Configure [auth] in "
                ".streamlit/secrets.toml for real sign-in, or, with test keys only, set "
                "DEMO_SIGN_IN=1.")


def demo_sign_in(settings: Settings) -> DemoSignIn:
    """The demo sign-in for these settings: the default in sandbox mode; with test keys only
    when DEMO_SIGN_IN=1 (and then with a warning); never with live keys or real sign-in."""
    if settings.oidc_configured:
        return DemoSignIn(False, False, "real sign-in ([auth]) is configured")
    if settings.stripe_mode == "live":
        return DemoSignIn(False, False, "never with live Stripe keys")
    if settings.stripe_mode == "test":
        if settings.demo_sign_in_requested:
            return DemoSignIn(True, True, "on with test keys because DEMO_SIGN_IN=1")
        return DemoSignIn(False, False, "off with real Stripe keys unless DEMO_SIGN_IN=1")
    return DemoSignIn(True, False, "on in sandbox mode, where every shopper is a learner")
