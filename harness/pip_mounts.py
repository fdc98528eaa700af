"""This machine's pip configuration for a container build, as read-only mounts: one pip.conf of
the settings pip uses here (its files and PIP_* variables merged) at /etc/pip.conf, and every
local file or folder those settings name (CA bundle, constraints, find-links, file:// indexes)
at the same path. Nothing of it is written into an image."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from devtools.venv_install import pip_settings

# Settings that name files or folders on this machine, each value a list split on whitespace.
PATH_SETTINGS = ("cert", "client-cert", "constraint", "find-links", "index-url",
                 "extra-index-url")


def machine_pip_settings() -> dict[str, str]:
    """What `pip config list` says pip uses here, with the CA bundle that requests would take
    from the environment when pip's own configuration names none."""
    listing = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                             capture_output=True, text=True, timeout=60).stdout
    settings = pip_settings(listing)
    bundle = os.environ.get("PIP_CERT") or os.environ.get("REQUESTS_CA_BUNDLE")
    if "cert" not in settings and bundle:
        settings["cert"] = bundle
    return settings


def local_path(value: str) -> Path | None:
    """The local file or folder a setting's value names, if it names one that exists; for a
    file:// index at .../simple, the folder above it, where such an index keeps its files."""
    if value.startswith("file://"):
        path = Path(unquote(urlsplit(value).path))
        path = path.parent if path.name == "simple" else path
    elif "://" in value:
        return None
    else:
        path = Path(value)
    return path if path.is_absolute() and path.exists() else None


def pip_conf_text(settings: dict[str, str]) -> str:
    """A pip.conf holding settings in its [global] section."""
    lines = ["[global]"] + [f"{key} = {value}" for key, value in sorted(settings.items())]
    return "\n".join(lines) + "\n"


def build_volumes(settings: dict[str, str], work: Path) -> list[str]:
    """`--volume` options for a build: the merged pip.conf (written to work) and each local path
    the settings name, all read-only."""
    conf = work / "pip.conf"
    conf.write_text(pip_conf_text(settings))
    paths = {local_path(value) for key in PATH_SETTINGS
             for value in settings.get(key, "").split()} - {None}
    options = ["--volume", f"{conf}:/etc/pip.conf:ro"]
    for path in sorted(paths):
        options += ["--volume", f"{path}:{path}:ro"]
    return options
