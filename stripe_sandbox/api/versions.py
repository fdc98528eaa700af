"""Stripe-Version: the sandbox models one API version, the pinned SDK's; it honours that and refuses others.

A request without the header gets the modelled version, as a Stripe account's default version would
answer it; every API response says which version answered in its own Stripe-Version header.
"""
from __future__ import annotations

import re

import stripe

from .errors import invalid

MODELLED_VERSION = stripe.api_version
VERSION_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?")


def check_version(requested: str | None) -> str:
    """The version to answer with, or Stripe's 400 for one the sandbox does not model."""
    if requested is None or not requested.strip():
        return MODELLED_VERSION
    requested = requested.strip()
    if requested == MODELLED_VERSION:
        return requested
    if not VERSION_SHAPE.fullmatch(requested):
        raise invalid(f"Invalid Stripe API version: {requested}")
    raise invalid(f"The sandbox models Stripe API version {MODELLED_VERSION} only (the one the pinned "
                  f"stripe SDK sends); it does not answer as {requested}. Remove the Stripe-Version "
                  "header, or send that version.")
