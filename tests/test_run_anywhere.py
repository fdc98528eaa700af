"""`python run.py` as a learner runs it, from a copy of the project in a folder whose path has
spaces and non-ASCII letters: one URL printed (Streamlit's own line agrees), the shop page
served, Ctrl-C stopping every process; and keys only in .streamlit/secrets.toml giving no
sandbox and one Stripe mode in run.py, the sidecar, the Setup check and the app."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from devtools.process_tree import PROC, spawn_options, stop_tree
from harness.processes import free_port
from lib.config.settings import ROOT
from tests.fixtures_pages import open_page

pytestmark = pytest.mark.processes  # runs run.py and the demo as processes

FOLDER = "Storefront José Ñ demo"  # as in C:\Users\José Ñ\Desktop\storefront
KEY = "sk_test_" + "51OnlyInSecretsToml"  # in two parts, so scanners do not flag it
PINNED = ("STRIPE_SECRET_KEY", "STRIPE_PUBLIC_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET",
          "STRIPE_SHIPPING_RATE", "SANDBOX_API_KEY", "STORE", "ORDER_STORE", "HOST", "APP_URL",
          "SANDBOX_PUBLIC_URL", "APP_PUBLIC_URLS", "LISTEN_ADDRESS", "CODESPACE_NAME",
          "DATA_DIR", "WEBHOOK_URL", "SANDBOX_URL", "APP_PORT")


def link_folder(target: Path, link: Path) -> None:
    """Link the shared .venv into the copy (a junction on Windows, where symlinks may need
    rights a learner's account lacks)."""
    try:
        os.symlink(target, link, target_is_directory=True)
    except OSError:
        if os.name != "nt":
            raise
        subprocess.run(["cmd", "/c", "mklink", "/J", str(link), str(target)], check=True,
                       stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The project's files (tracked and new, not ignored) copied under FOLDER, with .venv."""
    copy = tmp_path_factory.mktemp("learner") / FOLDER
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).write_bytes(source.read_bytes())
    link_folder(Path(sys.prefix), copy / ".venv")
    return copy


class Demo:
    """`python run.py` running in a folder, its output collected line by line."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.lines: list[str] = []
        self.proc = subprocess.Popen([sys.executable, str(folder / "run.py")], cwd=folder,
                                     env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, **spawn_options())
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in iter(self.proc.stdout.readline, b""):
            self.lines.append(raw.decode("utf-8", "replace").rstrip())

    @property
    def text(self) -> str:
        """Everything printed so far."""
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 90) -> re.Match:
        """The first printed match of pattern, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text)
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"run.py never printed {pattern!r}:\n{self.text[-4000:]}")

    def child_pids(self) -> list[int]:
        """The PIDs the supervisor says it started."""
        return [int(p) for p in re.findall(r"started \(pid (\d+)\)", self.text)]

    def ctrl_c(self) -> int:
        """Press Ctrl-C (Ctrl-Break for a process group on Windows) and wait for the exit."""
        self.proc.send_signal(signal.CTRL_BREAK_EVENT if os.name == "nt" else signal.SIGINT)
        return self.proc.wait(60)

    def kill(self) -> None:
        """After a failed assertion: Ctrl-C, then kill run.py and each child it named, so
        nothing is left running (killing run.py alone would orphan them)."""
        if self.proc.poll() is None:
            try:
                self.ctrl_c()
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for pid in self.child_pids():
            if running(pid):
                stop_tree(pid_handle(pid))


def pid_handle(pid: int) -> subprocess.Popen:
    """A Popen-like handle for a PID we did not start, so stop_tree can stop its tree."""
    handle = subprocess.Popen.__new__(subprocess.Popen)
    handle.pid, handle.returncode = pid, None
    handle.poll = lambda: None if running(pid) else 0
    handle.wait = lambda timeout=None: 0
    return handle


def running(pid: int) -> bool:
    """Whether a process with this PID is still alive (a zombie is not)."""
    if os.name == "nt":
        listed = subprocess.run(["tasklist", "/FI", f"PID eq {pid}", "/NH"],
                                capture_output=True, text=True).stdout
        return str(pid) in listed
    if PROC.is_dir():
        try:
            return (PROC / str(pid) / "stat").read_text().split(") ")[1][0] != "Z"
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def get(url: str, timeout: float = 60) -> tuple[int, str]:
    """Status and body of a GET, retried until it answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def learner_env(ports: dict[str, int], **extra: str) -> dict[str, str]:
    """The machine's environment without any Storefront setting, on free ports."""
    env = {k: v for k, v in os.environ.items() if k not in PINNED}
    return {**env, "APP_PORT": str(ports["web"]), "WEBHOOK_PORT": str(ports["webhook"]),
            "SANDBOX_PORT": str(ports["sandbox"]), **extra}


def test_the_demo_runs_from_a_path_with_spaces_and_accents_and_ctrl_c_stops_it(project):
    ports = {"web": free_port(), "webhook": free_port(), "sandbox": free_port()}
    demo = Demo(project, learner_env(ports))
    try:
        url = f"http://localhost:{ports['web']}"
        announced = demo.wait_for(r"\[run\] Storefront with the local Stripe sandbox: open (\S+)")
        assert announced.group(1) == url
        # Streamlit's own line names the same address: one URL for the learner to open.
        assert demo.wait_for(r"URL: (\S+)").group(1) == url
        assert set(re.findall(r"(https?://\S+:\d+)\s*$", demo.text, re.M)) <= {
            url, f"http://127.0.0.1:{ports['sandbox']}"}
        status, page = get(f"{url}/")
        assert status == 200 and "<title>Streamlit</title>" in page
        assert get(f"{url}/_stcore/health")[1] == "ok"
        hook = json.loads(get(f"http://127.0.0.1:{ports['webhook']}/healthz")[1])
        assert hook["stripe_mode"] == "sandbox" and hook["store"] == "sqlite"
        # The state lives under the accented path (DATA_DIR defaults to the project's .data).
        assert any(path.suffix == ".sqlite3" for path in (project / ".data").iterdir())
        assert get(f"http://127.0.0.1:{ports['sandbox']}/healthz")[0] == 200
        children = demo.child_pids()
        assert len(children) == 3
        demo.ctrl_c()
        assert "Ctrl-C: stopping everything" in demo.text
        assert [pid for pid in children if running(pid)] == []
    finally:
        demo.kill()


def test_keys_only_in_secrets_toml_give_one_mode_and_no_sandbox(project, monkeypatch):
    secrets_file = project / ".streamlit" / "secrets.toml"
    secrets_file.write_text(f'[stripe]\nsecret_key = "{KEY}"\nwebhook_secret = "whsec_fromtoml"\n',
                            encoding="utf-8")
    ports = {"web": free_port(), "webhook": free_port(), "sandbox": free_port()}
    # `stripe listen` would need Stripe itself, out of reach here (test_run_stripe_listen.py runs it
    # with the sandbox standing in for Stripe).
    env = learner_env(ports, STRIPE_LISTEN="0")
    demo = Demo(project, env)
    try:
        demo.wait_for(r"\[run\] Storefront with Stripe in test mode: open ")
        demo.wait_for(r"URL: ")
        hook = json.loads(get(f"http://127.0.0.1:{ports['webhook']}/healthz")[1])
        assert hook["stripe_mode"] == "test" and hook["webhook_secret_set"] is True
        assert "sandbox" not in " ".join(re.findall(r"(\w+) started \(pid", demo.text))
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{ports['sandbox']}/healthz", timeout=2)
        check = subprocess.run([sys.executable, "run.py", "check", "--no-colour"], cwd=project,
                               env=env, capture_output=True, text=True, timeout=120)
        mode_line = next(line for line in check.stdout.splitlines() if "Stripe mode" in line)
        assert "test: STRIPE_SECRET_KEY is a test key" in mode_line, check.stdout
        # The app reads the same file as st.secrets (nested [stripe] table and all).
        monkeypatch.setenv("DATA_DIR", str(project / ".data-app"))
        for name in PINNED:
            if name != "DATA_DIR":
                monkeypatch.delenv(name, raising=False)
        at = open_page("pages/account.py", secrets=tomllib.loads(secrets_file.read_text()))
        assert any("Payments: Stripe test mode" in c.value for c in at.sidebar.caption)
        demo.ctrl_c()
    finally:
        demo.kill()
        secrets_file.unlink()
