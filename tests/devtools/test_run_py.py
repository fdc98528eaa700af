"""run.py before the venv: the Python version message, the failed install's advice, and what
`run.py test` says it skips off Linux."""
import subprocess
from pathlib import Path

import pytest

import run

OLD_PYTHONS = [p for p in (Path("/root/.pyenv/versions/3.8.18/bin/python3"),
                           Path("/root/.pyenv/versions/3.10.13/bin/python3")) if p.exists()]


def test_python_older_than_3_11_is_told_what_to_install():
    message = run.python_too_old((3, 10, 12))
    assert "needs Python 3.11 or newer; this is Python 3.10.12" in message
    assert "python.org" in message and "py -3.11 run.py" in message
    assert run.python_too_old((3, 11, 0)) == "" and run.python_too_old((3, 13, 1)) == ""


@pytest.mark.skipif(not OLD_PYTHONS, reason="no Python older than 3.11 on this machine")
@pytest.mark.parametrize("python", OLD_PYTHONS, ids=lambda p: p.parts[-3])
def test_an_old_python_gets_the_message_before_anything_is_created(python, tmp_path):
    """A copy of run.py alone in an empty folder: the message, exit 2, and no .venv made."""
    (tmp_path / "run.py").write_bytes(Path(run.__file__).read_bytes())
    result = subprocess.run([str(python), "run.py"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "needs Python 3.11 or newer" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.py"]


def test_a_failed_install_says_what_to_try_and_that_a_rerun_resumes():
    advice = run.INSTALL_FAILED.format(requirements="requirements.txt", code=1,
                                       python="/x/.venv/bin/python")
    assert "HTTPS_PROXY" in advice and "PIP_INDEX_URL" in advice
    assert "again resumes" in advice and "delete the .venv folder" in advice


@pytest.mark.parametrize("system, chromium", [("Windows", False), ("Darwin", False),
                                              ("Linux", False)])
def test_off_linux_run_py_test_says_it_skips_the_browser_tests(system, chromium):
    note = run.skipped_here(system, chromium)
    assert f"on {system} the browser tests (tests/browser/) are skipped" in note
    assert "Everything else runs" in note


def test_on_linux_with_chromium_nothing_is_skipped():
    assert run.skipped_here("Linux", True) == ""
