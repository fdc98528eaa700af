"""`python run.py check`: the text it prints and its exit code."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from lib.config.settings import ROOT
from lib.setup_check import Check
from lib.setup_check.report import exit_code, format_check, format_report, main
from tests.environments import environment


def run_check(argv=None) -> tuple[int, str]:
    """main()'s exit code and output."""
    out = io.StringIO()
    return main(argv or [], out), out.getvalue()


def test_format_check_marks_and_fix():
    text = format_check(Check("Webhook sidecar", "red", "nothing answers.", "Start it."))
    assert text.splitlines() == ["[XX] Webhook sidecar: nothing answers.", "     fix: Start it."]
    assert format_check(Check("Sign-in", "green", "demo.")) == "[ok] Sign-in: demo."
    assert "\033[31m[XX]\033[0m" in format_check(Check("A", "red", "b", "c"), colour=True)
    report = format_report([Check("A", "green", "b"), Check("C", "amber", "d", "e")])
    assert report.endswith("1 green, 1 amber, 0 red")
    assert exit_code([Check("A", "amber", "b")]) == 0
    assert exit_code([Check("A", "amber", "b"), Check("C", "red", "d")]) == 1


def test_stopped_services_exit_1_naming_each_fix(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path)
    code, text = run_check()
    assert code == 1
    assert "[XX] Webhook sidecar: nothing answers" in text
    assert "python -m webhook_server" in text and "python -m stripe_sandbox" in text
    assert "[ok] Orders store: sqlite" in text
    assert "\033[" not in text  # not a terminal, so no colour


def test_swapped_key_exits_1_with_the_fix(monkeypatch, tmp_path):
    environment(monkeypatch, tmp_path, STRIPE_SECRET_KEY="pk_test_abc")
    code, text = run_check()
    assert code == 1
    assert "[XX] STRIPE_SECRET_KEY: holds a publishable key" in text
    assert "Swap them" in text and "[!!] Other checks" in text


def test_a_working_stack_exits_0(monkeypatch, tmp_path, stack_factory):
    stack = stack_factory()
    environment(monkeypatch, tmp_path, **stack.env, WEBHOOK_URL=stack.sidecar.url)
    code, text = run_check()
    assert code == 0, text
    assert "[ok] Stripe key works" in text and "[ok] Webhook sidecar" in text
    assert "[!!] APP_URL: nothing answers" in text  # no Streamlit here: a note, not a failure


@pytest.mark.processes  # the check as a process
def test_main_as_a_process_exits_1_without_loading_streamlit(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "STRIPE_SECRET_KEY": "pk_test_x",
           "HOME": str(tmp_path)}
    code = ("import sys; from lib.setup_check.report import main; rc = main(sys.argv[1:]); "
            "sys.exit(rc if 'streamlit' not in sys.modules else 99)")
    done = subprocess.run([sys.executable, "-c", code, "--no-colour"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "STRIPE_SECRET_KEY" in done.stdout
