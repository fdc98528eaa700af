"""ruff, with pyproject.toml's rules, finds nothing; `python run.py test` runs it first and stops
on a finding, so CI (which runs that command) enforces it."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import run
from devtools.suite import pytest_args
from lib.config.settings import ROOT


def test_the_tree_is_ruff_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_rule_set_is_deliberate():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        lint = tomllib.load(handle)["tool"]["ruff"]["lint"]
    # pyflakes, pycodestyle (errors and warnings), isort, bugbear, pyupgrade
    assert {"F", "E", "W", "I", "B", "UP"} <= set(lint["select"])
    assert "ignore" not in lint


class Recorder:
    """Stands in for subprocess.run in run.py: records each command, answers with set codes."""

    def __init__(self, ruff_code: int):
        self.ruff_code = ruff_code
        self.commands: list[list[str]] = []

    def __call__(self, command, **kwargs):
        self.commands.append(list(command))
        code = self.ruff_code if command[1:3] == ["-m", "ruff"] else 0
        return subprocess.CompletedProcess(command, code)


def test_a_ruff_finding_stops_the_test_command_before_pytest(monkeypatch, capsys):
    recorder = Recorder(ruff_code=1)
    monkeypatch.setattr(run.subprocess, "run", recorder)
    assert run.run_tests(["-q"]) == 1
    assert recorder.commands == [[sys.executable, "-m", "ruff", "check", "."]]
    assert "ruff found the problems above" in capsys.readouterr().err


def test_a_clean_lint_goes_on_to_pytest(monkeypatch):
    recorder = Recorder(ruff_code=0)
    monkeypatch.setattr(run.subprocess, "run", recorder)
    monkeypatch.setattr(run, "ensure_debian_packages", lambda: None)
    # This suite's own screenshots are evidence: the stand-in run must not clear them.
    monkeypatch.setattr(run.shutil, "rmtree", lambda *args, **kwargs: None)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")  # so no emulator is started
    assert run.run_tests(["-q", "tests/test_money.py"]) == 0
    assert recorder.commands[0][1:3] == ["-m", "ruff"]
    workers, _ = pytest_args(["-q", "tests/test_money.py"], os.cpu_count())
    assert recorder.commands[-1] == [sys.executable, "-m", "pytest", *workers]
    assert workers[-2:] == ["-q", "tests/test_money.py"]
