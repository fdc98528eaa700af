"""tools/firestore_emulator.py: a started emulator has answered a write and a query already,
and leaves nothing behind from it."""
from __future__ import annotations

import pytest

from tests.fixtures_firestore import raw_client
from tools.firestore_emulator import WARM_UP_PROJECT, warm_up

pytestmark = pytest.mark.firestore


def test_the_warm_up_writes_queries_and_clears_its_project(firestore_emulator):
    warm_up(firestore_emulator, timeout=30)
    client = raw_client(WARM_UP_PROJECT, firestore_emulator)
    try:
        assert list(client.collection("warm_up").stream()) == []
    finally:
        client.close()
    warm_up(firestore_emulator, timeout=30)  # again: the write replaces, the clear empties
