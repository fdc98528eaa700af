"""Write requirements.txt, requirements-dev.txt and requirements-sidecar.txt from pyproject.toml
(or, with --check, say whether they drifted). Standard library only, so it runs before any
virtual environment exists.

Streamlit Community Cloud installs requirements.txt, run.py one of the first two (with the
installer extra's uv) and the Dockerfile the sidecar's; pyproject.toml stays the one place a
dependency is named.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("# Written by `python tools/requirements_files.py` from pyproject.toml: "
          "edit that file, not this one.\n")
PURPOSE = {
    "requirements.txt": "# Runtime dependencies of the app, the webhook sidecar and the Stripe "
                        "sandbox (pinned).\n",
    "requirements-dev.txt": "# Test and benchmark tools, with the prod extra, on top of the "
                            "runtime dependencies (pinned).\n",
    "requirements-sidecar.txt": "# The webhook sidecar alone, for its container image: the "
                                "sidecar extra (pinned).\n",
}


def load_project(root: Path = ROOT) -> dict:
    """The [project] table of root/pyproject.toml."""
    with open(root / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def extra(project: dict, name: str) -> list[str]:
    """The requirements of one optional-dependency group, with this project's own extras that
    it names (`storefront[prod]`) replaced by their requirements."""
    own = re.compile(rf"^{re.escape(project['name'])}\[([\w,\s-]+)\]$")
    found: list[str] = []
    for requirement in project.get("optional-dependencies", {}).get(name, []):
        match = own.match(requirement.strip())
        if match:
            for inner in match.group(1).split(","):
                found += [r for r in extra(project, inner.strip()) if r not in found]
        elif requirement not in found:
            found.append(requirement)
    return found


def installer(project: dict) -> str:
    """The pinned installer (uv) that run.py puts into a new venv first."""
    (requirement,) = extra(project, "installer")
    return requirement


def render(project: dict) -> dict[str, str]:
    """The text each requirements file should hold, by file name."""
    runtime = "".join(f"{r}\n" for r in project["dependencies"])
    dev = "-r requirements.txt\n" + "".join(f"{r}\n" for r in extra(project, "dev"))
    sidecar = "".join(f"{r}\n" for r in extra(project, "sidecar"))
    return {"requirements.txt": HEADER + PURPOSE["requirements.txt"] + runtime,
            "requirements-dev.txt": HEADER + PURPOSE["requirements-dev.txt"] + dev,
            "requirements-sidecar.txt": HEADER + PURPOSE["requirements-sidecar.txt"] + sidecar}


def drifted(root: Path = ROOT) -> list[str]:
    """Names of the requirements files under root that differ from what pyproject.toml says."""
    wanted = render(load_project(root))
    return [name for name, text in wanted.items()
            if not (root / name).exists() or (root / name).read_text(encoding="utf-8") != text]


def main(argv: list[str], root: Path = ROOT) -> int:
    """Write the files (exit 0), or with --check report drift (exit 1 when any file drifted)."""
    if "--check" in argv:
        stale = drifted(root)
        for name in stale:
            print(f"{name} differs from pyproject.toml: run `python tools/requirements_files.py`",
                  file=sys.stderr)
        return 1 if stale else 0
    for name, text in render(load_project(root)).items():
        (root / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
