"""`python run.py seed`: load the shop's catalog into Stripe (the sandbox, or test mode) as Products and Prices."""
from __future__ import annotations

import os
import sys
from typing import TextIO

import stripe

from lib.checkout.session import image_urls
from lib.config.settings import SettingsError, load_settings
from lib.config.stripe_client import make_stripe_client
from lib.shop.catalog_seed import seed_catalog


def main(argv: list[str], environ=None, out: TextIO = sys.stdout) -> int:
    """Seed, print what was created, and exit 0; or print what to fix and exit 1 (2 for bad settings)."""
    try:
        settings = load_settings(os.environ if environ is None else environ)
    except SettingsError as exc:
        print(f"[seed] the configuration has problems:\n{exc}", file=out)
        return 2
    if settings.stripe_mode == "live":
        print("[seed] refusing to create products with a live key: use your sk_test_ key.", file=out)
        return 1
    where = "the local sandbox" if settings.stripe_mode == "sandbox" else "Stripe test mode"
    client = make_stripe_client(settings)
    try:
        report = seed_catalog(client, settings.catalog_path,
                              lambda image: image_urls(settings, image))
    except stripe.APIConnectionError:
        print(f"[seed] cannot reach {where} at {settings.api_base or 'api.stripe.com'}: start it with "
              "`python run.py` in another terminal, then run this again.", file=out)
        return 1
    except stripe.StripeError as exc:
        print(f"[seed] {where} refused: {exc.user_message or exc}", file=out)
        return 1
    print(f"[seed] {where}: {report.summary()}. Run again any time: nothing is made twice.", file=out)
    return 0
