"""run.py's installer: uv when it can be had, pip when uv fails for any reason, said either way;
and uv told where pip's configuration fetches from."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools import venv_install
from devtools.venv_install import install, pip_settings, uv_index_arguments
from tools.requirements_files import installer, load_project

UV = "uv==0.13.10"


@dataclass
class Result:
    """What subprocess.run returns, as far as the installer reads it."""

    returncode: int
    stdout: str = ""


class ScriptedRunner:
    """Answers each command by the program and pip subcommand it runs, and records them all."""

    def __init__(self, codes: dict[str, int], config: str = "", missing: tuple = ()):
        self.codes, self.config, self.missing, self.calls = codes, config, missing, []

    def __call__(self, command, **kwargs):
        self.calls.append((command, kwargs))
        name = Path(command[0]).name
        if name in self.missing:
            raise FileNotFoundError(2, "No such file or directory", command[0])
        if name == "uv":
            return Result(self.codes.get("uv", 0))
        if command[1:4] == ["-m", "pip", "config"]:
            return Result(0, self.config)
        if "-r" in command:
            return Result(self.codes.get("pip -r", 0))
        return Result(self.codes.get("pip uv", 0))

    def programs(self) -> list[str]:
        """Each call as 'uv', 'pip uv' (installing uv), 'pip config' or 'pip -r'."""
        named = []
        for command, _ in self.calls:
            if Path(command[0]).name == "uv":
                named.append("uv")
            elif "config" in command:
                named.append("pip config")
            else:
                named.append("pip -r" if "-r" in command else "pip uv")
        return named


def _install(runner, tmp_path):
    said: list[str] = []
    done = install(tmp_path / "bin" / "python", tmp_path / "requirements.txt", UV, run=runner,
                   say=said.append)
    return done, said


def test_uv_installs_when_it_can_and_pip_does_not_install_the_requirements(tmp_path):
    runner = ScriptedRunner({})
    done, said = _install(runner, tmp_path)
    assert (done.tool, done.returncode, done.why_not_uv) == ("uv", 0, "")
    assert runner.programs() == ["pip uv", "pip config", "uv"]
    pip_uv, uv_call = runner.calls[0][0], runner.calls[2][0]
    assert UV in pip_uv
    assert uv_call[:3] == [str(tmp_path / "bin" / "uv"), "pip", "install"]
    assert uv_call[3:7] == ["--python", str(tmp_path / "bin" / "python"), "-r",
                            str(tmp_path / "requirements.txt")]
    assert said == [f"[run] installing requirements.txt with uv ({UV}) ..."]


def test_a_failing_uv_falls_back_to_pip_and_says_so(tmp_path):
    runner = ScriptedRunner({"uv": 2})
    done, said = _install(runner, tmp_path)
    assert (done.tool, done.returncode) == ("pip", 0)
    assert runner.programs() == ["pip uv", "pip config", "uv", "pip -r"]
    assert done.why_not_uv == "uv exited with 2"
    assert "uv did not install requirements.txt: uv exited with 2; installing with pip" in said[-1]


def test_no_uv_wheel_to_be_had_means_pip_without_trying_uv(tmp_path):
    runner = ScriptedRunner({"pip uv": 1})
    done, said = _install(runner, tmp_path)
    assert (done.tool, done.returncode) == ("pip", 0)
    assert runner.programs() == ["pip uv", "pip -r"]
    assert f"pip could not install {UV} (python exited with 1)" in said[-1]


def test_a_uv_that_cannot_start_falls_back_to_pip(tmp_path):
    runner = ScriptedRunner({}, missing=("uv",))
    done, _ = _install(runner, tmp_path)
    assert done.tool == "pip" and done.returncode == 0
    assert done.why_not_uv.startswith("uv could not start: No such file or directory")


def test_when_pip_fails_too_its_exit_code_is_returned(tmp_path):
    done, _ = _install(ScriptedRunner({"uv": 2, "pip -r": 7}), tmp_path)
    assert (done.tool, done.returncode) == ("pip", 7)


def test_the_uv_pin_comes_from_pyproject():
    assert installer(load_project()) == UV


def _script(path: Path, text: str) -> None:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.mark.skipif(os.name != "posix", reason="the stand-in programs are POSIX shell scripts")
def test_real_processes_a_uv_that_fails_leaves_the_install_to_pip(tmp_path):
    """Stand-in programs where a venv's would be: a python whose pip logs what it is asked,
    and a uv that fails as an unreachable index would make it."""
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    _script(bin_dir / "python", f'echo "python $*" >> {log}\n')
    _script(bin_dir / "uv", f'echo "uv $*" >> {log}\necho "error: index unreachable" >&2\nexit 2\n')
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("flask==3.1.3\n")
    said: list[str] = []
    done = install(bin_dir / "python", requirements, UV, say=said.append, run=subprocess.run)
    assert (done.tool, done.returncode) == ("pip", 0)
    lines = log.read_text().splitlines()
    assert lines[0].startswith(f"python -m pip install --quiet --disable-pip-version-check {UV}")
    assert lines[1] == "python -m pip config list"
    assert lines[2].startswith(f"uv pip install --python {bin_dir / 'python'} -r {requirements}")
    assert lines[3].startswith(f"python -m pip install --disable-pip-version-check "
                               f"--progress-bar on -r {requirements}")
    assert "installing with pip instead" in said[-1]


LISTING = """:env:.cert='/etc/ssl/certs/ca.crt'
:env:.default-timeout='180'
:env:.find-links='/opt/wheels'
global.cert='/ignored/by/the/env.crt'
global.constraint='/etc/xdg/pip/constraints.txt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.index-url='https://mirror.example/simple'
install.index-url='https://install-only.example/simple'
"""


def test_pip_settings_rank_the_environment_over_install_over_global():
    settings = pip_settings(LISTING)
    assert settings["cert"] == "/etc/ssl/certs/ca.crt"
    assert settings["index-url"] == "https://install-only.example/simple"
    assert settings["extra-index-url"] == "file:///opt/pypi/simple file:///opt/pypi-more/simple"


def test_uv_is_told_pips_indexes_links_constraints_and_certificate():
    options, environment = uv_index_arguments(pip_settings(LISTING))
    pairs = list(zip(options[::2], options[1::2], strict=True))
    assert ("--default-index", "https://install-only.example/simple") in pairs
    assert ("--index", "file:///opt/pypi/simple") in pairs
    assert ("--index", "file:///opt/pypi-more/simple") in pairs
    assert ("--find-links", "/opt/wheels") in pairs
    assert ("--constraint", "/etc/xdg/pip/constraints.txt") in pairs
    assert ("--index-strategy", "unsafe-best-match") in pairs  # pip's choice over all indexes
    assert environment == {"SSL_CERT_FILE": "/etc/ssl/certs/ca.crt", "UV_HTTP_TIMEOUT": "180"}


def test_with_no_pip_configuration_uv_keeps_its_defaults():
    assert uv_index_arguments(pip_settings("")) == ([], {})


def test_the_module_needs_only_the_standard_library():
    imported = [line.split()[1] for line in Path(venv_install.__file__).read_text().splitlines()
                if line.startswith(("import ", "from "))]
    assert all(name.split(".")[0] in sys.stdlib_module_names or name == "__future__"
               for name in imported), imported
