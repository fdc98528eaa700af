"""Fixtures for the whole purchase loop: sandbox and webhook sidecar processes wired together."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from harness.nginx import nginx_missing
from harness.processes import Server, free_port, python_module, start
from lib.config.settings import Settings, build_settings
from tests.fixtures_sandbox import SandboxHandle, launch_sandbox


class LoggedClient(FlaskClient):
    """Flask's test client, returning only once the request's webhook log line is written."""

    def open(self, *args, **kwargs):
        """The request, then webhook_server.flush_log."""
        from webhook_server import flush_log

        response = super().open(*args, **kwargs)
        assert flush_log(self.application), "the webhook log line was not written in time"
        return response


@dataclass
class Stack:
    """A sandbox and a sidecar delivering to each other, and the settings the app would use."""

    sandbox: SandboxHandle
    sidecar: Server
    settings: Settings
    env: dict

    def restart_sidecar(self, log_dir: Path) -> None:
        """Start the sidecar again on the same port (after a kill)."""
        self.sidecar = start_sidecar(log_dir, self.env, self.sidecar.port)


def start_sidecar(log_dir: Path, env: dict, port: int | None = None) -> Server:
    """Start `python -m webhook_server` with env on port (a free one by default)."""
    port = port or free_port()
    return start(f"webhook_server_{port}", python_module("webhook_server"),
                 {**env, "WEBHOOK_PORT": str(port)}, log_dir, "/healthz", port)


def launch_stack(log_dir: Path, data_dir: Path, store_env: dict | None = None,
                 **sandbox_env) -> Stack:
    """Start a sandbox that delivers to a sidecar on a fresh port, then that sidecar."""
    hook_port = free_port()
    sandbox = launch_sandbox(log_dir, data_dir / "sandbox",
                             SANDBOX_WEBHOOK_URL=f"http://127.0.0.1:{hook_port}/webhook",
                             **sandbox_env)
    env = {"DATA_DIR": str(data_dir), "STRIPE_API_BASE": sandbox.url,
           "STRIPE_WEBHOOK_SECRET": sandbox.webhook_secret, "STRIPE_SECRET_KEY": "",
           "SANDBOX_API_KEY": sandbox.api_key,
           "APP_URL": "http://127.0.0.1:8501", **(store_env or {})}
    try:
        sidecar = start_sidecar(log_dir, env, hook_port)
    except Exception:
        sandbox.stop()
        raise
    return Stack(sandbox, sidecar, build_settings(env), env)


@pytest.fixture
def stack_factory(tmp_path):
    """Factory: stack_factory(store_env=None, **sandbox_env) -> Stack; stopped after the test."""
    stacks: list[Stack] = []

    def _launch(store_env: dict | None = None, **sandbox_env) -> Stack:
        stack = launch_stack(tmp_path, tmp_path / f"data{len(stacks)}", store_env, **sandbox_env)
        stacks.append(stack)
        return stack

    yield _launch
    for stack in stacks:
        stack.sidecar.stop()
        stack.sandbox.stop()


@pytest.fixture(scope="session")
def nginx_here() -> None:
    """Skip a test that needs Debian's nginx where it is missing; fail in CI, where
    `python run.py test` installs it."""
    missing = nginx_missing()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"{missing} (this is CI)")
    if missing:
        pytest.skip(missing)


@pytest.fixture
def sidecar_app():
    """create_app(...) for in-process tests; every app built is shut down (its inbox worker
    threads stopped) when the test ends. Its test client waits after each request until the
    delivery's log line is written, so a test reads the log as it stands after the answer."""
    from webhook_server import create_app, shutdown

    built = []

    def build(*args, **kwargs):
        app = create_app(*args, **kwargs)
        app.test_client_class = LoggedClient
        built.append(app)
        return app

    yield build
    for app in built:
        shutdown(app)
