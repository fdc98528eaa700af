"""One delivery attempt to `stripe listen`, in the terms of the delivery worker."""
from __future__ import annotations

from ..config import WEBHOOK_TIMEOUT_SECONDS
from .hub import CliHub, Outcome


def deliver_to_cli(hub: CliHub | None, body: str, headers: dict[str, str]) -> Outcome:
    """Send the signed event to the connected CLIs; waits as long as a direct post may take."""
    if hub is None:
        return Outcome(None, "this sandbox process has no listener for the Stripe CLI")
    return hub.deliver(body, headers, WEBHOOK_TIMEOUT_SECONDS)
