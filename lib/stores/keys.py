"""The app secret port: named secrets (the cookie-signing key) made once, shared by every process."""
from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod

COOKIE_SIGNING = "app_secret"  # the name (and, in files, the file) the cookie key has had
# A plain name in every backend: never a file path, never a Firestore document path.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def secret_name(name: str) -> str:
    """The name as it is, or ValueError when it is not a secret name."""
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a secret name (lower-case letters, digits, _)")
    return name


def new_secret() -> str:
    """A fresh random secret: 32 bytes as 64 hex characters."""
    return secrets.token_hex(32)


class SecretStore(ABC):
    """Secrets by name; the first process to ask creates one and every later ask gets it."""

    backend: str = "abstract"

    @abstractmethod
    def secret(self, name: str) -> bytes:
        """The named secret, created on first use; two processes racing keep one secret."""

    @abstractmethod
    def describe(self) -> str:
        """Where the secrets live, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
