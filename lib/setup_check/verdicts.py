"""What a Setup check says: a verdict with its fix, and the shared limits."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lib.config.settings import SettingsError

TIMEOUT = 3.0  # seconds: an unreachable service must show red quickly, not hang the page
NO_RETRY = {"max_network_retries": 0}  # a check wants one quick answer, not three slow ones
KEYS_PAGE = "the Stripe Dashboard (Developers > API keys, test mode)"
# CLI 1.52 forwards nothing (and refuses to start) without --events or --all-snapshot.
LISTEN = "stripe listen --events checkout.session.completed --forward-to localhost:4242/webhook"


class CheckStatus(StrEnum):
    """A verdict's colour: green (fine), amber (works, with a caveat) or red (broken)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


# The statuses by the short names every check writes.
GREEN, AMBER, RED = CheckStatus.GREEN, CheckStatus.AMBER, CheckStatus.RED


@dataclass(frozen=True)
class Check:
    """One verdict: what was checked, green/amber/red, what was found, and the fix."""

    name: str
    status: CheckStatus
    message: str
    fix: str = ""


def settings_problems(error: SettingsError) -> list[Check]:
    """One red check per problem that stopped the settings from loading."""
    return [Check(p.setting, RED, p.message, p.fix) for p in error.problems]
