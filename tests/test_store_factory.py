"""The one store factory: every port built from settings, Services holding ports, and no page or
sidecar naming an adapter or a database file."""
import re
from typing import get_type_hints

import pytest

from harness.processes import ROOT
from lib.config.settings import build_settings
from lib.services import Services, build_services
from lib.stores import factory
from lib.stores.baskets import BasketStore
from lib.stores.inbox import Inbox
from lib.stores.keys import KeyStore
from lib.stores.orders import OrderStore
from lib.stores.sign_outs import SignOutStore
from lib.stores.webhook_log import WebhookLog

LONG_SECRET = "k" * 40


def settings_in(path, **values):
    """Settings with DATA_DIR at path."""
    return build_settings({"DATA_DIR": str(path), **values})


# Every port the factory builds, with the port it must implement.
PORTS = [(factory.make_order_store, OrderStore), (factory.make_basket_store, BasketStore),
         (factory.make_webhook_log, WebhookLog), (factory.make_inbox, Inbox),
         (factory.make_sign_out_store, SignOutStore), (factory.make_key_store, KeyStore)]


def test_each_port_is_built_under_data_dir(tmp_path):
    settings = settings_in(tmp_path)
    built = [(make(settings), port) for make, port in PORTS]
    try:
        for store, port in built:
            assert isinstance(store, port)
            assert store.backend in ("sqlite", "file") and str(tmp_path) in store.describe()
    finally:
        for store, _ in built:
            store.close()


@pytest.mark.firestore
@pytest.mark.parametrize("setting", ["STORE", "ORDER_STORE"])
def test_one_setting_puts_every_port_in_firestore(tmp_path, firestore_emulator, setting):
    """STORE=firestore (or its old name ORDER_STORE) builds each port's Firestore adapter,
    and nothing is written under DATA_DIR."""
    from tests.fixtures_firestore import unique_project

    settings = settings_in(tmp_path / "data", **{setting: "firestore"},
                           FIRESTORE_EMULATOR_HOST=firestore_emulator,
                           GOOGLE_CLOUD_PROJECT=unique_project())
    built = []
    try:
        for make, port in PORTS:
            store = make(settings)
            built.append(store)
            assert isinstance(store, port) and store.backend == "firestore", make.__name__
            assert "Firestore project demo-test-" in store.describe()
        assert len(factory.cookie_key(settings)) == 64
    finally:
        for store in built:
            store.close()
    assert not (tmp_path / "data").exists() or list((tmp_path / "data").iterdir()) == []


def test_services_hold_ports_not_adapters(tmp_path):
    hints = get_type_hints(Services)
    assert (hints["orders"], hints["baskets"], hints["webhook_log"]) == (
        OrderStore, BasketStore, WebhookLog)
    services = build_services(settings_in(tmp_path))
    assert isinstance(services.baskets, BasketStore)
    assert isinstance(services.webhook_log, WebhookLog)


def test_the_cookie_key_is_made_once_per_data_dir(tmp_path):
    first = factory.cookie_key(settings_in(tmp_path / "data"))
    assert len(first) == 64
    assert factory.cookie_key(settings_in(tmp_path / "data")) == first
    assert factory.cookie_key(settings_in(tmp_path / "other")) != first
    assert build_services(settings_in(tmp_path / "data")).cookie_key == first


def test_app_secret_from_settings_wins(tmp_path):
    settings = settings_in(tmp_path, APP_SECRET=LONG_SECRET)
    assert factory.cookie_key(settings) == LONG_SECRET.encode()
    assert not (tmp_path / "app_secret").exists()
    assert LONG_SECRET not in repr(settings)


ADAPTER_WORDS = re.compile(r"Sqlite\w+|Firestore\w+Store|\.sqlite3|lib\.stores\.(sqlite|firestore)_"
                           r"|app_secret\b")


def test_pages_the_frame_and_the_sidecar_name_no_adapter_or_file():
    """Only lib/stores/factory.py chooses adapters and file names; the edges use ports."""
    edges = [ROOT / "streamlit_app.py", *sorted((ROOT / "pages").glob("*.py")),
             *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "webhook_server").glob("*.py"))]
    named = {path.relative_to(ROOT).as_posix():
             [found.group(0) for found in ADAPTER_WORDS.finditer(path.read_text())]
             for path in edges}
    assert {path: words for path, words in named.items() if words} == {}
    assert len(edges) > 8


@pytest.mark.firestore
def test_with_store_firestore_the_baskets_live_in_firestore_too(tmp_path, firestore_emulator):
    from tests.fixtures_firestore import unique_project

    settings = build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                               "FIRESTORE_EMULATOR_HOST": firestore_emulator,
                               "GOOGLE_CLOUD_PROJECT": unique_project()})
    first, second = factory.make_basket_store(settings), factory.make_basket_store(settings)
    try:
        assert first.backend == "firestore" and "collection baskets" in first.describe()
        first.update("guest:abc", lambda lines: {"aurora-kettle": 2})
        # Another replica (no shared disk) sees the same basket.
        assert second.load("guest:abc").lines == {"aurora-kettle": 2}
        assert not (tmp_path / factory.BASKETS_FILENAME).exists()
    finally:
        first.close()
        second.close()


@pytest.mark.firestore
def test_with_store_firestore_replicas_with_their_own_data_dirs_share_cookie_key_and_sign_outs(
        tmp_path, firestore_emulator):
    """Two replicas on hosts with no shared disk: one cookie key, one sign-out generation."""
    from tests.fixtures_firestore import unique_project

    firestore = {"STORE": "firestore", "FIRESTORE_EMULATOR_HOST": firestore_emulator,
                 "GOOGLE_CLOUD_PROJECT": unique_project()}
    one, two = (settings_in(tmp_path / name, **firestore) for name in ("one", "two"))
    assert factory.cookie_key(one) == factory.cookie_key(two)
    assert factory.cookie_key(one) != factory.cookie_key(settings_in(tmp_path / "files"))
    first, second = factory.make_sign_out_store(one), factory.make_sign_out_store(two)
    try:
        assert first.backend == second.backend == "firestore"
        assert "collection sign_outs" in first.describe()
        assert first.sign_out("user:ada@example.com") == 1
        assert second.generation("user:ada@example.com") == 1
        keys = factory.make_key_store(one)
        assert "collection app_secrets" in keys.describe()
        keys.close()
    finally:
        first.close()
        second.close()
    for folder in ("one", "two"):
        assert not (tmp_path / folder / "app_secret").exists()
        assert not (tmp_path / folder / factory.SIGN_OUTS_FILENAME).exists()


@pytest.mark.firestore
def test_with_store_firestore_the_webhook_log_is_shared_without_a_disk(
        tmp_path, firestore_emulator):
    """The sidecar on one host writes, the app's inspector on another reads."""
    from datetime import UTC, datetime

    from lib.stores.webhook_log import LoggedEvent
    from tests.fixtures_firestore import unique_project

    firestore = {"STORE": "firestore", "FIRESTORE_EMULATOR_HOST": firestore_emulator,
                 "GOOGLE_CLOUD_PROJECT": unique_project()}
    sidecar = factory.make_webhook_log(settings_in(tmp_path / "sidecar", **firestore))
    app = factory.make_webhook_log(settings_in(tmp_path / "app", **firestore))
    event = LoggedEvent(datetime(2026, 5, 1, tzinfo=UTC), "evt_1", "checkout.session.completed",
                        "cs_test_1", "valid", "queued", 200, 1.5, "")
    try:
        assert sidecar.backend == app.backend == "firestore"
        sidecar.record(event)
        assert app.recent() == [event]
    finally:
        sidecar.close()
        app.close()
    assert not (tmp_path / "sidecar" / factory.WEBHOOK_LOG_FILENAME).exists()
