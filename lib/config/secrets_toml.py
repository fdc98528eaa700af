"""Streamlit's .streamlit/secrets.toml for every process, and its tables as setting names.

The app gets it as st.secrets; run.py, the sidecar, the sandbox's start and `run.py check` read
the same file here, so one place holds the keys wherever a learner put them.
"""
from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path

SECRETS_FILE = Path(".streamlit", "secrets.toml")
# Table keys that are not simply PREFIX_KEY: [stripe] publishable_key is our STRIPE_PUBLIC_KEY.
RENAMES = {"STRIPE_PUBLISHABLE_KEY": "STRIPE_PUBLIC_KEY",
           "STRIPE_SIGNING_SECRET": "STRIPE_WEBHOOK_SECRET"}
# Tables that configure Streamlit itself or other libraries, never our settings.
FOREIGN_TABLES = {"auth", "connections"}


class SecretsFileError(ValueError):
    """secrets.toml exists but is not valid TOML; the message names the file and the line."""


def read_secrets_file(path: Path) -> dict:
    """The file's tables and values as a dict ({} when it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SecretsFileError(f"{path} is not valid TOML ({exc}).") from None


def is_service_account(table: Mapping) -> bool:
    """Whether a table is a Firebase service-account key (the tutorial's permissions.json)."""
    return table.get("type") == "service_account" and "private_key" in table


def flatten_secrets(secrets: Mapping) -> dict[str, str]:
    """Top-level values as they are; [stripe] secret_key -> STRIPE_SECRET_KEY (and every
    other table the same way); a [firebase] service account -> FIREBASE_SERVICE_ACCOUNT as
    JSON. [auth] and [connections] belong to Streamlit and are left out."""
    flat: dict[str, str] = {}
    for key, value in secrets.items():
        if isinstance(value, (str, int, float, bool)):
            flat[key] = str(value)
        elif isinstance(value, Mapping) and key.lower() not in FOREIGN_TABLES:
            if key.lower() == "firebase" and is_service_account(value):
                flat["FIREBASE_SERVICE_ACCOUNT"] = json.dumps(dict(value))
                continue
            prefix = key.upper() + "_"
            for inner, item in value.items():
                if isinstance(item, (str, int, float, bool)):
                    name = inner.upper()
                    name = name if name.startswith(prefix) else prefix + name
                    flat[RENAMES.get(name, name)] = str(item)
    return flat
