"""Firestore for learners: when the store is Firestore and none is configured, the demo runs a
local emulator (gcloud's, or the Firebase CLI's) as one more supervised process."""
from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMULATOR_PORT = 8080  # the port firebase.json gives the Firebase CLI's emulator
PROJECT = "demo-storefront"  # a demo- project: the emulators never reach Google with it
CONFIGURED = ("FIREBASE_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS",
              "FIREBASE_SERVICE_ACCOUNT", "FIRESTORE_EMULATOR_HOST")
INSTALL = ("STORE is firestore, but no Firestore is configured and no emulator is "
           "installed. Either install one: Google's (`gcloud components install "
           "cloud-firestore-emulator`, or on Debian/Ubuntu `apt-get install "
           "google-cloud-cli-firestore-emulator default-jre-headless`) or the Firebase CLI's "
           "(`npm install -g firebase-tools`, with Java), and run `python run.py` again; or set "
           "FIREBASE_CREDENTIALS to a service-account key; or use STORE=sqlite.")


def wants_local_emulator(values: Mapping[str, str]) -> bool:
    """True when the store is Firestore and neither credentials nor an emulator are given."""
    # STORE, or its old name ORDER_STORE (the settings loader refuses the two disagreeing).
    store = (values.get("STORE") or values.get("ORDER_STORE") or "").strip().lower()
    return store == "firestore" and not any((values.get(name) or "").strip()
                                            for name in CONFIGURED)


def emulator_port(values: Mapping[str, str]) -> int:
    """FIRESTORE_EMULATOR_PORT, or 8080 (the Firebase CLI always uses firebase.json's 8080)."""
    raw = (values.get("FIRESTORE_EMULATOR_PORT") or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 65536 else EMULATOR_PORT


def emulator_command(port: int, gcloud_problem: Callable[[], str],
                     find_gcloud: Callable[[], str | None],
                     which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that serves a Firestore emulator on 127.0.0.1:port, or None.

    gcloud's emulator first (the one the tests use), then the Firebase CLI's, which reads
    the host, port (8080) and rules from firebase.json.
    """
    if not gcloud_problem():
        return [find_gcloud(), "emulators", "firestore", "start",
                f"--host-port=127.0.0.1:{port}", "--quiet"]
    firebase = which("firebase")
    if firebase and which("java") and port == EMULATOR_PORT:
        return [firebase, "emulators:start", "--only", "firestore", "--project", PROJECT,
                "--config", str(ROOT / "firebase.json")]
    return None


def emulator_env(port: int) -> dict[str, str]:
    """What points the app and the sidecar at the local emulator."""
    return {"FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{port}",
            "GOOGLE_CLOUD_PROJECT": PROJECT}
