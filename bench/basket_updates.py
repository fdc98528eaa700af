"""Basket changes on the Firestore emulator: the store's guarded write against a transaction.

The issue asked for basket updates in Firestore transactions. FirestoreBasketStore.update is a
compare-and-set instead (the read's update time as the write's precondition, retried), which
gives the same guarantee for one document. This measures why: the same read-modify-write done
as a transaction with the SDK's own retry (firestore.transactional, max_attempts attempts),
in three shapes of contention. Numbers are updates per second and the transaction's as a ratio
to the guarded write measured in the same run; "lost" counts changes that neither landed nor
raised, which must be 0 for both.
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import report

# (name, writer threads, updates per thread, whether all threads share one basket)
SHAPES = {"quick": [("8 shoppers, a basket each", 8, 5, False),
                    ("2 tabs, one basket", 2, 3, True)],
          "full": [("8 shoppers, a basket each", 8, 25, False),
                   ("2 tabs, one basket", 2, 10, True),
                   ("8 writers, one basket", 8, 2, True)]}
MAX_ATTEMPTS = 5  # the SDK's default for a transaction


def _bump(lines: dict) -> dict:
    """One change: count up."""
    return {**lines, "n": lines.get("n", 0) + 1}


def _transaction_update(connection, shopper: str) -> None:
    """The same change as FirestoreBasketStore.update, in one transaction with the SDK's retry."""
    from firebase_admin import firestore

    from lib.stores.firestore.baskets import COLLECTION
    from lib.stores.firestore.connection import key_document_id

    ref = connection.client.collection(COLLECTION).document(key_document_id(shopper, "basket"))

    @firestore.transactional
    def body(transaction):
        snapshot = ref.get(transaction=transaction)
        data = (snapshot.to_dict() or {}) if snapshot.exists else {}
        transaction.set(ref, {"lines": _bump(dict(data.get("lines") or {})),
                              "version": int(data.get("version") or 0) + 1,
                              "updated_at": firestore.SERVER_TIMESTAMP})

    body(connection.client.transaction(max_attempts=MAX_ATTEMPTS))


def _one(kind: str, emulator: str, threads: int, per_thread: int, shared: bool) -> dict:
    """Run threads x per_thread changes one way; time them and count what landed."""
    from lib.stores.firestore.baskets import FirestoreBasketStore
    from lib.stores.firestore.connection import FirestoreConnection

    project = f"demo-bench-baskets-{uuid.uuid4().hex[:8]}"
    # Two connections, as two app replicas; threads alternate between them.
    connections = [FirestoreConnection(project=project, emulator_host=emulator)
                   for _ in range(2)]
    stores = [FirestoreBasketStore(c) for c in connections]
    shoppers = ["guest:shared" if shared else f"guest:{i}" for i in range(threads)]
    failures: list[str] = []
    start = threading.Barrier(threads)

    def work(index: int) -> None:
        start.wait()
        for _ in range(per_thread):
            try:
                if kind == "guarded write":
                    stores[index % 2].update(shoppers[index], _bump)
                else:
                    _transaction_update(connections[index % 2], shoppers[index])
            except Exception as exc:  # noqa: BLE001 - counted, the bench reports them
                failures.append(type(exc).__name__)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - began
    stored = sum(stores[0].load(s).lines.get("n", 0) for s in sorted(set(shoppers)))
    for connection in connections:
        connection.close()
    attempted = threads * per_thread
    return {"seconds": seconds, "updates_per_s": stored / seconds, "stored": stored,
            "failed": len(failures), "lost": attempted - stored - len(failures)}


def run(quick: bool = False) -> dict:
    """Each shape both ways; returns the results (also printed and saved)."""
    from tools.firestore_emulator import start_emulator, unavailable_reason

    emulator_host, emulator = os.environ.get("FIRESTORE_EMULATOR_HOST", ""), None
    if not emulator_host:
        reason = unavailable_reason()
        if reason:
            print(f"basket updates: skipped, it needs the Firestore emulator: {reason}")
            return {"skipped": reason}
        work = Path(tempfile.mkdtemp(prefix="storefront-baskets-"))
        emulator = start_emulator(log_path=work / "firestore.log")
        emulator_host = emulator.host_port
    results, rows = {}, []
    try:
        for name, threads, per_thread, shared in SHAPES["quick" if quick else "full"]:
            print(f"basket updates: {name}, {threads} x {per_thread} ...", flush=True)
            guarded = _one("guarded write", emulator_host, threads, per_thread, shared)
            transaction = _one("transaction", emulator_host, threads, per_thread, shared)
            results[name] = {"guarded write": guarded, "transaction": transaction}
            ratio = transaction["updates_per_s"] / guarded["updates_per_s"] if guarded[
                "updates_per_s"] else 0.0
            for kind, numbers in (("guarded write", guarded), ("transaction", transaction)):
                rows.append([f"{name}: {kind}", threads * per_thread, numbers["seconds"],
                             numbers["updates_per_s"], numbers["failed"], numbers["lost"],
                             f"{ratio:.3f}x" if kind == "transaction" else "1 (reference)"])
    finally:
        if emulator is not None:
            emulator.stop()
    print(report.table(f"Basket changes on the Firestore emulator (transaction: SDK retry, "
                       f"{MAX_ATTEMPTS} attempts)",
                       ["shape: way", "changes", "seconds", "landed/s", "failed", "lost",
                        "vs guarded write"], rows))
    path = report.save("basket_updates", {"max_attempts": MAX_ATTEMPTS, "results": results})
    print(f"saved {path}")
    return results

