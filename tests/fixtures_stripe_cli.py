"""The official Stripe CLI for the tests that run it: installed once per test session from npm into
.tools/stripe-cli (the same folder `python run.py stripe` uses), and run against a sandbox.

Where Node.js or npm is missing these tests skip and say so; with CI=true and Node.js present, a failed
install fails them instead, so CI never passes by skipping.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devtools.stripe_cli import ensure_cli


def cli_env(config_dir: Path) -> dict[str, str]:
    """The CLI's environment in a test: its own config folder (never the user's), no telemetry."""
    return {**os.environ, "XDG_CONFIG_HOME": str(config_dir), "STRIPE_CLI_TELEMETRY_OPTOUT": "1"}


@pytest.fixture(scope="session")
def stripe_cli() -> Path:
    """The pinned CLI's binary (installed on first use)."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("the Stripe CLI comes from npm, and Node.js/npm are not installed here")
    cli = ensure_cli(say=lambda *_: None)
    if cli is None:
        message = "installing @stripe/cli from npm into .tools/stripe-cli failed (npm's output says why)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (this is CI, where Node.js is present)")
        pytest.skip(message)
    return cli


@dataclass
class CliRunner:
    """Runs the CLI against one sandbox: its key and --api-base added to every command."""

    binary: Path
    api_key: str
    api_base: str
    config_dir: Path
    started: list[Background] = field(default_factory=list)

    def flags(self) -> list[str]:
        """The flags that point the CLI at the sandbox."""
        return ["--api-key", self.api_key, "--api-base", self.api_base]

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """Run one command to its end; its output as text."""
        return subprocess.run([str(self.binary), *args, *self.flags()], capture_output=True, text=True,
                              timeout=timeout, env=cli_env(self.config_dir))

    def start(self, log_path: Path, *args: str) -> Background:
        """Start a long-running command (listen, logs tail) in its own process group."""
        log = open(log_path, "wb")  # noqa: SIM115 - the child owns it for its lifetime
        proc = subprocess.Popen([str(self.binary), *args, *self.flags()], stdout=log, stderr=subprocess.STDOUT,
                                env=cli_env(self.config_dir), start_new_session=True)
        self.started.append(Background(proc, log_path))
        return self.started[-1]


@dataclass
class Background:
    """A CLI command left running; its output goes to a file."""

    proc: subprocess.Popen
    log_path: Path

    def output(self) -> str:
        """What it printed so far."""
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        """Wait until the output matches pattern; fail with the output when it does not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in the CLI's output:\n{self.output()}")

    def stop(self) -> None:
        """Ctrl-C, as a learner stops it (by its process group), then wait for it."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


@pytest.fixture
def cli_for(stripe_cli, tmp_path):
    """Factory: cli_for(sandbox_handle) -> CliRunner; anything it starts is stopped after the test."""
    runners: list[CliRunner] = []

    def _make(handle) -> CliRunner:
        runners.append(CliRunner(stripe_cli, handle.api_key, handle.url, tmp_path / "stripe-config"))
        return runners[-1]

    yield _make
    for runner in runners:
        for background in runner.started:
            background.stop()
