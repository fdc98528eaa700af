"""The basket store port: each shopper's basket, changed atomically, with a version per change."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from lib.shop.basket import Basket


class BasketStore(ABC):
    """Baskets keyed by shopper key; every change is one atomic read-modify-write that bumps the
    version, so two tabs cannot lose each other's edits."""

    backend: str = "abstract"

    @abstractmethod
    def load(self, shopper: str) -> Basket:
        """The shopper's basket (empty, version 0, when there is none)."""

    @abstractmethod
    def update(self, shopper: str, change: Callable[[dict], dict]) -> Basket:
        """Replace the shopper's lines with change(lines) atomically; its exceptions abort it."""

    @abstractmethod
    def merge(self, source: str, target: str, combine: Callable[[dict, dict], dict]) -> Basket:
        """Move source's lines into target's in one atomic change: target's lines become
        combine(target_lines, source_lines) and source is emptied, or (when combine raises or
        the store fails) neither changes. Returns target's basket; an empty source changes
        nothing."""

    def clear(self, shopper: str) -> Basket:
        """Empty the shopper's basket."""
        return self.update(shopper, lambda lines: {})

    @abstractmethod
    def describe(self) -> str:
        """Where the baskets live, for people."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""
