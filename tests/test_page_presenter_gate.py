"""The presenter gate fails closed: when the services cannot be built or the settings do not load,
presenter pages say "Presenters only" and the fix goes to the terminal; guests see presenter
pages only in sandbox mode with a local store."""
import logging

import pytest

from harness.processes import free_port
from lib.config.settings import build_settings
from lib.shoppers.identity import oidc_shopper
from lib.shoppers.presenter_access import presenter_refusal
from tests.fixtures_pages import open_page, page_text

LIVE_KEY = "sk_" + "live_51LiveKeyEndsWith9Z7Q"
PRESENTER_PAGES = ["pages/setup.py", "pages/webhook_inspector.py", "pages/sales_dashboard.py",
                   "pages/explorer.py", "pages/demo_data.py", "pages/timeline.py"]


@pytest.fixture
def broken_catalog(app_env, monkeypatch):
    """Live keys (allowed) and a catalog file that cannot be read: the services cannot be built."""
    catalog = app_env / "products.json"
    catalog.write_text("{not json")
    monkeypatch.setenv("STRIPE_SECRET_KEY", LIVE_KEY)
    monkeypatch.setenv("ALLOW_LIVE_KEYS", "1")
    monkeypatch.setenv("STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CATALOG_PATH", str(catalog))
    return catalog


@pytest.mark.parametrize("page", PRESENTER_PAGES)
def test_without_services_a_guest_meets_presenters_only(broken_catalog, page, caplog):
    with caplog.at_level(logging.WARNING, logger="storefront.app"):
        at = open_page(page)
    assert [t.value for t in at.title] == ["Presenters only"]
    text = page_text(at)
    for secret in ("real cards", LIVE_KEY[-4:], "127.0.0.1", str(broken_catalog)):
        assert secret not in text, secret
    assert any("cannot start" in r.getMessage() for r in caplog.records)


def test_without_services_the_shop_points_at_the_terminal(broken_catalog, caplog):
    with caplog.at_level(logging.WARNING, logger="storefront.app"):
        at = open_page("pages/shop.py")
    assert "finds why in the terminal" in at.error[0].value
    assert str(broken_catalog) not in page_text(at)
    assert any(str(broken_catalog) in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("page", ["pages/setup.py", "pages/explorer.py"])
def test_settings_that_do_not_load_close_presenter_pages(app_env, monkeypatch, page, caplog):
    # A value unique to this test, so the terminal's once-a-minute line is this test's own.
    monkeypatch.setenv("WEBHOOK_PORT", app_env.name)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "pk_test_abc")
    with caplog.at_level(logging.WARNING, logger="storefront.app"):
        at = open_page(page)
    assert [t.value for t in at.title] == ["Presenters only"]
    assert "WEBHOOK_PORT" not in page_text(at) and "STRIPE_SECRET_KEY" not in page_text(at)
    told = "\n".join(r.getMessage() for r in caplog.records)
    assert "STRIPE_SECRET_KEY: holds a publishable key" in told and app_env.name in told


def test_with_a_real_firestore_project_sandbox_mode_does_not_open_them(tmp_path):
    real_project = build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                                   "FIREBASE_CREDENTIALS": str(tmp_path / "key.json")})
    assert real_project.stripe_mode == "sandbox"
    assert "real Firestore project" in presenter_refusal(real_project, None)
    listed = build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                             "FIREBASE_CREDENTIALS": str(tmp_path / "key.json"),
                             "PRESENTER_EMAILS": "host@example.com"})
    assert presenter_refusal(listed, oidc_shopper("host@example.com")) == ""
    emulator = build_settings({"DATA_DIR": str(tmp_path), "STORE": "firestore",
                               "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"})
    assert presenter_refusal(emulator, None) == ""
    assert presenter_refusal(build_settings({"DATA_DIR": str(tmp_path)}), None) == ""


def test_a_real_firestore_project_closes_the_explorer_to_guests(app_env, monkeypatch):
    (app_env / "key.json").write_text("{not json")
    monkeypatch.setenv("ORDER_STORE", "firestore")
    monkeypatch.setenv("FIREBASE_CREDENTIALS", str(app_env / "key.json"))
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)  # run.py test sets one
    at = open_page("pages/setup.py")
    assert [t.value for t in at.title] == ["Presenters only"]
    assert "key.json" not in page_text(at)
