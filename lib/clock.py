"""The real clock: the default for every `clock` argument; tests pass their own."""
from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)
