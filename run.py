"""One entry point for people: `python run.py` runs the demo, `python run.py test` the suite.

Other commands: `check` (the Setup check in the terminal), `seed` (the catalog into Stripe as
Products and Prices) and `bench` (the benchmarks).
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
USAGE = """usage: python run.py [demo|test|check|seed|bench] [args...]
  demo    (default) start the shop, the webhook sidecar and, without Stripe keys, the sandbox
  test    install the dev requirements and Chromium, run ruff, then pytest (with Firestore)
  check   list every setting with its status and the fix for each problem
  seed    load catalog/products.json into Stripe (the running sandbox, or test mode) as
          Products and Prices; safe to run again
  bench   run the benchmarks in bench/ and print their tables"""


def in_venv() -> bool:
    """True when this interpreter is the project's .venv."""
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the requirements file when it changed, then re-run inside it."""
    if not PYTHON.exists():
        print(f"[run] creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        wanted.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if not stamp.exists() or stamp.read_text() != wanted.hexdigest():
        print(f"[run] installing {requirements} into .venv ...", flush=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check",
                        "-q", "-r", str(ROOT / requirements)], check=True)
        stamp.write_text(wanted.hexdigest())
    if not in_venv():
        args = [str(PYTHON), str(ROOT / "run.py"), *sys.argv[1:]]
        if os.name == "posix":
            os.execv(args[0], args)  # same PID, so Ctrl-C and kill reach the supervisor
        sys.exit(subprocess.run(args).returncode)


def run_demo() -> int:
    """Start every process of the demo and wait for Ctrl-C, which stops them all."""
    from devtools.demo import demo_processes, taken_ports_message
    from devtools.supervisor import ProcessSpec, supervise
    from lib.settings import SettingsError, load_settings

    env = dict(os.environ)
    try:
        settings = load_settings(env)
        processes = demo_processes(settings)
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


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when it is missing (never a download of
    Playwright's own browser)."""
    if shutil.which("chromium") or platform.system() != "Linux":
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("[run] installing Debian's chromium for the browser tests ...", flush=True)
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ,
                                                       "DEBIAN_FRONTEND": "noninteractive"})
    else:
        print("[run] chromium is missing: install it (e.g. `sudo apt-get install chromium`) "
              "for the browser tests", file=sys.stderr)


def lint() -> int:
    """Run `ruff check` over the project with pyproject.toml's rules; 0 when it finds nothing."""
    print("[run] ruff check ...", flush=True)
    return subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT).returncode


def run_tests(args: list[str]) -> int:
    """Lint, then run the whole suite with the Firestore emulator started for it and stopped
    after."""
    # Lint first: CI runs this command, so a finding fails it before the long suite starts.
    found = lint()
    if found:
        print("[run] ruff found the problems above: fix them (`ruff check --fix` mends the "
              "safe ones) and run the tests again", file=sys.stderr)
        return found
    sys.path.insert(0, str(ROOT / "tools"))
    import firestore_emulator

    ensure_chromium()
    # Screenshots are evidence of this run only; stale ones from an earlier run would mislead.
    shutil.rmtree(ROOT / "test-artifacts" / "screenshots", ignore_errors=True)
    env = dict(os.environ)
    emulator = None
    if not env.get("FIRESTORE_EMULATOR_HOST"):
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
        return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT,
                              env=env).returncode
    finally:
        if emulator is not None:
            emulator.stop()


def main() -> int:
    """Dispatch the command line."""
    command = sys.argv[1] if len(sys.argv) > 1 else "demo"
    if command in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if command not in ("demo", "test", "check", "seed", "bench"):
        print(USAGE, file=sys.stderr)
        return 2
    ensure_venv("requirements-dev.txt" if command in ("test", "bench") else "requirements.txt")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if command == "test":
        return run_tests(sys.argv[2:])
    if command == "check":
        from lib.setup_report import main as check_main
        return check_main(sys.argv[2:])
    if command == "seed":
        from lib.seed_report import main as seed_main
        return seed_main(sys.argv[2:])
    if command == "bench":
        return subprocess.run([sys.executable, "-m", "bench", *sys.argv[2:]]).returncode
    return run_demo()


if __name__ == "__main__":
    sys.exit(main())
