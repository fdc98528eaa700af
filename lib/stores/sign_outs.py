"""The sign-out port: a generation per shopper, bumped when they sign out, so every cookie
signed before (a copied one included) stops naming them."""
from __future__ import annotations

from abc import ABC, abstractmethod


class SignOutStore(ABC):
    """Per-shopper sign-out generations, shared by every app process."""

    backend: str = "abstract"

    @abstractmethod
    def generation(self, shopper_key: str) -> int:
        """The shopper's current generation (0 until they first sign out)."""

    @abstractmethod
    def sign_out(self, shopper_key: str) -> int:
        """Bump the shopper's generation atomically and return the new one."""

    @abstractmethod
    def describe(self) -> str:
        """Where the generations live, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
