"""Fixtures for the order store: the Firestore emulator, fresh stores of each kind, and the
environment that selects one for a process."""
from __future__ import annotations

import os
import uuid

import pytest

from tools.firestore_emulator import port_open, start_emulator, unavailable_reason


def unique_project() -> str:
    """A fresh emulator project id, so each test sees an empty database."""
    return f"demo-test-{uuid.uuid4().hex[:12]}"


def store_env(kind: str, request) -> dict:
    """Environment selecting the order store: SQLite, or Firestore on the emulator."""
    if kind == "sqlite":
        return {"ORDER_STORE": "sqlite"}
    host = request.getfixturevalue("firestore_emulator")
    return {"ORDER_STORE": "firestore", "FIRESTORE_EMULATOR_HOST": host,
            "GOOGLE_CLOUD_PROJECT": unique_project()}


@pytest.fixture(scope="session")
def firestore_emulator(tmp_path_factory) -> str:
    """host:port of a running Firestore emulator: the exported one, or one started for the session.

    Skips when the emulator is not installed, except in CI (CI=true), where that fails.
    """
    exported = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if exported:
        host, _, port = exported.rpartition(":")
        if not port.isdigit() or not port_open(host or "127.0.0.1", int(port)):
            pytest.fail(f"FIRESTORE_EMULATOR_HOST={exported} is set but nothing listens there.")
        yield exported
        return
    reason = unavailable_reason()
    if reason:
        message = f"Firestore emulator unavailable: {reason}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run the Firestore suite, not skip it.)")
        pytest.skip(message)
    log_path = tmp_path_factory.mktemp("firestore-emulator") / "emulator.log"
    emulator = start_emulator(log_path=log_path, timeout=60)
    try:
        yield emulator.host_port
    finally:
        emulator.stop()


@pytest.fixture
def firestore_store(firestore_emulator):
    """A FirestoreOrderStore on the emulator, in a project of its own."""
    from lib.stores.firestore.connection import FirestoreConnection
    from lib.stores.firestore.orders import FirestoreOrderStore

    store = FirestoreOrderStore(FirestoreConnection(project=unique_project(),
                                                    emulator_host=firestore_emulator),
                                owns_connection=True)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """A SqliteOrderStore in a fresh temporary file."""
    from lib.stores.sqlite.orders import SqliteOrderStore

    store = SqliteOrderStore(tmp_path / "orders.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)])
def order_store(request):
    """A fresh, empty order store of each kind in turn."""
    return request.getfixturevalue(f"{request.param}_store")


def raw_client(project: str, emulator: str):
    """A plain google-cloud-firestore client on the emulator, to write documents as others do."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import firestore

    before = os.environ.get("FIRESTORE_EMULATOR_HOST")
    os.environ["FIRESTORE_EMULATOR_HOST"] = emulator  # read once, when the client is built
    try:
        return firestore.Client(project=project, credentials=AnonymousCredentials())
    finally:
        if before is None:
            os.environ.pop("FIRESTORE_EMULATOR_HOST")
        else:
            os.environ["FIRESTORE_EMULATOR_HOST"] = before
