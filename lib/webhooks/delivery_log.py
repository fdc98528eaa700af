"""What the webhook log keeps of each answered delivery: real events one line each, refusals
counted per reason per minute, so unsigned junk can never push real events out of view."""
from __future__ import annotations

from lib.stores.webhook_log import LoggedEvent, WebhookLog
from lib.webhooks.events import WebhookOutcome

# Outcomes anyone on the internet can cause without Stripe's secret; a correctly signed event
# that is rejected (a session Stripe does not have) is a real event and keeps its own line.
REFUSED_OUTCOMES = frozenset({WebhookOutcome.REJECTED, WebhookOutcome.TOO_LARGE})


def refusal_reason(event: LoggedEvent) -> str:
    """A reason from a small fixed set (never the request's own text), e.g. 'rejected:
    signature missing'."""
    return f"{event.outcome}: signature {event.signature}"


def log_delivery(log: WebhookLog, event: LoggedEvent) -> None:
    """Record a real delivery as one line; count a refused one under its reason and minute."""
    if event.outcome in REFUSED_OUTCOMES and event.signature != "valid":
        minute = event.received_at.replace(second=0, microsecond=0)
        log.count_rejected(minute, refusal_reason(event), event)
    else:
        log.record(event)
