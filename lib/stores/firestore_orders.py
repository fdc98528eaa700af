"""The Firestore order store: the tutorial's users/{email}/orders/{session_id} (firebase-admin)."""
from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import firebase_admin
import google.auth.exceptions
from firebase_admin import credentials, firestore
from google.api_core import exceptions as api_errors
from google.api_core.retry import Retry, if_exception_type
from google.auth.credentials import AnonymousCredentials

from lib.orders import REFUNDABLE, STATUSES, Order, refund_status
from lib.sales import SalesSummary
from lib.stored_orders import StoredOrder
from lib.stores import firestore_sales, firestore_stored
from lib.stores.base import OrderStore, StoreError, StoreUnavailable

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


def _plain_utc(moment: datetime) -> datetime:
    """Firestore's DatetimeWithNanoseconds as a plain timezone-aware UTC datetime."""
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                    moment.second, moment.microsecond, tzinfo=UTC)


def _document_id(value: str, what: str) -> str:
    """Refuse ids Firestore would read as a path or reject."""
    if not value or "/" in value or value in (".", "..") or (
            value.startswith("__") and value.endswith("__")):
        raise ValueError(f"{what} {value!r} cannot be a Firestore document id")
    return value


class FirestoreOrderStore(OrderStore):
    """Orders in Cloud Firestore (or its emulator) under users/{email}/orders/{session_id}."""

    backend = "firestore"

    def __init__(self, project: str = "", credentials_path: str = "", emulator_host: str = "",
                 timeout: float = DEFAULT_TIMEOUT, service_account: str = ""):
        self.emulator_host = emulator_host
        self.timeout = timeout
        # Retry transient failures briefly, so an unreachable Firestore fails in `timeout` seconds.
        self._retry = Retry(predicate=if_exception_type(api_errors.ServiceUnavailable,
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
        # A named app per store, so several stores (and tests) can live in one process.
        self._app = firebase_admin.initialize_app(
            cred, {"projectId": self.project}, name=f"storefront-orders-{uuid.uuid4().hex}")
        try:
            with _emulator_env(emulator_host):
                self._client = firestore.client(self._app)
        except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
            firebase_admin.delete_app(self._app)
            raise StoreUnavailable(f"Cannot build a Firestore client for project "
                                   f"{self.project!r}: {exc}") from exc

    def _order_ref(self, email: str, session_id: str):
        """The document reference users/{email}/orders/{session_id}."""
        return self._orders(email).document(_document_id(session_id, "session_id"))

    def _orders(self, email: str):
        """The shopper's orders subcollection."""
        return (self._client.collection("users").document(_document_id(email, "email"))
                .collection("orders"))

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
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

    def _calls(self) -> dict:
        """Keyword arguments giving every request a short timeout and retry."""
        return {"retry": self._retry, "timeout": self.timeout}

    def create_order(self, order: Order) -> bool:
        """Create the document unless it exists (Firestore create()); True if this call did."""
        ref = self._order_ref(order.email, order.session_id)
        # A create retried after a lost reply meets its own write and reports False
        # ("already recorded"); there is still exactly one document.
        record = order.to_record()
        # The order and its day's sales rollup are written together, or neither is.
        batch = self._client.batch()
        batch.create(ref, record)
        batch.set(*firestore_sales.rollup_write(self._client, [(record, 1)]), merge=True)
        with self._errors("record an order"):
            try:
                batch.commit(**self._calls())
            except api_errors.AlreadyExists:
                return False
        return True

    def get_order(self, email: str, session_id: str) -> Order | None:
        """The order for this shopper and session, or None."""
        ref = self._order_ref(email, session_id)
        with self._errors("read an order"):
            snapshot = ref.get(**self._calls())
        return self._to_order(snapshot.to_dict()) if snapshot.exists else None

    def advance_status(self, email: str, session_id: str, from_statuses: Iterable[str],
                       to_status: str) -> bool:
        """In a transaction, move the status to to_status if it is one of from_statuses."""
        allowed = set(from_statuses)
        if to_status not in STATUSES:
            raise ValueError(f"unknown order status {to_status!r}")
        ref = self._order_ref(email, session_id)
        with self._errors("update an order's status"):
            # A plain read first: it fails fast when Firestore is unreachable (beginning a
            # transaction uses the library's 60 s retry) and skips the transaction when there
            # is nothing to do. The transaction below still decides.
            current = ref.get(field_paths=["status"], **self._calls())
            if not current.exists or current.get("status") not in allowed:
                return False

            @firestore.transactional
            def move(transaction) -> bool:
                snapshot = ref.get(transaction=transaction, **self._calls())
                if not snapshot.exists or snapshot.get("status") not in allowed:
                    return False
                record = snapshot.to_dict()
                transaction.update(ref, {"status": to_status})
                transaction.set(*firestore_sales.rollup_write(
                    self._client, [(record, -1), ({**record, "status": to_status}, 1)]),
                    merge=True)
                return True

            # The library retries aborted transactions at once; when several race for one
            # order (webhook retries, the success page) they can abort each other again and
            # again, so retry here with a growing random pause instead.
            deadline = time.monotonic() + self.timeout
            for attempt in itertools.count():
                try:
                    return move(self._client.transaction(max_attempts=1))
                except (ValueError, api_errors.Aborted) as exc:
                    failure = exc
                after = ref.get(field_paths=["status"], **self._calls())
                if not after.exists or after.get("status") not in allowed:
                    return False  # another writer moved it first
                if time.monotonic() > deadline:
                    break
                time.sleep(random.uniform(0, min(1.0, 0.02 * 2 ** attempt)))
            raise StoreError(f"Firestore could not update the status of {session_id} under "
                             f"contention: {failure}") from failure

    def record_refund(self, email: str, session_id: str, amount_refunded: int) -> bool:
        """In a transaction, record a larger refunded total and the status it gives (rollup moved too)."""
        ref = self._order_ref(email, session_id)

        @firestore.transactional
        def refund(transaction) -> bool:
            snapshot = ref.get(transaction=transaction, **self._calls())
            if not snapshot.exists:
                return False
            record = snapshot.to_dict()
            if record.get("status") not in REFUNDABLE or int(record.get("amount_refunded") or 0) >= amount_refunded:
                return False
            status = refund_status(int(record["amount"]), amount_refunded)
            transaction.update(ref, {"status": status, "amount_refunded": amount_refunded})
            if status != record["status"]:
                transaction.set(*firestore_sales.rollup_write(
                    self._client, [(record, -1), ({**record, "status": status}, 1)]), merge=True)
            return True

        with self._errors("record a refund"):
            # Refunds are rare and come one delivery at a time: the library's own retries suffice.
            return refund(self._client.transaction())

    def list_orders(self, email: str, limit: int = 10, offset: int = 0) -> list[Order]:
        """One page of the shopper's orders, newest first."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        if limit == 0:
            return []
        query = (self._orders(email)
                 .order_by("timestamp", direction=firestore.Query.DESCENDING)
                 .order_by("__name__", direction=firestore.Query.DESCENDING)
                 .offset(offset).limit(limit))
        with self._errors("list orders"):
            snapshots = query.get(**self._calls())
        return [self._to_order(snapshot.to_dict()) for snapshot in snapshots]

    def count_orders(self, email: str) -> int:
        """How many orders the shopper has (an aggregation query, not a read of each)."""
        with self._errors("count orders"):
            results = self._orders(email).count(alias="n").get(**self._calls())
        return int(results[0][0].value) if results else 0

    def delete_order(self, email: str, session_id: str) -> None:
        """Remove one order if it exists."""
        ref = self._order_ref(email, session_id)

        @firestore.transactional
        def remove(transaction) -> None:
            snapshot = ref.get(transaction=transaction, **self._calls())
            if snapshot.exists:
                transaction.delete(ref)
                transaction.set(*firestore_sales.rollup_write(
                    self._client, [(snapshot.to_dict(), -1)]), merge=True)

        with self._errors("delete an order"):
            remove(self._client.transaction())

    def sales_summary(self, currency: str) -> SalesSummary:
        """The sales rollup's day documents added up (one read per day with orders)."""
        with self._errors("read the sales rollup"):
            days = self._client.collection(firestore_sales.ROLLUP_COLLECTION).get(**self._calls())
        return firestore_sales.summary_from_days([day.to_dict() for day in days], currency)

    def stored_orders(self, search: str = "", limit: int = 50) -> list[StoredOrder]:
        """Documents newest first across users/*/orders (exact email or session id if given)."""
        with self._errors("read stored orders"):
            return firestore_stored.stored_orders(self._client, search, limit, self._calls())

    def ping(self) -> None:
        """Raise StoreUnavailable unless a one-document read answers within the timeout."""
        with self._errors("answer a ping"):
            self._client.collection("storefront").document("ping").get(**self._calls())

    def describe(self) -> str:
        """The project, and the emulator's address when there is one."""
        where = f"emulator at {self.emulator_host}" if self.emulator_host else "Google Cloud"
        return f"Firestore project {self.project} ({where})"

    def close(self) -> None:
        """Close the gRPC channel and remove this store's firebase app."""
        # The Firestore client has no public close(); its transport does.
        api = getattr(self._client, "_firestore_api_internal", None)
        if api is not None:
            api.transport.close()
        try:
            firebase_admin.delete_app(self._app)
        except ValueError:
            pass  # already closed

    @staticmethod
    def _to_order(data: dict) -> Order:
        """An Order from a document's fields."""
        return Order.from_record({**data, "timestamp": _plain_utc(data["timestamp"])})
