"""Start and stop Google's Cloud Firestore emulator (stdlib only; also a small command line)."""
from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# Run as `python tools/firestore_emulator.py` too, where the project root is not on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from devtools.process_tree import spawn_options, stop_tree  # noqa: E402

INSTALL_HINT = ("Install it with `apt-get install google-cloud-cli-firestore-emulator` (or "
                "`gcloud components install cloud-firestore-emulator`) and a Java runtime "
                "(`apt-get install default-jre-headless`).")
JAR = Path("platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar")


def find_gcloud() -> str | None:
    """The gcloud binary on PATH (or CLOUDSDK_ROOT_DIR/bin), or None."""
    found = shutil.which("gcloud")
    if found:
        return found
    root = os.environ.get("CLOUDSDK_ROOT_DIR")
    candidate = Path(root, "bin", "gcloud") if root else None
    return str(candidate) if candidate and candidate.is_file() else None


def unavailable_reason() -> str:
    """Why the emulator cannot be started here, or '' when it can."""
    gcloud = find_gcloud()
    if not gcloud:
        return "gcloud is not installed. " + INSTALL_HINT
    sdk_root = Path(gcloud).resolve().parent.parent
    if not (sdk_root / JAR).is_file():
        return f"the Firestore emulator is not installed in {sdk_root}. " + INSTALL_HINT
    if not shutil.which("java"):
        return "no Java runtime (java) is on PATH. " + INSTALL_HINT
    return ""


def emulator_available() -> bool:
    """Whether gcloud, the Firestore emulator component and Java are all here."""
    return not unavailable_reason()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    """Whether something accepts TCP connections at host:port."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Emulator:
    """A running emulator: its gcloud process (a group leader), address and log file."""

    proc: subprocess.Popen
    host: str
    port: int
    log_path: Path

    @property
    def host_port(self) -> str:
        """The value for FIRESTORE_EMULATOR_HOST."""
        return f"{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment variables that point clients at this emulator."""
        return {"FIRESTORE_EMULATOR_HOST": self.host_port}

    def log(self) -> str:
        """What the emulator has printed so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 10) -> None:
        """Stop gcloud and its java child (the whole process tree)."""
        stop_emulator(self, timeout)

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_emulator(port: int | None = None, host: str = "127.0.0.1",
                   log_path: Path | None = None, timeout: float = 60) -> Emulator:
    """Start `gcloud emulators firestore start` in its own process group and wait for its port."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(f"Cannot start the Firestore emulator: {reason}")
    port = port or free_port()
    if log_path is None:
        log_path = Path(tempfile.mkdtemp(prefix="firestore-emulator-")) / "emulator.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [find_gcloud(), "emulators", "firestore", "start", f"--host-port={host}:{port}",
             "--quiet"],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            # Its own process group, so stop() reaches the java child that gcloud spawns.
            **spawn_options())
    emulator = Emulator(proc, host, port, log_path)
    atexit.register(emulator.stop)  # a crash of the caller must not leave java behind
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if proc.poll() is not None or time.monotonic() > deadline:
            emulator.stop()
            what = (f"exited with {proc.returncode}" if proc.returncode is not None
                    else f"did not listen on {host}:{port} within {timeout:.0f}s")
            raise RuntimeError(f"The Firestore emulator {what}. Its log ({log_path}):\n"
                               f"{emulator.log()[-3000:]}")
        time.sleep(0.1)
    try:
        warm_up(emulator.host_port, timeout=max(30.0, deadline - time.monotonic()))
    except OSError as exc:
        emulator.stop()
        raise RuntimeError(f"The Firestore emulator listens but did not answer a first write "
                           f"and query ({exc}). Its log ({log_path}):\n"
                           f"{emulator.log()[-3000:]}") from exc
    return emulator


WARM_UP_PROJECT = "demo-warm-up"


def warm_up(host_port: str, timeout: float = 60) -> None:
    """One write and one query, then clear them: a fresh emulator's first of each took 5 s and
    2.4 s here on a loaded machine, past the 5 s deadline the stores give every request."""
    base = f"http://{host_port}/v1/projects/{WARM_UP_PROJECT}/databases/(default)/documents"
    for url, method, body in (
            (f"{base}/warm_up/first", "PATCH", {"fields": {"n": {"integerValue": "1"}}}),
            (f"{base}:runQuery", "POST", {"structuredQuery": {
                "from": [{"collectionId": "warm_up"}],
                "where": {"fieldFilter": {"field": {"fieldPath": "n"}, "op": "LESS_THAN_OR_EQUAL",
                                          "value": {"integerValue": "1"}}},
                "orderBy": [{"field": {"fieldPath": "n"}}]}})):
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=timeout).close()
    clear_emulator(host_port, WARM_UP_PROJECT, timeout)


def stop_emulator(emulator: Emulator, timeout: float = 10) -> None:
    """Stop gcloud and its java child: the whole tree, politely then by force, on any OS."""
    atexit.unregister(emulator.stop)
    stop_tree(emulator.proc, timeout)


def clear_emulator(host_port: str, project: str, timeout: float = 5) -> None:
    """Delete every document of a project's default database in the emulator."""
    url = (f"http://{host_port}/emulator/v1/projects/{project}"
           "/databases/(default)/documents")
    urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=timeout).close()


def main(argv: list[str] | None = None) -> int:
    """`serve` runs the emulator until Ctrl-C; `run -- CMD...` runs CMD with it, then stops it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["serve", "run", "check"])
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="for run: the command")
    args = parser.parse_args(argv)
    if args.action == "check":
        reason = unavailable_reason()
        print(reason or "The Firestore emulator can be started here.")
        return 1 if reason else 0
    with start_emulator(args.port or None) as emulator:
        print(f"export FIRESTORE_EMULATOR_HOST={emulator.host_port}", flush=True)
        if args.action == "serve":
            try:
                emulator.proc.wait()
            except KeyboardInterrupt:
                pass
            return 0
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            parser.error("run needs a command, e.g. run -- python -m pytest")
        return subprocess.call(command, env={**os.environ, **emulator.env()})


if __name__ == "__main__":
    sys.exit(main())
