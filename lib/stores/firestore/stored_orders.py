"""The data explorer's Firestore reads: order documents at users/{email}/orders/{session_id}."""
from __future__ import annotations

from firebase_admin import firestore

from lib.orders.stored import StoredOrder, jsonable, search_terms


def stored_orders(client, search: str, limit: int, calls: dict) -> list[StoredOrder]:
    """Documents newest first; a search reads the shopper's own subcollection (an email) and
    the session id's documents (a collection-group query on the session_id field)."""
    email, session_id = search_terms(search)
    orders = client.collection_group("orders")
    if not session_id:
        newest = orders.order_by("timestamp", direction=firestore.Query.DESCENDING).limit(limit)
        snapshots = list(newest.get(**calls))
    else:
        same_id = firestore.FieldFilter("session_id", "==", session_id)
        snapshots = list(orders.where(filter=same_id).limit(limit).get(**calls))
        if email and "/" not in email and not email.startswith("__"):
            mine = client.collection("users").document(email).collection("orders")
            snapshots += mine.limit(limit).get(**calls)
    unique = {snap.reference.path: snap for snap in snapshots}.values()
    # Every timestamp is UTC, so their text sorts in time order.
    ordered = sorted(unique, key=lambda snap: str(snap.get("timestamp")), reverse=True)
    return [StoredOrder(snap.reference.path, jsonable(snap.to_dict())) for snap in ordered[:limit]]
