"""Settings and services for pages, built once per configuration with st.cache_resource."""
from __future__ import annotations

import json
import os

import streamlit as st

from lib.config.settings import Settings, load_settings
from lib.services import Services, build_services


def secrets_dict() -> dict:
    """st.secrets as a plain dict ({} when there is no secrets file)."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        return {}
    except Exception:  # noqa: BLE001 - a malformed secrets.toml must not take the shop down
        return {}


def settings() -> Settings:
    """Settings from the environment, .env files and secrets (raises SettingsError)."""
    return load_settings(os.environ, secrets_dict())


@st.cache_resource(show_spinner=False)
def _services(_settings: Settings, fingerprint: str) -> Services:
    # The fingerprint keys the cache, so changed settings (or a test's DATA_DIR) build anew.
    return build_services(_settings)


def services() -> Services:
    """The app's services for the current settings, built once per configuration."""
    current = settings()
    fingerprint = json.dumps(current.sources, sort_keys=True, default=str)
    fingerprint += f"|oidc={current.oidc_configured}"
    return _services(current, fingerprint)
