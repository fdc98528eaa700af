"""What this machine's layout may not show to others: file paths out of text, stores as ids."""
from __future__ import annotations

import hashlib
import re

# An absolute POSIX path (two parts or more) or a Windows drive path, up to a space or quote.
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/])(?:[A-Za-z]:[\\/]|/)(?:[^\s'\"`,;()]+[\\/])+"
                            r"([^\s'\"`,;()\\/]*)")


def redact_paths(text: str) -> str:
    """text with every absolute file path cut to its last part ('/srv/x/orders.db' -> '…/orders.db')."""
    return _ABSOLUTE_PATH.sub(lambda match: "…/" + match.group(1), str(text))


def store_id(description: str) -> str:
    """A short id that is equal for two processes using the same store, without naming it."""
    return hashlib.sha256(description.encode()).hexdigest()[:16]


# How a store's backend is named to people.
KINDS = {"sqlite": "SQLite", "firestore": "Firestore"}


def store_name(store) -> str:
    """A store as any visitor may see it: its kind and short id ('SQLite store 3fa2...'), the same
    id the sidecar's /healthz gives, never the file or project behind it."""
    return f"{KINDS.get(store.backend, store.backend)} store {store_id(store.describe())}"
