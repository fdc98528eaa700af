"""Start real server processes on free loopback ports (for tests and benchmarks), and stop them
by PID."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness.ports import free_port
from harness.waiting import wait_http

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Server:
    """A running child process with its base URL and the file its output goes to."""

    name: str
    proc: subprocess.Popen
    url: str
    log_path: Path
    port: int = 0
    env: dict = field(default_factory=dict)

    def log(self) -> str:
        """Return what the process has printed so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
        """Stop the process group by PID; kill it if it does not go in time."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def kill(self) -> None:
        """Kill the process group at once, as a crash would."""
        self.stop(signal.SIGKILL)


def start(name: str, args: list[str], env: dict, log_dir: Path, health_path: str = "/",
          port: int | None = None, timeout: float = 60) -> Server:
    """Start args as a child in its own process group and wait until health_path answers."""
    port = port or free_port()
    full_env = {**os.environ, **{k: str(v) for k, v in env.items()}}
    log_path = Path(log_dir) / f"{name}.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 - the child owns it for its lifetime
    proc = subprocess.Popen(
        args, cwd=ROOT, env=full_env, stdout=log_file, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    server = Server(name, proc, url, log_path, port, env)
    try:
        wait_http(url + health_path, proc, timeout)
    except Exception as exc:
        server.stop()
        raise RuntimeError(f"{name} did not start: {exc}\n{server.log()}") from exc
    return server


def python_module(module: str, *extra: str) -> list[str]:
    """Command line running a module with this interpreter."""
    return [sys.executable, "-m", module, *extra]
