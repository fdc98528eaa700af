"""Build the order store that settings ask for."""
from __future__ import annotations

from lib.settings import Settings
from lib.stores.base import OrderStore
from lib.stores.sqlite_orders import SqliteOrderStore

SQLITE_FILENAME = "orders.sqlite3"


def make_order_store(settings: Settings) -> OrderStore:
    """The SQLite store under data_dir, or Firestore (the emulator if set, else credentials)."""
    if settings.order_store == "firestore":
        # Imported here so firebase_admin is loaded only by those who use Firestore.
        from lib.stores.firestore_orders import FirestoreOrderStore

        return FirestoreOrderStore(
            project=settings.google_cloud_project,
            credentials_path=settings.firebase_credentials,
            emulator_host=settings.firestore_emulator_host,
        )
    if settings.order_store == "sqlite":
        return SqliteOrderStore(settings.data_dir / SQLITE_FILENAME)
    raise ValueError(f"unknown order store {settings.order_store!r} (use sqlite or firestore)")
