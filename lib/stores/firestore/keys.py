"""The Firestore key store: app_secrets/{name} documents, so every replica signs with one key."""
from __future__ import annotations

from firebase_admin import firestore
from google.api_core import exceptions as api_errors

from lib.stores.errors import StoreError
from lib.stores.firestore.connection import FirestoreAdapter, FirestoreConnection
from lib.stores.keys import KeyStore, key_name, new_key

COLLECTION = "app_secrets"  # the collection's name in existing projects, kept


class FirestoreKeyStore(FirestoreAdapter, KeyStore):
    """Each key is one document made with create(), so the first writer's value wins."""

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        super().__init__(connection, owns_connection)
        self._keys = connection.client.collection(COLLECTION)

    def key(self, name: str) -> bytes:
        """The named key: read it, or create it if absent and read back whichever value won."""
        ref = self._keys.document(key_name(name))
        with self._conn.errors(f"keep the key {name}"):
            snapshot = ref.get(**self._conn.calls())
            if not snapshot.exists:
                try:
                    # create() fails when the document exists: a replica racing us (or this
                    # call's own retried write) made it first, and that value is the one kept.
                    ref.create({"value": new_key(), "created_at": firestore.SERVER_TIMESTAMP},
                               **self._conn.calls())
                except api_errors.AlreadyExists:
                    pass
                snapshot = ref.get(**self._conn.calls())
        value = (snapshot.to_dict() or {}).get("value")
        if not isinstance(value, str) or not value.strip():
            raise StoreError(f"the key document {COLLECTION}/{name} in "
                             f"{self._conn.describe()} has no text field 'value'. "
                             "Fix: delete the document and restart every replica, or set "
                             "APP_SECRET.")
        return value.strip().encode()

    def describe(self) -> str:
        """The Firestore project (and emulator) holding the app_secrets collection."""
        return f"{self._conn.describe()}, collection {COLLECTION}"
