"""An order as the store keeps it: where it lives and the stored document itself."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class StoredOrder:
    """One stored order: its location (a Firestore path or a table row) and its raw document."""

    location: str
    document: dict


def jsonable(value):
    """The stored value with dates as ISO 8601 text, so it can be shown as JSON."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def search_terms(text: str) -> tuple[str, str]:
    """(email, session_id) to look for: the text trimmed, emails lowercased as orders store them."""
    term = text.strip()
    return term.lower(), term
