"""What a webhook_inbox document holds, read strictly: the event, or why there is none (a
field missing or of the wrong type), so the inbox can put such a document aside."""
from __future__ import annotations

import logging
from datetime import datetime

from lib.stores.inbox import InboxEvent, readable

LOG = logging.getLogger("storefront.inbox")


def _field(data: dict, name: str, kinds: tuple):
    """The document's field, which must be there and of one of kinds (ValueError, TypeError)."""
    if name not in data:
        raise ValueError(f"no {name} field")
    if not isinstance(data[name], kinds):
        wanted = " or ".join(kind.__name__ for kind in kinds)
        raise TypeError(f"{name} is {type(data[name]).__name__}, not {wanted}")
    return data[name]


def document_event(snapshot) -> InboxEvent:
    """An InboxEvent from its document (ValueError or TypeError when it does not hold one)."""
    data = snapshot.to_dict() or {}
    settled = {"last_error": "", "done_at": None, **data}  # documents may lack them
    return InboxEvent(
        snapshot.id, _field(data, "event_type", (str,)), _field(data, "session_id", (str,)),
        _field(data, "payload", (bytes,)), _field(data, "received_at", (datetime,)),
        _field(data, "state", (str,)), int(_field(data, "attempts", (int, float))),
        _field(data, "next_attempt_at", (datetime,)), _field(settled, "last_error", (str,)),
        _field(settled, "done_at", (datetime, type(None))))


def readable_events(snapshots) -> list[InboxEvent]:
    """The events these documents hold, in order, skipping (and naming) any no one can read."""
    return readable(snapshots, document_event,
                    lambda snapshot: f"document {snapshot.reference.path}", LOG)
