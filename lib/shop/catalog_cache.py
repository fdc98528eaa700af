"""The catalog a running app serves: fixed (from the file) or re-read from Stripe after a TTL."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from lib.shop.catalog import Catalog, CatalogError

log = logging.getLogger(__name__)


class FixedCatalog:
    """A catalog that never changes while the app runs (CATALOG_SOURCE=file)."""

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def current(self) -> Catalog:
        """The catalog."""
        return self._catalog

    def refresh(self) -> Catalog:
        """Nothing to re-read: the file is read once at start."""
        return self._catalog


class CatalogCache:
    """A catalog loaded by load(), kept for ttl seconds of clock() time, re-read on refresh()."""

    def __init__(self, load: Callable[[], Catalog], ttl: float, clock: Callable[[], float]):
        self._load, self._ttl, self._clock = load, ttl, clock
        self._catalog: Catalog | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()  # Streamlit runs sessions in threads: one load at a time

    def current(self) -> Catalog:
        """The cached catalog, re-read once it is older than the TTL."""
        with self._lock:
            if self._catalog is not None and self._clock() - self._loaded_at < self._ttl:
                return self._catalog
            return self._reload()

    def refresh(self) -> Catalog:
        """Re-read the catalog now (the presenter's button)."""
        with self._lock:
            return self._reload()

    def _reload(self) -> Catalog:
        """Load; when Stripe fails after a first good load, keep serving the last catalog."""
        try:
            self._catalog = self._load()
        except CatalogError:
            if self._catalog is None:
                raise
            # Shoppers keep the products they see; the next page load tries again.
            log.exception("catalog refresh failed; serving the catalog loaded before")
            return self._catalog
        self._loaded_at = self._clock()
        return self._catalog
