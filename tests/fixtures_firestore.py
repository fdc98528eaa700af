"""Fixtures for the order store: the Firestore emulator, fresh stores of each kind, test orders."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from lib.orders import AWAITING_PAYMENT, Order, OrderItem
from tools.firestore_emulator import port_open, start_emulator, unavailable_reason

EMAIL = "shopper@example.com"


def make_order(**overrides) -> Order:
    """A two-item order with a unique session id; keyword arguments replace any field."""
    items = (
        OrderItem("mug", "Enamel mug", 2, 45000, 90000, "https://example.com/img/mug.jpg"),
        OrderItem("tee", "Cotton tee", 1, 79900, 79900, None),
    )
    values = dict(
        session_id=f"cs_test_{uuid.uuid4().hex}",
        email=EMAIL,
        amount=179900,
        amount_shipping=10000,
        currency="inr",
        items=items,
        status=AWAITING_PAYMENT,
        timestamp=datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=timezone.utc),
        shipping={"name": "Asha Rao", "address": {"city": "Pune", "country": "IN",
                                                   "line1": "1 MG Road", "postal_code": "411001"}},
        payment_intent=f"pi_{uuid.uuid4().hex[:24]}",
        images=tuple(item.image for item in items if item.image),
    )
    values.update(overrides)
    return Order(**values)


def orders_over_time(count: int, email: str = EMAIL) -> list[Order]:
    """count orders for one shopper, a minute apart, oldest first."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return [make_order(email=email, session_id=f"cs_test_{i:03d}_{uuid.uuid4().hex[:8]}",
                       timestamp=start + timedelta(minutes=i)) for i in range(count)]


def unique_project() -> str:
    """A fresh emulator project id, so each test sees an empty database."""
    return f"demo-test-{uuid.uuid4().hex[:12]}"


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
    from lib.stores.firestore_orders import FirestoreOrderStore

    store = FirestoreOrderStore(project=unique_project(), emulator_host=firestore_emulator)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """A SqliteOrderStore in a fresh temporary file."""
    from lib.stores.sqlite_orders import SqliteOrderStore

    store = SqliteOrderStore(tmp_path / "orders.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("firestore", marks=pytest.mark.firestore)])
def order_store(request):
    """A fresh, empty order store of each kind in turn."""
    return request.getfixturevalue(f"{request.param}_store")
