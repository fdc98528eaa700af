"""One Firestore connection (firebase-admin): credentials or the emulator, timeouts, errors."""
from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import firebase_admin
import google.auth.exceptions
from firebase_admin import credentials, firestore
from google.api_core import exceptions as api_errors
from google.api_core.retry import Retry, if_exception_type
from google.auth.credentials import AnonymousCredentials

from lib.stores.errors import StoreError, StoreUnavailable

DEFAULT_TIMEOUT = 5.0
EMULATOR_PROJECT = "demo-storefront"
CREDENTIALS_FIX = ("Fix: download a service-account key (Firebase console > Project settings > "
                   "Service accounts > Generate new private key, the tutorial's permissions.json) "
                   "and set FIREBASE_CREDENTIALS to its path, or set FIRESTORE_EMULATOR_HOST to "
                   "use the emulator.")
# Errors that mean "Firestore cannot be used right now" rather than "this request was wrong".
UNREACHABLE = (api_errors.ServiceUnavailable, api_errors.DeadlineExceeded, api_errors.RetryError,
               google.auth.exceptions.TransportError)
REFUSED = (api_errors.Unauthenticated, api_errors.PermissionDenied,
           google.auth.exceptions.RefreshError)
# The client reads FIRESTORE_EMULATOR_HOST from the environment when it is built; this lock
# keeps two stores built at once (say, one for the emulator, one not) from seeing each other's.
_ENV_LOCK = threading.Lock()


def load_service_account(path: str) -> credentials.Certificate:
    """Read a service-account JSON file, or raise StoreUnavailable naming the file and the fix."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise StoreUnavailable(f"Firestore credentials file {file} does not exist. "
                               + CREDENTIALS_FIX)
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StoreUnavailable(f"Firestore credentials file {file} is not valid JSON ({exc}). "
                               + CREDENTIALS_FIX) from exc
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise StoreUnavailable(f"Firestore credentials file {file} is not a service-account key "
                               '(it needs "type": "service_account"). ' + CREDENTIALS_FIX)
    try:
        return credentials.Certificate(info)
    except ValueError as exc:
        raise StoreUnavailable(f"Firestore credentials file {file} is not a usable "
                               f"service-account key: {exc}. " + CREDENTIALS_FIX) from exc


@contextmanager
def _emulator_env(emulator_host: str) -> Iterator[None]:
    """Set (or clear) FIRESTORE_EMULATOR_HOST while a client is built, then put it back."""
    with _ENV_LOCK:
        before = os.environ.get("FIRESTORE_EMULATOR_HOST")
        if emulator_host:
            os.environ["FIRESTORE_EMULATOR_HOST"] = emulator_host
        else:
            os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("FIRESTORE_EMULATOR_HOST", None)
            else:
                os.environ["FIRESTORE_EMULATOR_HOST"] = before


def document_id(value: str, what: str) -> str:
    """Refuse ids Firestore would read as a path or reject."""
    if not value or "/" in value or value in (".", "..") or (
            value.startswith("__") and value.endswith("__")):
        raise ValueError(f"{what} {value!r} cannot be a Firestore document id")
    return value


def key_document_id(key: str, what: str) -> str:
    """A shopper key (or any key) as a document id: '/' and other specials quoted, reversibly."""
    if not key:
        raise ValueError(f"a {what} needs a key")
    return document_id(quote(key, safe="@:+.-_"), what)


class FirestoreConnection:
    """A firebase-admin app and its Firestore client, shared by every Firestore adapter."""

    def __init__(self, project: str = "", credentials_path: str = "", emulator_host: str = "",
                 timeout: float = DEFAULT_TIMEOUT, service_account: str = ""):
        self.emulator_host = emulator_host
        self.timeout = timeout
        # Retry transient failures briefly, so an unreachable Firestore fails in `timeout` seconds.
        self.retry = Retry(predicate=if_exception_type(api_errors.ServiceUnavailable,
                                                       api_errors.InternalServerError),
                           initial=0.1, maximum=1.0, multiplier=2.0, timeout=timeout)
        if emulator_host:
            # Without this google-auth may probe the GCE metadata server, which hangs off GCP.
            os.environ["NO_GCE_CHECK"] = "true"
            cred = AnonymousCredentials()
            self.project = project or EMULATOR_PROJECT
        elif credentials_path:
            cred = load_service_account(credentials_path)
            self.project = project or cred.project_id
        elif service_account:  # the [firebase] table of secrets.toml, as JSON
            try:
                cred = credentials.Certificate(json.loads(service_account))
            except ValueError as exc:
                raise StoreUnavailable(f"The [firebase] service account in secrets.toml is not "
                                       f"usable ({exc}). " + CREDENTIALS_FIX) from None
            self.project = project or cred.project_id
        else:
            raise StoreUnavailable("No Firestore credentials are configured. " + CREDENTIALS_FIX)
        # A named app per connection, so several (and tests) can live in one process.
        self.app = firebase_admin.initialize_app(
            cred, {"projectId": self.project}, name=f"storefront-{uuid.uuid4().hex}")
        try:
            with _emulator_env(emulator_host):
                self.client = firestore.client(self.app)
        except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
            firebase_admin.delete_app(self.app)
            raise StoreUnavailable(f"Cannot build a Firestore client for project "
                                   f"{self.project!r}: {exc}") from exc

    @contextmanager
    def errors(self, action: str) -> Iterator[None]:
        """Turn Google API errors into StoreUnavailable or StoreError naming the action."""
        try:
            yield
        except UNREACHABLE as exc:
            raise StoreUnavailable(f"{self.describe()} did not answer while trying "
                                   f"to {action}: {exc}") from exc
        except REFUSED as exc:
            raise StoreUnavailable(f"{self.describe()} refused our credentials while trying "
                                   f"to {action}: {exc}. Fix: check that the service account "
                                   "belongs to this project and may use Firestore (role Cloud "
                                   "Datastore User), and that Firestore is enabled.") from exc
        except (api_errors.GoogleAPIError, google.auth.exceptions.GoogleAuthError) as exc:
            raise StoreError(f"Firestore failed to {action}: {exc}") from exc

    def calls(self) -> dict:
        """Keyword arguments giving every request a short timeout and retry."""
        return {"retry": self.retry, "timeout": self.timeout}

    def same_database(self, other: FirestoreConnection) -> bool:
        """Whether other reaches the same Firestore database (project and emulator)."""
        return (self.project, self.emulator_host) == (other.project, other.emulator_host)

    def describe(self) -> str:
        """The project, and the emulator's address when there is one."""
        where = f"emulator at {self.emulator_host}" if self.emulator_host else "Google Cloud"
        return f"Firestore project {self.project} ({where})"

    def close(self) -> None:
        """Close the gRPC channel and remove this connection's firebase app."""
        # The Firestore client has no public close(); its transport does.
        api = getattr(self.client, "_firestore_api_internal", None)
        if api is not None:
            api.transport.close()
        try:
            firebase_admin.delete_app(self.app)
        except ValueError:
            pass  # already closed



class FirestoreAdapter:
    """What every Firestore adapter shares: a connection, and close() that closes it only when
    the adapter owns it (the factory gives each store its own; tests may lend one to several)."""

    backend = "firestore"

    def __init__(self, connection: FirestoreConnection, owns_connection: bool = False):
        self._conn = connection
        self._owns_connection = owns_connection

    @property
    def project(self) -> str:
        """The Firestore project the adapter reads and writes."""
        return self._conn.project

    def close(self) -> None:
        """Close the connection if this adapter owns it."""
        if self._owns_connection:
            self._conn.close()
