"""The Firestore sign-out store: sign_outs/{shopper key} documents holding a generation."""
from __future__ import annotations

from firebase_admin import firestore

from lib.stores.errors import StoreError
from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection, key_document_id
from lib.stores.sign_outs import SignOutStore

COLLECTION = "sign_outs"


class FirestoreSignOutStore(FirestoreAdapter, SignOutStore):
    """One document per shopper who ever signed out; a sign-out is one server-side increment."""

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._sign_outs = connection.client.collection(COLLECTION)

    def _ref(self, shopper_key: str):
        """The shopper's generation document."""
        return self._sign_outs.document(key_document_id(shopper_key, "sign-out"))

    def generation(self, shopper_key: str) -> int:
        """0 for a shopper who never signed out."""
        with self._conn.errors("read a sign-out generation"):
            snapshot = self._ref(shopper_key).get(**self._conn.calls())
        return int((snapshot.to_dict() or {}).get("generation") or 0) if snapshot.exists else 0

    def sign_out(self, shopper_key: str) -> int:
        """Add 1 with Firestore's Increment transform and return the value the server wrote.

        The increment is applied by the server, so racing replicas never lose a bump and no
        transaction is needed. A write retried after a lost reply may bump twice; that only
        revokes the same cookies again.
        """
        with self._conn.errors("record a sign-out"):
            result = self._ref(shopper_key).set(
                {"shopper_key": shopper_key, "generation": firestore.Increment(1)},
                merge=True, **self._conn.calls())
        # The write's only transform is the increment: its result is the new generation.
        values = list(result.transform_results)
        if len(values) != 1:
            raise StoreError(f"Firestore answered a sign-out with {len(values)} transform "
                             "results, expected the one increment")
        return int(values[0].integer_value)

    def describe(self) -> str:
        """The Firestore project (and emulator) holding the sign_outs collection."""
        return f"{self._conn.describe()}, collection {COLLECTION}"
