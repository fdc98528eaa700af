"""The key store port: named keys (the cookie-signing key) made once, shared by every process."""
from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod

# The cookie key's name in every backend (the file DATA_DIR/app_secret, the Firestore document
# app_secrets/app_secret), the same as the APP_SECRET setting that replaces it when set.
COOKIE_KEY = "app_secret"
# A plain name in every backend: never a file path, never a Firestore document path.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def key_name(name: str) -> str:
    """The name as it is, or ValueError when it is not a key name."""
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a key name (lower-case letters, digits, _)")
    return name


def new_key() -> str:
    """A fresh random key: 32 bytes as 64 hex characters."""
    return secrets.token_hex(32)


class KeyStore(ABC):
    """Keys by name; the first process to ask creates one and every later ask gets it."""

    backend: str = "abstract"

    @abstractmethod
    def key(self, name: str) -> bytes:
        """The named key, created on first use; two processes racing keep one key."""

    @abstractmethod
    def describe(self) -> str:
        """Where the keys live, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
