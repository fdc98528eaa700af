"""Stripe-Version: the sandbox models one API version, the pinned SDK's, and answers every request in it.

A request without the header gets the modelled version, as a Stripe account's default version would
answer it. A request pinned to another version (Stripe's own samples pin "2020-08-27") is answered
too, in the shape the sandbox models: the response's Stripe-Version header says which version
answered, and the sandbox logs once per version that it was asked for one it does not model.
"""
from __future__ import annotations

import logging
import re
import threading

import stripe

from .errors import invalid

MODELLED_VERSION = stripe.api_version
VERSION_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?")
log = logging.getLogger("stripe_sandbox.versions")


class VersionAnswers:
    """Which version answers a request, remembering the unmodelled versions already logged."""

    def __init__(self):
        self._noted: set[str] = set()
        self._lock = threading.Lock()

    def answer(self, requested: str | None) -> str:
        """The version that answers (always the modelled one), or Stripe's 400 for a malformed header."""
        requested = (requested or "").strip()
        if not requested or requested == MODELLED_VERSION:
            return MODELLED_VERSION
        if not VERSION_SHAPE.fullmatch(requested):
            raise invalid(f"Invalid Stripe API version: {requested}")
        with self._lock:
            first = requested not in self._noted
            self._noted.add(requested)
        if first:
            log.warning("Stripe-Version %s asked for: the sandbox answers in %s, the only version it models "
                        "(fields added or removed since %s are as %s has them)",
                        requested, MODELLED_VERSION, requested, MODELLED_VERSION)
        return MODELLED_VERSION
