"""`python run.py` with STORE=firestore and nothing configured: a local emulator is
chosen and supervised, or the learner is told how to install one."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from devtools.local_firestore import (
    INSTALL,
    emulator_command,
    emulator_env,
    emulator_port,
    wants_local_emulator,
)
from harness.processes import ROOT, free_port
from tools.firestore_emulator import unavailable_reason


@pytest.mark.parametrize("values, wanted", [
    ({"STORE": "firestore"}, True),
    ({"STORE": "sqlite"}, False),
    ({"STORE": "firestore", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:9000"}, False),
    ({"ORDER_STORE": "firestore"}, True),  # STORE's old name
    ({"STORE": "", "ORDER_STORE": " Firestore "}, True),
    ({"ORDER_STORE": "sqlite"}, False),
    ({}, False),
    ({"ORDER_STORE": "firestore", "FIREBASE_CREDENTIALS": "permissions.json"}, False),
    ({"ORDER_STORE": "firestore", "GOOGLE_APPLICATION_CREDENTIALS": "key.json"}, False),
    ({"ORDER_STORE": "firestore", "FIREBASE_SERVICE_ACCOUNT": '{"type": "x"}'}, False),
    ({"ORDER_STORE": "firestore", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:9000"}, False),
])
def test_an_emulator_is_wanted_only_when_nothing_else_is_configured(values, wanted):
    assert wants_local_emulator(values) is wanted


def test_gclouds_emulator_comes_first():
    command = emulator_command(8080, lambda: "", lambda: "/sdk/bin/gcloud",
                               which=lambda name: f"/usr/bin/{name}")
    assert command == ["/sdk/bin/gcloud", "emulators", "firestore", "start",
                       "--host-port=127.0.0.1:8080", "--quiet"]


def test_the_firebase_cli_is_used_without_gcloud():
    command = emulator_command(8080, lambda: "gcloud is not installed", lambda: None,
                               which=lambda name: f"/usr/bin/{name}")
    assert command[:4] == ["/usr/bin/firebase", "emulators:start", "--only", "firestore"]
    assert command[-1].endswith("firebase.json")
    # firebase.json fixes the CLI's port, so another port cannot be served by it.
    assert emulator_command(9090, lambda: "no", lambda: None,
                            which=lambda name: f"/usr/bin/{name}") is None


def test_neither_installed_means_no_command():
    assert emulator_command(8080, lambda: "no gcloud", lambda: None, which=lambda name: None) is None
    assert "npm install -g firebase-tools" in INSTALL and "cloud-firestore-emulator" in INSTALL


def test_the_port_and_the_environment_handed_to_the_app_and_sidecar():
    assert emulator_port({}) == 8080
    assert emulator_port({"FIRESTORE_EMULATOR_PORT": "18801"}) == 18801
    assert emulator_port({"FIRESTORE_EMULATOR_PORT": "nope"}) == 8080
    assert emulator_env(18801) == {"FIRESTORE_EMULATOR_HOST": "127.0.0.1:18801",
                                   "GOOGLE_CLOUD_PROJECT": "demo-storefront"}


def _demo_env(tmp_path, **extra) -> dict:
    """A demo of its own: free ports, its own DATA_DIR, no keys, nothing Firestore set."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STRIPE_", "FIREBASE_", "FIRESTORE_", "GOOGLE_", "ORDER_STORE"))}
    env.update(DATA_DIR=str(tmp_path), STORE="firestore", APP_PORT=str(free_port()),
               WEBHOOK_PORT=str(free_port()), SANDBOX_PORT=str(free_port()), **extra)
    return env


@pytest.mark.firestore
def test_run_py_supervises_an_emulator_the_sidecar_uses(tmp_path):
    if unavailable_reason():
        pytest.skip(unavailable_reason())
    port = free_port()
    env = _demo_env(tmp_path, FIRESTORE_EMULATOR_PORT=str(port))
    log = open(tmp_path / "demo.log", "wb")
    demo = subprocess.Popen([sys.executable, str(ROOT / "run.py")], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    health, deadline = None, time.monotonic() + 120
    try:
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                reply = requests.get(f"http://127.0.0.1:{env['WEBHOOK_PORT']}/healthz", timeout=5)
                health = reply.json()
                if health.get("reachable"):
                    break
            except (requests.RequestException, ValueError):
                pass
            time.sleep(1)
    finally:
        os.killpg(demo.pid, signal.SIGINT)
        try:
            demo.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait(10)
        log.close()
    output = (tmp_path / "demo.log").read_text(errors="replace")
    assert health and health["store"] == "firestore" and health["reachable"], output[-3000:]
    assert f"starting a local emulator on 127.0.0.1:{port}" in output
    assert "firestore" in output and "stopped" in output
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)


@pytest.mark.processes  # runs run.py
def test_run_py_says_how_to_install_an_emulator_when_none_is_found(tmp_path):
    env = _demo_env(tmp_path, PATH=str(tmp_path / "empty-bin"), CLOUDSDK_ROOT_DIR="")
    result = subprocess.run([sys.executable, str(ROOT / "run.py")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no emulator is installed" in result.stderr and "firebase-tools" in result.stderr
