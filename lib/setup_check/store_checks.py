"""Setup checks of the orders store: a write-read-delete probe and the Firestore credentials."""
from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from lib.orders.model import Order, OrderItem, OrderStatus
from lib.setup_check.verdicts import AMBER, GREEN, RED, TIMEOUT, Check
from lib.stores.errors import StoreError


def probe_order(now: datetime) -> Order:
    """A throwaway order under an address that cannot be a shopper's."""
    item = OrderItem("setup-probe", "Setup probe", 1, 100, 100)
    return Order(f"cs_setup_probe_{uuid.uuid4().hex}", "setup-probe@storefront.invalid", 100, 0,
                 "usd", (item,), OrderStatus.PAID, now)


def check_store(open_store: Callable, clock: Callable[[], datetime]) -> Check:
    """The orders store: backend, location, and a write-read-delete of a throwaway order."""
    try:
        store = open_store()
        where = f"{store.backend}: {store.describe()}"
        order = probe_order(clock())
        wrote = store.create_order(order)
        read = store.get_order(order.email, order.session_id)
        store.delete_order(order.email, order.session_id)
        gone = store.get_order(order.email, order.session_id) is None
    except StoreError as exc:
        return Check("Orders store", RED, str(exc), "See the message; the store must be "
                     "reachable for the sidecar to record orders.")
    if not (wrote and read is not None and read.session_id == order.session_id and gone):
        return Check("Orders store", RED, f"{where}: the write-read-delete probe did not read "
                     "back what it wrote.", "Check that nothing else rewrites this store.")
    rest = "this Firestore project" if store.backend == "firestore" else "DATA_DIR"
    return Check("Orders store", GREEN, f"{where}; write, read and delete work. STORE="
                 f"{store.backend} keeps the baskets, sign-outs, webhook log and inbox and the "
                 f"cookie key in {rest} too.", "")


def check_credentials_file(path: str) -> Check:
    """The Firestore credentials file exists, parses as JSON and is a service-account key."""
    fix = ("Firebase console > Project settings > Service accounts > Generate new private key; "
           "save it as permissions.json and set FIREBASE_CREDENTIALS=permissions.json.")
    file = Path(path).expanduser()
    if not file.is_file():
        return Check("Firestore credentials", RED, f"{file} does not exist.", fix)
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Check("Firestore credentials", RED, f"{file} is not valid JSON ({exc}).", fix)
    if not isinstance(info, dict) or info.get("type") != "service_account":
        return Check("Firestore credentials", RED, f"{file} is not a service-account key "
                     '(it needs "type": "service_account").', fix)
    return Check("Firestore credentials", GREEN, f"{file}: service account "
                 f"{info.get('client_email', '?')} of project {info.get('project_id', '?')}.", "")


def check_credentials_ignored(path: str) -> Check:
    """The credentials file cannot be committed: git ignores it and does not track it."""
    file = Path(path).expanduser().resolve()
    name = "Credentials kept out of git"
    if not file.is_file():
        return Check(name, AMBER, f"{file} does not exist, so there is nothing to commit.", "")

    def git(*args: str) -> int:
        return subprocess.run(["git", "-C", str(file.parent), *args], capture_output=True,
                              timeout=TIMEOUT).returncode

    try:
        if git("rev-parse", "--is-inside-work-tree") != 0:
            return Check(name, GREEN, f"{file} is outside any git repository.", "")
        if git("ls-files", "--error-unmatch", file.name) == 0:
            return Check(name, RED, f"{file} is committed to git: anyone with the repository "
                         "can use your Firebase project.", "Delete the key in the Firebase "
                         f"console, `git rm --cached {file.name}`, add it to .gitignore and "
                         "generate a new key.")
        ignored = git("check-ignore", "-q", file.name) == 0
    except (OSError, subprocess.SubprocessError) as exc:
        return Check(name, AMBER, f"could not ask git about {file}: {exc}", "")
    if not ignored:
        return Check(name, RED, f"{file} is not git-ignored: one `git add .` publishes your key.",
                     f"Add {file.name} to .gitignore.")
    return Check(name, GREEN, f"{file.name} is git-ignored.", "")
