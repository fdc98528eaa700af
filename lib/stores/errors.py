"""What every store port raises: StoreError and its kinds, caught by callers of any store."""
from __future__ import annotations


class StoreError(Exception):
    """The store failed; the caller should report failure so the work is retried."""


class StoreUnavailable(StoreError):
    """The store could not be reached at all."""


class UnreadableStoredOrder(StoreError):
    """One stored order exists but cannot be read (malformed); the message names it."""
