"""One entry point for people: `python run.py` runs the demo, `python run.py test` the suite.

Other commands: `check` (the Setup check in the terminal), `seed` (the catalog into Stripe as
Products and Prices), `bench` (the benchmarks) and `stripe` (the Stripe CLI, e.g. `python run.py
stripe listen --events checkout.session.completed --forward-to 127.0.0.1:4242/webhook`).
Only the standard library is used until the virtual environment exists; then the script
re-runs itself inside `.venv`.
"""
from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
USAGE = """usage: python run.py [demo|test|check|seed|bench|stripe] [args...]
  demo    (default) start the shop, the webhook sidecar and, without Stripe keys, the sandbox
          (with test keys and Node.js, also `stripe listen` forwarding to the sidecar)
  test    install the dev requirements and Chromium, run ruff, then pytest (with Firestore)
          on parallel workers; `test --quick` runs what needs neither browser nor emulator
  check   list every setting with its status and the fix for each problem
  seed    load catalog/products.json into Stripe (the running sandbox, or test mode) as
          Products and Prices; safe to run again
  bench   run the benchmarks in bench/ and print their tables
  stripe  the official Stripe CLI (pinned, from npm) aimed at this mode's Stripe, e.g.
          `python run.py stripe trigger checkout.session.completed`
  install only make .venv and install the requirements (a dev container's creation step)"""


def in_venv() -> bool:
    """True when this interpreter is the project's .venv."""
    return Path(sys.prefix).resolve() == VENV.resolve()


MINIMUM_PYTHON = (3, 11)


def python_too_old(version: tuple = sys.version_info[:3]) -> str:
    """'' when this Python can run Storefront, else what to do about it (checked before
    anything is created)."""
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return ""
    found = ".".join(str(part) for part in version)
    return (f"[run] Storefront needs Python 3.11 or newer; this is Python {found} "
            f"({sys.executable}). Install 3.11+ from https://www.python.org/downloads/ "
            "(on Windows tick 'Add python.exe to PATH'), then run `python3 run.py` "
            "(Windows: `py -3.11 run.py`). Nothing has been created yet.")


INSTALL_FAILED = """[run] installing {requirements} failed (pip exited with {code}).
[run] What to try:
[run]   - no network, or a proxy: set HTTPS_PROXY=http://proxy:port (or PIP_INDEX_URL for a
[run]     package mirror) and run the same command again;
[run]   - a pip error about a package: `{python} -m pip install -U pip`, then again;
[run]   - still stuck: delete the .venv folder and start over.
[run] Running `python run.py` again resumes: what pip already installed stays installed."""


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the requirements file when it changed (with uv, or pip when uv
    cannot), then re-run inside it."""
    first_run = not PYTHON.exists()
    if first_run:
        print(f"[run] first run: creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        wanted.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if not stamp.exists() or stamp.read_text() != wanted.hexdigest():
        from devtools.venv_install import install  # both standard library only
        from tools.requirements_files import installer, load_project

        print(f"[run] installing {requirements} into .venv: Streamlit, Stripe, Firebase and "
              "friends, about 500 MB the first time (seconds with uv, minutes with pip). "
              "Later starts take seconds.", flush=True)
        done = install(PYTHON, ROOT / requirements, installer(load_project(ROOT)),
                       say=lambda line: print(line, flush=True))
        if done.returncode != 0:
            print(INSTALL_FAILED.format(requirements=requirements, code=done.returncode,
                                        python=PYTHON), file=sys.stderr)
            sys.exit(done.returncode)
        stamp.write_text(wanted.hexdigest())
        print(f"[run] {requirements} is installed (by {done.tool} in {done.seconds:.0f} s).",
              flush=True)
    if not in_venv():
        args = [str(PYTHON), str(ROOT / "run.py"), *sys.argv[1:]]
        if os.name == "posix":
            os.execv(args[0], args)  # same PID, so Ctrl-C and kill reach the supervisor
        sys.exit(subprocess.run(args).returncode)


def local_firestore(env: dict) -> tuple[list[tuple[str, list[str], dict, int]], str]:
    """With STORE=firestore and no Firestore configured, a local emulator to supervise
    (added to env for the app and sidecar), or none and what to install; else nothing."""
    from devtools.local_firestore import (
        INSTALL,
        emulator_command,
        emulator_env,
        emulator_port,
        wants_local_emulator,
    )
    from lib.config.settings import read_sources
    from tools.firestore_emulator import find_gcloud, unavailable_reason

    values = read_sources(env)
    if not wants_local_emulator(values):
        return [], ""
    port = emulator_port(values)
    command = emulator_command(port, unavailable_reason, find_gcloud)
    if command is None:
        return [], INSTALL
    env.update(emulator_env(port))
    print(f"[run] no Firestore configured: starting a local emulator on 127.0.0.1:{port} "
          f"({Path(command[0]).name}); its data lasts until Ctrl-C", flush=True)
    return [("firestore", command, {}, port)], ""


def run_demo() -> int:
    """Start every process of the demo and wait for Ctrl-C, which stops them all."""
    from devtools.demo import demo_processes, taken_ports_message
    from devtools.stripe_listen import plan_listen
    from devtools.supervisor import ProcessSpec, supervise
    from lib.config.settings import SettingsError, load_settings

    env = dict(os.environ)
    emulator, missing = local_firestore(env)
    if missing:
        print(f"[run] {missing}", file=sys.stderr)
        return 2
    try:
        settings = load_settings(env)
        listen, secret = plan_listen(settings, env)
        processes = emulator + demo_processes(settings, listen_secret=secret) + listen
    except SettingsError as exc:
        print(f"[run] the configuration has problems:\n{exc}\n"
              "[run] `python run.py check` explains each one.", file=sys.stderr)
        return 2
    taken = taken_ports_message(processes, settings.listen_address)
    if taken:
        print(taken, file=sys.stderr)
        return 2
    specs = [ProcessSpec(name, cmd, {**env, **extra}, str(ROOT))
             for name, cmd, extra, _ in processes]
    mode = "the local Stripe sandbox" if settings.stripe_mode == "sandbox" else (
        f"Stripe in {settings.stripe_mode} mode")
    print(f"[run] Storefront with {mode}: open {settings.app_url}  (Ctrl-C stops everything)",
          flush=True)
    return supervise(specs)


# What the browser tests need from Debian: (binary, package, what for). Never a download of
# Playwright's own browser.
BROWSER_TEST_PACKAGES = (("chromium", "chromium", "the browser tests"),
                         ("nginx", "nginx", "the reverse-proxy browser test"))


def ensure_debian_packages() -> None:
    """Install Debian's Chromium and nginx for the browser tests when they are missing."""
    if platform.system() != "Linux":
        return
    missing = [(package, why) for binary, package, why in BROWSER_TEST_PACKAGES
               if not (shutil.which(binary) or Path("/usr/sbin", binary).exists())]
    if not missing:
        return
    names = [package for package, _ in missing]
    if shutil.which("apt-get") and os.geteuid() == 0:
        print(f"[run] installing Debian's {', '.join(names)} for "
              f"{' and '.join(why for _, why in missing)} ...", flush=True)
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", *names], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ,
                                                       "DEBIAN_FRONTEND": "noninteractive"})
    else:
        print(f"[run] {', '.join(names)} missing: install them (e.g. `sudo apt-get install "
              f"{' '.join(names)}`) for the browser tests", file=sys.stderr)


def lint() -> int:
    """Run `ruff check` over the project with pyproject.toml's rules; 0 when it finds nothing."""
    print("[run] ruff check ...", flush=True)
    return subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT).returncode


def skipped_here(system: str, has_chromium: bool) -> str:
    """What `run.py test` cannot run on this system, and why ('' on Linux with Chromium)."""
    if system == "Linux" and has_chromium:
        return ""
    return (f"[run] on {system or 'this system'} the browser tests (tests/browser/) are skipped: "
            "they drive Debian's Chromium at /usr/bin/chromium, which run.py installs on "
            "Debian/Ubuntu only. Everything else runs; run the browser tests on Linux or in "
            "a codespace.")


def run_tests(args: list[str]) -> int:
    """Lint, then run the whole suite on parallel workers and its browser tests after, one at a
    time, with the Firestore emulator started for it and stopped after (with --quick: no
    browser tests, no emulator)."""
    # Lint first: CI runs this command, so a finding fails it before the long suite starts.
    found = lint()
    if found:
        print("[run] ruff found the problems above: fix them (`ruff check --fix` mends the "
              "safe ones) and run the tests again", file=sys.stderr)
        return found
    sys.path.insert(0, str(ROOT / "tools"))
    import firestore_emulator

    from devtools.suite import QUICK_MARKERS, suite_runs

    runs, quick = suite_runs(args, os.cpu_count())
    if quick:
        print(f"[run] --quick: only the tests that are {QUICK_MARKERS}", flush=True)
    else:
        ensure_debian_packages()
        note = skipped_here(platform.system(), bool(shutil.which("chromium")))
        if note:
            print(note, file=sys.stderr)
    # Screenshots are evidence of this run only; stale ones from an earlier run would mislead.
    shutil.rmtree(ROOT / "test-artifacts" / "screenshots", ignore_errors=True)
    env = dict(os.environ)
    emulator = None
    if not quick and not env.get("FIRESTORE_EMULATOR_HOST"):
        if firestore_emulator.emulator_available():
            print("[run] starting the Firestore emulator ...", flush=True)
            emulator = firestore_emulator.start_emulator(
                log_path=ROOT / "test-artifacts" / "firestore-emulator.log")
            env["FIRESTORE_EMULATOR_HOST"] = emulator.host_port
            print(f"[run] Firestore emulator on {emulator.host_port}", flush=True)
        else:
            # The Firestore tests then skip (or, with CI=true, fail) and say how to install it.
            print("[run] Firestore emulator unavailable: "
                  f"{firestore_emulator.unavailable_reason()}", file=sys.stderr)
    try:
        codes = [subprocess.run([sys.executable, "-m", "pytest", *run], cwd=ROOT,
                                env=env).returncode for run in runs]
        return next((code for code in codes if code), 0)
    finally:
        if emulator is not None:
            emulator.stop()


def main() -> int:
    """Dispatch the command line."""
    too_old = python_too_old()
    if too_old:
        print(too_old, file=sys.stderr)
        return 2
    command = sys.argv[1] if len(sys.argv) > 1 else "demo"
    if command in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if command not in ("demo", "test", "check", "seed", "bench", "stripe", "install"):
        print(USAGE, file=sys.stderr)
        return 2
    ensure_venv("requirements-dev.txt" if command in ("test", "bench") else "requirements.txt")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if command == "install":  # a dev container's creation step: install now, start later
        print("[run] ready: `python run.py` starts the demo.")
        return 0
    if command == "test":
        return run_tests(sys.argv[2:])
    if command == "check":
        from lib.setup_check.report import main as check_main
        return check_main(sys.argv[2:])
    if command == "seed":
        from lib.presenter.seed_report import main as seed_main
        return seed_main(sys.argv[2:])
    if command == "stripe":
        from devtools.stripe_cli import main as stripe_main
        return stripe_main(sys.argv[2:])
    if command == "bench":
        return subprocess.run([sys.executable, "-m", "bench", *sys.argv[2:]]).returncode
    return run_demo()


if __name__ == "__main__":
    sys.exit(main())
