"""The file key store: one 0600 file per key under DATA_DIR (the cookie key: app_secret)."""
from __future__ import annotations

from pathlib import Path

from lib.config.private_files import create_private_text, private_dir
from lib.stores.errors import StoreError
from lib.stores.keys import KeyStore, key_name, new_key


class FileKeyStore(KeyStore):
    """Each key is a file made with an exclusive create, so racing processes keep one."""

    backend = "file"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def key(self, name: str) -> bytes:
        """The named key, created on first use (the first writer's value wins)."""
        path = self.folder / key_name(name)
        try:
            private_dir(self.folder)
            create_private_text(path, new_key())
            value = path.read_text().strip()
        except OSError as exc:
            raise StoreError(f"cannot keep the key {path}: {exc}. Fix: point DATA_DIR at a "
                             "writable directory, or set APP_SECRET.") from exc
        if not value:
            # Only a crash between the create and the write leaves an empty file behind.
            raise StoreError(f"the key file {path} is empty. Fix: delete it and restart.")
        return value.encode()

    def describe(self) -> str:
        """The folder holding the key files."""
        return f"files in {self.folder}"
