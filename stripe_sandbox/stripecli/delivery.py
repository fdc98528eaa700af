"""One delivery attempt to `stripe listen`, in the terms of the delivery worker."""
from __future__ import annotations

from ..config import WEBHOOK_TIMEOUT_SECONDS
from .hub import CliHub, Outcome

# A forwarding CLI that only acknowledges an event may have an endpoint still starting (so it is tried
# again, on the usual schedule) or may leave the type out of its --events (so it never answers): after
# this many such tries the event counts as received.
UNANSWERED_TRIES = 5


def deliver_to_cli(hub: CliHub | None, body: str, headers: dict[str, str], attempts_so_far: int) -> Outcome:
    """Send the signed event to the connected CLIs; waits as long as a direct post may take."""
    if hub is None:
        return Outcome(None, "this sandbox process has no listener for the Stripe CLI")
    outcome = hub.deliver(body, headers, WEBHOOK_TIMEOUT_SECONDS)
    if outcome.unanswered and attempts_so_far + 1 >= UNANSWERED_TRIES:
        return Outcome(None, f"{outcome.error} (counted as received after {UNANSWERED_TRIES} tries)",
                       received=True)
    return outcome
