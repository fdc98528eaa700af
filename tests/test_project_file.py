"""pyproject.toml is the project file: the requirements files are written from it and cannot
drift, every dependency is pinned, and pytest reads its settings from it."""
from __future__ import annotations

import re
import shutil

import pytest

from lib.config.settings import ROOT
from tools import requirements_files

PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[a-z0-9,-]+\])?==[0-9][0-9A-Za-z.+-]*$")


@pytest.fixture(scope="module")
def project():
    """The [project] table of pyproject.toml."""
    return requirements_files.load_project()


def test_requirements_files_are_what_pyproject_says():
    assert requirements_files.drifted() == [], (
        "run `python tools/requirements_files.py` after editing pyproject.toml")


def test_a_hand_edit_of_a_requirements_file_is_reported_as_drift(tmp_path, capsys):
    for name in ("pyproject.toml", *requirements_files.PURPOSE):
        shutil.copy(ROOT / name, tmp_path / name)
    assert requirements_files.main(["--check"], tmp_path) == 0
    with open(tmp_path / "requirements.txt", "a", encoding="utf-8") as handle:
        handle.write("Authlib==1.9.6\n")
    assert requirements_files.main(["--check"], tmp_path) == 1
    assert "requirements.txt differs from pyproject.toml" in capsys.readouterr().err
    assert requirements_files.main([], tmp_path) == 0  # writing them again mends it
    assert requirements_files.drifted(tmp_path) == []


def test_every_dependency_is_pinned_exactly(project):
    everything = project["dependencies"] + requirements_files.extra(project, "dev")
    every_extra = [r for name in project["optional-dependencies"]
                   for r in requirements_files.extra(project, name)]
    loose = [r for r in everything + every_extra if not PINNED.match(r)]
    assert loose == []
    assert len({re.split(r"[\[=]", r)[0].lower() for r in everything}) == len(everything)


def test_sign_in_comes_from_streamlits_auth_extra_not_a_bare_authlib_pin(project):
    assert "streamlit[auth]==1.67.0" in project["dependencies"]
    assert not [r for r in project["dependencies"] if r.lower().startswith("authlib")]


def test_gunicorn_is_the_prod_extra_and_the_benchmarks_get_it_through_dev(project):
    assert project["optional-dependencies"]["prod"] == ["gunicorn==27.0.1"]
    assert not [r for r in project["dependencies"] if r.startswith("gunicorn")]
    assert "gunicorn==27.0.1" in requirements_files.extra(project, "dev")
    assert "gunicorn==27.0.1" in (ROOT / "requirements-dev.txt").read_text().splitlines()


def test_the_project_file_says_what_python_it_needs(project):
    assert project["name"] == "storefront" and project["version"]
    assert project["requires-python"] == ">=3.11"


def test_pytest_reads_its_settings_from_pyproject(pytestconfig):
    assert pytestconfig.inipath == ROOT / "pyproject.toml"
    assert not (ROOT / "pytest.ini").exists()
    assert pytestconfig.getini("timeout") == "300"
