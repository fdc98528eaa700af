"""Install a requirements file into a virtual environment: with uv when it can be had, with pip
when uv cannot do it. Standard library only: run.py uses it before the venv holds anything."""
from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# pip's settings that say where packages come from, and the uv option that says the same.
INDEX_OPTIONS = {"index-url": "--default-index", "extra-index-url": "--index",
                 "find-links": "--find-links", "constraint": "--constraint",
                 "trusted-host": "--allow-insecure-host"}
# pip's settings that uv reads from the environment instead.
INDEX_ENVIRONMENT = {"cert": "SSL_CERT_FILE", "timeout": "UV_HTTP_TIMEOUT",
                     "default-timeout": "UV_HTTP_TIMEOUT", "proxy": "HTTPS_PROXY"}


@dataclass(frozen=True)
class Installed:
    """How an install went: the tool that did it (or tried last), its exit code, the seconds
    taken, and why uv was not the one (empty when it was)."""

    tool: str
    returncode: int
    seconds: float
    why_not_uv: str = ""


def pip_settings(listing: str) -> dict[str, str]:
    """The effective value of each setting in `pip config list` output, as pip ranks them: an
    environment variable (`:env:.`) over the install command's section over [global]."""
    ranked: dict[str, tuple[int, str]] = {}
    for line in listing.splitlines():
        name, _, value = line.partition("=")
        section, _, key = name.strip().rpartition(".")
        rank = {":env:": 3, "install": 2, "global": 1}.get(section)
        if rank is None or not key:
            continue
        if rank >= ranked.get(key, (0, ""))[0]:
            ranked[key] = (rank, value.strip().strip("'\""))
    return {key: value for key, (_, value) in ranked.items()}


def uv_index_arguments(settings: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """uv's options and environment for pip's index settings, so uv fetches from where pip
    would (pip takes the best version over all its indexes: so does uv, told so)."""
    options: list[str] = []
    for key, option in INDEX_OPTIONS.items():
        for value in settings.get(key, "").split():
            options += [option, value]
    if "--index" in options or "--find-links" in options:
        options += ["--index-strategy", "unsafe-best-match"]
    environment = {variable: settings[key] for key, variable in INDEX_ENVIRONMENT.items()
                   if settings.get(key)}
    return options, environment


def _attempt(run: Callable, command: list[str], **kwargs) -> tuple[int, str]:
    """Run command; its exit code, and a short reason when it failed or could not start."""
    try:
        result = run(command, **kwargs)
    except OSError as exc:
        return 127, f"{Path(command[0]).name} could not start: {exc.strerror or exc}"
    if result.returncode != 0:
        return result.returncode, f"{Path(command[0]).name} exited with {result.returncode}"
    return 0, ""


def install_with_uv(python: Path, requirements: Path, uv_requirement: str, *,
                    run: Callable = subprocess.run, no_cache: bool = False,
                    compile_bytecode: bool = False) -> tuple[int, str]:
    """pip installs uv into the venv of python, then uv installs requirements into it; 0 and ''
    when both worked, else an exit code and what failed."""
    code, why = _attempt(run, [str(python), "-m", "pip", "install", "--quiet",
                               "--disable-pip-version-check", uv_requirement,
                               *(["--no-cache-dir"] if no_cache else [])])
    if code:
        return code, f"pip could not install {uv_requirement} ({why})"
    listing = run([str(python), "-m", "pip", "config", "list"], capture_output=True, text=True)
    options, environment = uv_index_arguments(pip_settings(listing.stdout or ""))
    uv = python.parent / ("uv.exe" if os.name == "nt" else "uv")
    command = [str(uv), "pip", "install", "--python", str(python), "-r", str(requirements),
               *options, *(["--no-cache"] if no_cache else []),
               *(["--compile-bytecode"] if compile_bytecode else [])]
    return _attempt(run, command, env={**environment, **os.environ})


def install_with_pip(python: Path, requirements: Path, *, run: Callable = subprocess.run,
                     no_cache: bool = False) -> int:
    """pip installs requirements into the venv of python, showing its progress; its exit code."""
    return _attempt(run, [str(python), "-m", "pip", "install", "--disable-pip-version-check",
                          "--progress-bar", "on", "-r", str(requirements),
                          *(["--no-cache-dir"] if no_cache else [])])[0]


def install(python: Path, requirements: Path, uv_requirement: str, *,
            run: Callable = subprocess.run, say: Callable[[str], None] = print,
            clock: Callable[[], float] = time.perf_counter) -> Installed:
    """Install requirements into the venv of python with uv, or with pip when uv fails for any
    reason; say which one does it."""
    started = clock()
    say(f"[run] installing {requirements.name} with uv ({uv_requirement}) ...")
    code, why = install_with_uv(python, requirements, uv_requirement, run=run)
    if code == 0:
        return Installed("uv", 0, clock() - started)
    say(f"[run] uv did not install {requirements.name}: {why}; installing with pip instead "
        "(slower, with its progress bar)")
    code = install_with_pip(python, requirements, run=run)
    return Installed("pip", code, clock() - started, why)
