"""Every adapter of each store port, for that port's one contract suite.

Each port has a list of adapter names and, per adapter, an opener fixture named
`<adapter>_<port>_opener`: a function that opens one more adapter instance on a single fresh,
empty backing store (a file, an emulator project), so suites can test what two processes see.
To add an adapter (Firestore, say): write its opener fixtures and append its name to the lists,
as `pytest.param("firestore", marks=pytest.mark.firestore)` so `-m "not firestore"` skips it.
"""
from __future__ import annotations

import pytest

from lib.stores.sqlite.baskets import SqliteBasketStore
from lib.stores.sqlite.inbox import SqliteInbox
from lib.stores.sqlite.keys import FileKeyStore
from lib.stores.sqlite.sign_outs import SqliteSignOutStore
from lib.stores.sqlite.webhook_log import SqliteWebhookLog

BASKET_STORE_ADAPTERS = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]
WEBHOOK_LOG_ADAPTERS = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]
KEY_STORE_ADAPTERS = ["file", pytest.param("firestore", marks=pytest.mark.firestore)]
SIGN_OUT_STORE_ADAPTERS = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]
INBOX_ADAPTERS = ["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)]


def opener(make):
    """A fixture body: yields open() for instances made by make(), closing them all after."""
    opened = []

    def open_another():
        store = make()
        opened.append(store)
        return store

    yield open_another
    for store in opened:
        store.close()


def firestore_opener(store_class, emulator: str):
    """A fixture body: opens store_class instances, each on its own connection (as replicas
    are), all in one fresh emulator project."""
    from lib.stores.firestore.connection import FirestoreConnection
    from tests.fixtures_firestore import unique_project

    project = unique_project()
    yield from opener(lambda: store_class(
        FirestoreConnection(project=project, emulator_host=emulator), owns_connection=True))


@pytest.fixture
def sqlite_basket_store_opener(tmp_path):
    """Opens SqliteBasketStores on one file."""
    yield from opener(lambda: SqliteBasketStore(tmp_path / "baskets.sqlite3"))


@pytest.fixture
def firestore_basket_store_opener(firestore_emulator):
    """Opens FirestoreBasketStores, each on its own connection, in one fresh emulator project."""
    from lib.stores.firestore.baskets import FirestoreBasketStore

    yield from firestore_opener(FirestoreBasketStore, firestore_emulator)


@pytest.fixture
def sqlite_webhook_log_opener(tmp_path):
    """Opens SqliteWebhookLogs on one file."""
    yield from opener(lambda: SqliteWebhookLog(tmp_path / "webhook_log.sqlite3"))


@pytest.fixture
def firestore_webhook_log_opener(firestore_emulator):
    """Opens FirestoreWebhookLogs, each on its own connection, in one fresh emulator project."""
    from lib.stores.firestore.webhook_log import FirestoreWebhookLog

    yield from firestore_opener(FirestoreWebhookLog, firestore_emulator)


@pytest.fixture
def file_key_store_opener(tmp_path):
    """Opens FileKeyStores on one folder."""
    yield from opener(lambda: FileKeyStore(tmp_path / "keys"))


@pytest.fixture
def firestore_key_store_opener(firestore_emulator):
    """Opens FirestoreKeyStores, each on its own connection, in one fresh emulator project."""
    from lib.stores.firestore.keys import FirestoreKeyStore

    yield from firestore_opener(FirestoreKeyStore, firestore_emulator)


@pytest.fixture(params=BASKET_STORE_ADAPTERS)
def open_basket_store(request):
    """open() for basket stores of each adapter in turn, sharing one fresh backing store."""
    return request.getfixturevalue(f"{request.param}_basket_store_opener")


@pytest.fixture(params=WEBHOOK_LOG_ADAPTERS)
def open_webhook_log(request):
    """open() for webhook logs of each adapter in turn, sharing one fresh backing store."""
    return request.getfixturevalue(f"{request.param}_webhook_log_opener")


@pytest.fixture
def sqlite_sign_out_store_opener(tmp_path):
    """Opens SqliteSignOutStores on one file."""
    yield from opener(lambda: SqliteSignOutStore(tmp_path / "sign_outs.sqlite3"))


@pytest.fixture
def firestore_sign_out_store_opener(firestore_emulator):
    """Opens FirestoreSignOutStores, each on its own connection, in one fresh emulator project."""
    from lib.stores.firestore.sign_outs import FirestoreSignOutStore

    yield from firestore_opener(FirestoreSignOutStore, firestore_emulator)


@pytest.fixture(params=SIGN_OUT_STORE_ADAPTERS)
def open_sign_out_store(request):
    """open() for sign-out stores of each adapter in turn, sharing one fresh backing store."""
    return request.getfixturevalue(f"{request.param}_sign_out_store_opener")


@pytest.fixture(params=KEY_STORE_ADAPTERS)
def open_key_store(request):
    """open() for key stores of each adapter in turn, sharing one fresh backing store."""
    return request.getfixturevalue(f"{request.param}_key_store_opener")


@pytest.fixture
def basket_store(open_basket_store):
    """A fresh, empty basket store of each adapter in turn."""
    return open_basket_store()


@pytest.fixture
def webhook_log(open_webhook_log):
    """A fresh, empty webhook log of each adapter in turn."""
    return open_webhook_log()


@pytest.fixture
def key_store(open_key_store):
    """A fresh, empty key store of each adapter in turn."""
    return open_key_store()


def last_logged_outcome(log) -> str:
    """The outcome of the delivery a webhook log heard of last: its newest line, or its newest
    counted refusal (refusals are counted per reason per minute, not logged one by one)."""
    lines, counts = log.recent(1), log.rejected(1)
    if counts and (not lines or counts[0].last_at >= lines[0].received_at):
        return counts[0].reason.split(":")[0]
    return lines[0].outcome if lines else ""


@pytest.fixture
def sqlite_inbox_opener(tmp_path):
    """Opens SqliteInboxes on one file."""
    yield from opener(lambda: SqliteInbox(tmp_path / "inbox.sqlite3"))


@pytest.fixture
def firestore_inbox_opener(firestore_emulator):
    """Opens FirestoreInboxes, each on its own connection, in one fresh emulator project."""
    from lib.stores.firestore.inbox import FirestoreInbox

    yield from firestore_opener(FirestoreInbox, firestore_emulator)


@pytest.fixture(params=INBOX_ADAPTERS)
def open_inbox(request):
    """open() for webhook inboxes of each adapter in turn, sharing one fresh backing store."""
    return request.getfixturevalue(f"{request.param}_inbox_opener")


@pytest.fixture
def inbox(open_inbox):
    """A fresh, empty webhook inbox of each adapter in turn."""
    return open_inbox()
