"""The official Stripe CLI, pinned, installed from npm into .tools/stripe-cli on first use, and the flags
that point it at the current mode's Stripe: the sandbox's key and address, or the test-mode key."""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CLI_VERSION = "1.52.0"
PACKAGE = "@stripe/cli"
TOOLS = ROOT / ".tools" / "stripe-cli"
# Node's names for this machine (process.platform-process.arch), which the package's platforms.json uses.
NODE_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "win32"}
NODE_ARCHES = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
DOWNLOAD = "https://docs.stripe.com/stripe-cli"


def node_platform(system: str = sys.platform, machine: str = platform.machine()) -> str:
    """This machine as Node names it, e.g. linux-x64 ('' when the CLI ships nothing for it)."""
    name, arch = NODE_PLATFORMS.get(system), NODE_ARCHES.get(machine.lower())
    return f"{name}-{arch}" if name and arch else ""


def installed_version(tools: Path = TOOLS) -> str:
    """The version of the CLI installed in the tools folder ('' when none is)."""
    try:
        return json.loads((tools / "node_modules" / PACKAGE / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return ""


def binary(tools: Path = TOOLS, key: str | None = None) -> Path | None:
    """The real stripe binary the npm package brought for this machine, when it is there."""
    key = node_platform() if key is None else key
    try:
        platforms = json.loads((tools / "node_modules" / PACKAGE / "platforms.json").read_text())
    except (OSError, ValueError):
        return None
    entry = platforms.get(key)
    if not entry:
        return None
    path = tools / "node_modules" / entry["pkg"] / "bin" / entry["bin"]
    return path if path.is_file() else None


def install_command(npm: str, tools: Path = TOOLS) -> list[str]:
    """npm's command that installs the pinned CLI into the tools folder. Install scripts stay off: the
    package's only script downloads the binary from GitHub when the platform package is missing."""
    return [npm, "install", "--prefix", str(tools), "--no-audit", "--no-fund", "--ignore-scripts",
            "--no-save", f"{PACKAGE}@{CLI_VERSION}"]


def ensure_cli(tools: Path = TOOLS, npm: str | None = None, say=print, run=subprocess.run) -> Path | None:
    """The pinned CLI's binary, installing it first when it is missing or another version; None when
    there is no npm here (or the install failed: npm's own output says why)."""
    found = binary(tools)
    if found is not None and installed_version(tools) == CLI_VERSION:
        return found
    npm = npm or shutil.which("npm")
    if npm is None:
        return None
    tools.mkdir(parents=True, exist_ok=True)
    # A package.json of its own keeps npm from looking for (and changing) one in a parent folder.
    (tools / "package.json").write_text(json.dumps({"name": "storefront-tools", "private": True}) + "\n")
    say(f"[run] installing the Stripe CLI {CLI_VERSION} from npm into {tools} (once) ...")
    if run(install_command(npm, tools), check=False).returncode != 0:
        return None
    return binary(tools)


def cli_address(api_base: str) -> str:
    """The API address as the CLI's --api-base takes it: http://127.0.0.1:PORT, never localhost."""
    parts = urlsplit(api_base)
    if parts.hostname == "localhost":
        parts = parts._replace(netloc=parts.netloc.replace("localhost", "127.0.0.1", 1))
    return urlunsplit(parts).rstrip("/")


def given(args, flag: str) -> bool:
    """Whether the command line already sets this flag (as `--flag value` or `--flag=value`)."""
    return any(a == flag or a.startswith(flag + "=") for a in args)


def connection_flags(settings, args=(), with_key: bool = True) -> list[str]:
    """--api-key (and, for the sandbox or STRIPE_API_BASE, --api-base) for the current mode, leaving out
    any that args already give."""
    flags = []
    if with_key and not given(args, "--api-key"):
        flags += ["--api-key", settings.api_key]
    if settings.api_base and not given(args, "--api-base"):
        flags += ["--api-base", cli_address(settings.api_base)]
    return flags


def cli_env(settings, environ) -> dict[str, str]:
    """The CLI's environment: STRIPE_API_KEY, which would win over --api-key, says the same key; no
    telemetry is attempted from the offline sandbox."""
    env = {**environ, "STRIPE_API_KEY": settings.api_key}
    if settings.stripe_mode == "sandbox":
        env["STRIPE_CLI_TELEMETRY_OPTOUT"] = "1"
    return env


def command_to_print(settings, args: list[str]) -> str:
    """The command to run with a CLI installed another way: the sandbox's key is shown (the sandbox
    prints it too); a real test key never is (`stripe login`, or --api-key, gives it)."""
    flags = connection_flags(settings, args, with_key=settings.stripe_mode == "sandbox")
    return " ".join(["stripe", *args, *flags])


def main(args: list[str], environ=None, ensure=ensure_cli) -> int:
    """`python run.py stripe ...`: the pinned CLI with this mode's key and address, or the command to
    run where there is no npm."""
    from lib.config.settings import SettingsError, load_settings

    environ = dict(os.environ if environ is None else environ)
    try:
        settings = load_settings(environ)
    except SettingsError as exc:
        print(f"[run] the configuration has problems:\n{exc}", file=sys.stderr)
        return 2
    cli = ensure()
    if cli is None:
        print(f"[run] the Stripe CLI comes from npm, and there is no Node.js/npm here (https://nodejs.org).\n"
              f"[run] Install the CLI another way ({DOWNLOAD}) and run:\n  {command_to_print(settings, args)}",
              file=sys.stderr)
        return 2
    command = [str(cli), *args, *(connection_flags(settings, args) if args else [])]
    try:
        return subprocess.run(command, env=cli_env(settings, environ)).returncode
    except KeyboardInterrupt:
        return 130
