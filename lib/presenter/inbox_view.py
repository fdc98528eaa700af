"""What the Webhook inspector shows of an event's inbox state: plain words and the lag to order."""
from __future__ import annotations

from datetime import datetime

from lib.stores.inbox import Inbox, InboxEvent, InboxState


def inbox_state(event: InboxEvent | None) -> str:
    """received, fulfilling, fulfilled, retrying (with the last error), failed (with it), or
    '-' for a delivery the inbox does not hold (refused, ignored, or logged without one)."""
    if event is None:
        return "-"
    if event.state in (InboxState.RETRYING, InboxState.FAILED):
        return f"{event.state} (attempt {event.attempts}): {event.last_error}"
    return {InboxState.CLAIMED: "fulfilling",
            InboxState.FULFILLED: "fulfilled"}.get(event.state, "received")


def lag_ms(event: InboxEvent | None, now: datetime) -> float | None:
    """From receipt to order (or to now, while it is still waiting); None if not inboxed."""
    if event is None:
        return None
    end = event.done_at if event.done_at is not None else now
    return round((end - event.received_at).total_seconds() * 1000, 1)


def columns(event: InboxEvent | None, now: datetime) -> dict:
    """The inspector's two inbox columns for one delivery's event (None: not inboxed)."""
    return {"inbox": inbox_state(event), "to order ms": lag_ms(event, now)}


def inbox_columns(inbox: Inbox | None, event_id: str, now: datetime) -> dict:
    """The inspector's two inbox columns for one delivery."""
    return inbox_columns_for(inbox, [event_id], now)[event_id]


def inbox_columns_for(inbox: Inbox | None, event_ids: list[str], now: datetime) -> dict:
    """The two columns for each of these deliveries' event ids, read in one round trip."""
    held = inbox.many(event_ids) if inbox is not None else {}
    return {event_id: columns(held.get(event_id), now) for event_id in event_ids}
