"""The sidecar-only install (pyproject's sidecar extra, requirements-sidecar.txt) holds what
`webhook_server` imports: in a venv with that group alone the sidecar is built, answers and
queues a signed delivery, and nothing of Streamlit's is there to lean on."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from lib.config.settings import ROOT
from tools import requirements_files

pytestmark = pytest.mark.processes  # builds a venv with the sidecar's group

VENV = ROOT / "test-artifacts" / "sidecar-venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# Streamlit and what comes only with it; none may be in the sidecar's group.
STREAMLIT_SIDE = ("streamlit", "pandas", "pyarrow", "numpy", "altair", "tornado", "pydeck",
                  "authlib", "babel")
PROBE = r"""
import json, os, sys
from harness.webhook_signing import checkout_event, signed
from webhook_server import create_app, shutdown
import lib.stores.firestore.connection, lib.stores.firestore.inbox, lib.stores.firestore.orders
import lib.stores.firestore.webhook_log, lib.stores.firestore.sign_outs

app = create_app(worker_threads=0)
client = app.test_client()
health = client.get("/healthz")
body, headers = signed(checkout_event("cs_test_sidecar_only"), os.environ["STRIPE_WEBHOOK_SECRET"])
good = client.post("/webhook", data=body, headers=headers)
bad = client.post("/webhook", data=body, headers={**headers, "Stripe-Signature": "t=1,v1=00"})
shutdown(app)
print(json.dumps({"health": health.status_code, "good": good.status_code,
                  "outcome": good.get_json()["outcome"], "bad": bad.status_code,
                  "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _pins(requirements: list[str]) -> dict[str, str]:
    """Lower-case distribution name (no extras) to its pinned version."""
    return {r.split("==")[0].split("[")[0].lower(): r.split("==")[1] for r in requirements}


def test_the_sidecar_group_is_pinned_at_the_runtime_versions_and_has_nothing_of_streamlits():
    project = requirements_files.load_project()
    sidecar = _pins(requirements_files.extra(project, "sidecar"))
    known = _pins(project["dependencies"] + requirements_files.extra(project, "prod"))
    assert {name: known.get(name) for name in sidecar} == sidecar
    assert not [name for name in sidecar if name in STREAMLIT_SIDE]
    assert {"flask", "stripe", "firebase-admin", "gunicorn"} <= sidecar.keys()


def _uv() -> str | None:
    """The uv that run.py put into .venv, or one on PATH."""
    beside = Path(sys.executable).with_name("uv.exe" if os.name == "nt" else "uv")
    return str(beside) if beside.exists() else shutil.which("uv")


@pytest.fixture(scope="session")
def sidecar_python() -> Path:
    """A venv made anew for this test session with requirements-sidecar.txt alone (uv's cache
    makes that seconds; pip when there is no uv)."""
    shutil.rmtree(VENV, ignore_errors=True)
    uv = _uv()
    venv.EnvBuilder(with_pip=uv is None).create(VENV)
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    requirements = str(ROOT / "requirements-sidecar.txt")
    command = ([uv, "pip", "install", "--quiet", "--python", str(python), "-r", requirements]
               if uv else [str(python), "-m", "pip", "install", "--quiet", "-r", requirements])
    subprocess.run(command, check=True, timeout=600)
    return python


def test_the_sidecar_runs_in_a_venv_with_only_its_group(sidecar_python, tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT),
           "DATA_DIR": str(tmp_path / "data"), "STRIPE_WEBHOOK_SECRET": "whsec_sidecar_only",
           "SYSTEMROOT": os.environ.get("SYSTEMROOT", "")}
    result = subprocess.run([str(sidecar_python), "-c", PROBE], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr  # a ModuleNotFoundError names the missing one
    seen = json.loads(result.stdout.splitlines()[-1])
    assert (seen["health"], seen["good"], seen["outcome"], seen["bad"]) == (
        200, 200, "queued", 400)
    assert {"flask", "stripe", "webhook_server"} <= set(seen["modules"])


def test_the_group_venv_really_lacks_streamlit(sidecar_python):
    """Otherwise the test above could pass on a package the group does not name."""
    found = subprocess.run([str(sidecar_python), "-c", "import importlib.util as u; "
                            f"print([m for m in {list(STREAMLIT_SIDE)!r} if u.find_spec(m)])"],
                           capture_output=True, text=True, timeout=60)
    assert found.stdout.strip() == "[]", found.stderr
