"""The one place a StripeClient is made: real Stripe with test keys, the local sandbox without."""
from __future__ import annotations

import stripe

from lib.config.settings import Settings


def make_stripe_client(settings: Settings, timeout: float = 20) -> stripe.StripeClient:
    """A StripeClient for these settings (never the SDK's global api_key: Streamlit is threaded)."""
    options: dict = {"max_network_retries": 2,
                     "http_client": stripe.RequestsClient(timeout=timeout)}
    if settings.api_base:
        options["base_addresses"] = {"api": settings.api_base}
    return stripe.StripeClient(settings.api_key, **options)
