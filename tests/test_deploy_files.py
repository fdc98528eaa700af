"""The deployment files: Firestore rules that refuse every client, indexes for the app's
queries, firebase.json for the Firebase CLI, and a Dockerfile whose files are enough to run
the sidecar (tests/test_container_image.py builds and runs the image itself)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from harness.processes import ROOT
from tests.fixtures_firestore import unique_project


def _emulator_request(url: str, method: str, body: dict | None, owner: bool) -> int:
    """The HTTP status the emulator answers; owner=True is the admin SDK's privilege."""
    headers = {"Content-Type": "application/json"}
    if owner:
        headers["Authorization"] = "Bearer owner"
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method,
                                                           headers=headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.firestore
def test_the_rules_refuse_every_client_but_not_the_server_sdk(firestore_emulator):
    project = unique_project()
    base = f"http://{firestore_emulator}"
    rules = (ROOT / "firestore.rules").read_text()
    assert _emulator_request(f"{base}/emulator/v1/projects/{project}:securityRules", "PUT",
                             {"rules": {"files": [{"name": "firestore.rules",
                                                   "content": rules}]}}, owner=True) == 200
    doc = f"{base}/v1/projects/{project}/databases/(default)/documents/users/a@example.com/orders/cs_1"
    fields = {"fields": {"amount": {"integerValue": "100"}}}
    assert _emulator_request(doc, "PATCH", fields, owner=False) == 403
    assert _emulator_request(doc, "PATCH", fields, owner=True) == 200
    assert _emulator_request(doc, "GET", None, owner=False) == 403
    assert _emulator_request(doc, "GET", None, owner=True) == 200
    other = f"{base}/v1/projects/{project}/databases/(default)/documents/baskets/guest-1"
    assert _emulator_request(other, "GET", None, owner=False) == 403
    # The cookie-signing key is a document too: no client may ever read it.
    key = f"{base}/v1/projects/{project}/databases/(default)/documents/app_secrets/app_secret"
    assert _emulator_request(key, "PATCH", {"fields": {"value": {"stringValue": "k"}}},
                             owner=True) == 200
    assert _emulator_request(key, "GET", None, owner=False) == 403


def test_the_indexes_cover_the_collection_group_queries():
    indexes = json.loads((ROOT / "firestore.indexes.json").read_text())
    scopes = {(o["collectionGroup"], o["fieldPath"], i["queryScope"], i["order"])
              for o in indexes["fieldOverrides"] for i in o["indexes"]}
    # The data explorer: newest orders across users/*/orders, and one session id among them.
    assert ("orders", "timestamp", "COLLECTION_GROUP", "DESCENDING") in scopes
    assert ("orders", "session_id", "COLLECTION_GROUP", "ASCENDING") in scopes
    # An override replaces the automatic indexes: the shopper's own list must keep its own.
    assert ("orders", "timestamp", "COLLECTION", "DESCENDING") in scopes
    # The inspector's refusal counts: latest minute first, then latest refusal (two fields).
    composite = {(i["collectionGroup"], i["queryScope"],
                  tuple((f["fieldPath"], f["order"]) for f in i["fields"]))
                 for i in indexes["indexes"]}
    assert ("webhook_rejections", "COLLECTION",
            (("minute", "DESCENDING"), ("last_at", "DESCENDING"))) in composite
    # The timeline's lines of one session, first recorded first (equality, then order).
    assert ("webhook_log", "COLLECTION",
            (("session_id", "ASCENDING"), ("recorded_at", "ASCENDING"))) in composite


def test_the_inbox_claim_query_keeps_its_automatic_index_and_bodies_are_not_indexed():
    indexes = json.loads((ROOT / "firestore.indexes.json").read_text())
    inbox = {o["fieldPath"]: o["indexes"] for o in indexes["fieldOverrides"]
             if o["collectionGroup"] == "webhook_inbox"}
    # Claims query due_at <= now ordered by due_at, the inspector orders by received_at: both
    # single-field, so no composite index; an override on either would remove what they use.
    assert "due_at" not in inbox and "received_at" not in inbox
    assert inbox["payload"] == []  # raw bodies are never queried: no index entries to write
    assert not [i for i in indexes["indexes"] if i["collectionGroup"] == "webhook_inbox"]


def test_firebase_json_names_the_rules_and_indexes_files():
    config = json.loads((ROOT / "firebase.json").read_text())
    assert (ROOT / config["firestore"]["rules"]).is_file()
    assert (ROOT / config["firestore"]["indexes"]).is_file()
    assert config["emulators"]["firestore"]["port"] == 8080


@pytest.mark.processes  # serves the sidecar from a copy
def test_the_dockerfiles_files_are_enough_to_serve_the_sidecar(tmp_path):
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ")]
    assert "webhook_server/" in copied and "lib/" in copied
    for path in copied:
        source = ROOT / path
        if source.is_dir():
            shutil.copytree(source, tmp_path / path,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / path)
    probe = ("from webhook_server import create_app\n"
             "reply = create_app().test_client().get('/healthz')\n"
             "print(reply.status_code, reply.get_json()['store'], reply.get_json()['stripe_mode'])")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "ORDER_STORE"))}
    env.update(PYTHONPATH=str(tmp_path), DATA_DIR=str(tmp_path / "data"),
               STRIPE_WEBHOOK_SECRET="whsec_docker")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "sqlite", "sandbox"]
    assert "CMD" in dockerfile and "webhook_server:create_app()" in dockerfile
    assert "/healthz" in dockerfile.split("HEALTHCHECK", 1)[1]
