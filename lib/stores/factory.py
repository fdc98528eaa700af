"""Build every store from settings: the one place that names an adapter or a database file."""
from __future__ import annotations

from lib.config.settings import Settings
from lib.stores.baskets import BasketStore
from lib.stores.inbox import Inbox
from lib.stores.keys import COOKIE_KEY, KeyStore
from lib.stores.orders import OrderStore
from lib.stores.sign_outs import SignOutStore
from lib.stores.webhook_log import WebhookLog

# File names under DATA_DIR, for the SQLite adapters.
SQLITE_FILENAME = "orders.sqlite3"
BASKETS_FILENAME = "baskets.sqlite3"
WEBHOOK_LOG_FILENAME = "webhook_log.sqlite3"
SIGN_OUTS_FILENAME = "sign_outs.sqlite3"
INBOX_FILENAME = "inbox.sqlite3"


def _firestore_connection(settings: Settings):
    """A new Firestore connection for one store, which owns (and closes) it."""
    from lib.stores.firestore.connection import FirestoreConnection

    return FirestoreConnection(project=settings.google_cloud_project,
                               credentials_path=settings.firebase_credentials,
                               service_account=settings.firebase_service_account,
                               emulator_host=settings.firestore_emulator_host)


def make_order_store(settings: Settings) -> OrderStore:
    """The SQLite store under data_dir, or Firestore (the emulator if set, else credentials)."""
    if settings.store == "firestore":
        # Imported here so firebase_admin is loaded only by those who use Firestore.
        from lib.stores.firestore.orders import FirestoreOrderStore

        return FirestoreOrderStore(_firestore_connection(settings), owns_connection=True,
                                   tutorial_currency=settings.store_currency)
    if settings.store == "sqlite":
        from lib.stores.sqlite.orders import SqliteOrderStore

        return SqliteOrderStore(settings.data_dir / SQLITE_FILENAME)
    raise ValueError(f"unknown order store {settings.store!r} (use sqlite or firestore)")


# Every port follows STORE, so replicas of the app and the sidecar on hosts without a
# shared disk agree on baskets, the cookie key, sign-outs, the webhook log and the inbox.

def make_basket_store(settings: Settings) -> BasketStore:
    """Baskets in Firestore when STORE is firestore, else SQLite under DATA_DIR."""
    if settings.store == "firestore":
        from lib.stores.firestore.baskets import FirestoreBasketStore

        return FirestoreBasketStore(_firestore_connection(settings), owns_connection=True)
    from lib.stores.sqlite.baskets import SqliteBasketStore

    return SqliteBasketStore(settings.data_dir / BASKETS_FILENAME)


def make_webhook_log(settings: Settings) -> WebhookLog:
    """The webhook log for these settings, shared by the sidecar (writer) and the app: in
    Firestore when STORE is firestore, else SQLite under DATA_DIR."""
    if settings.store == "firestore":
        from lib.stores.firestore.webhook_log import FirestoreWebhookLog

        return FirestoreWebhookLog(_firestore_connection(settings), owns_connection=True)
    from lib.stores.sqlite.webhook_log import SqliteWebhookLog

    return SqliteWebhookLog(settings.data_dir / WEBHOOK_LOG_FILENAME)


def make_inbox(settings: Settings) -> Inbox:
    """The webhook inbox shared by every sidecar worker and replica: in Firestore when
    STORE is firestore (replicas on several hosts), else SQLite under DATA_DIR."""
    if settings.store == "firestore":
        from lib.stores.firestore.inbox import FirestoreInbox

        return FirestoreInbox(_firestore_connection(settings), owns_connection=True)
    from lib.stores.sqlite.inbox import SqliteInbox

    return SqliteInbox(settings.data_dir / INBOX_FILENAME)


def make_sign_out_store(settings: Settings) -> SignOutStore:
    """The per-shopper sign-out generations that revoke older shopper cookies: in Firestore
    when STORE is firestore, else SQLite under DATA_DIR."""
    if settings.store == "firestore":
        from lib.stores.firestore.sign_outs import FirestoreSignOutStore

        return FirestoreSignOutStore(_firestore_connection(settings), owns_connection=True)
    from lib.stores.sqlite.sign_outs import SqliteSignOutStore

    return SqliteSignOutStore(settings.data_dir / SIGN_OUTS_FILENAME)


def make_key_store(settings: Settings) -> KeyStore:
    """The store that keeps the app's generated keys: in Firestore when STORE is
    firestore (every replica signs with one key), else files under DATA_DIR."""
    if settings.store == "firestore":
        from lib.stores.firestore.keys import FirestoreKeyStore

        return FirestoreKeyStore(_firestore_connection(settings), owns_connection=True)
    from lib.stores.sqlite.keys import FileKeyStore

    return FileKeyStore(settings.data_dir)


def cookie_key(settings: Settings) -> bytes:
    """The cookie-signing key: APP_SECRET when set, else one made once in the key store."""
    if settings.app_secret:
        return settings.app_secret.encode()
    store = make_key_store(settings)
    try:
        return store.key(COOKIE_KEY)
    finally:
        store.close()
