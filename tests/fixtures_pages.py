"""Fixtures for AppTest page tests: an app environment of its own and a fresh app session."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.config.settings import ROOT

# Settings a developer's shell might export; the page tests run in sandbox mode without them.
CLEARED = ("STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
           "STRIPE_SHIPPING_RATE", "APP_URL")


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A data directory of its own, the app in sandbox mode, INR and SQLite; returns the dir."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in CLEARED:
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("STORE_CURRENCY", "INR")
    # ORDER_STORE (STORE's old name), which some page tests set to firestore; STORE unset, so
    # a developer's own STORE cannot disagree with it.
    monkeypatch.setenv("ORDER_STORE", "sqlite")
    monkeypatch.delenv("STORE", raising=False)
    return tmp_path


def new_app() -> AppTest:
    """A fresh, not yet run, session of the whole app."""
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)


def open_page(path: str, shopper=None, *, query_params: dict | None = None,
              secrets: dict | None = None) -> AppTest:
    """A new session (a new tab) on one page, signed in as shopper if given, with the URL's
    query_params and the app's secrets (st.secrets) if given; asserts it ran."""
    at = new_app()
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    if shopper is not None:
        at.session_state["shopper"] = shopper
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    """Everything the run drew, main area and sidebar, as one text: each element's message
    and any table's cells."""
    parts: list[str] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        parts.append(str(getattr(node, "proto", "")))
        value = getattr(node, "value", None)
        if hasattr(value, "to_csv"):
            parts.append(value.to_csv())

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(parts)
