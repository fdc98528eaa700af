"""Run the demo's processes side by side with prefixed logs; Ctrl-C (or one of them exiting)
stops every process tree. Standard library only, no shell, so quoting and paths with spaces
or non-ASCII letters are the same on every OS."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from devtools.process_tree import spawn_options, stop_tree


@dataclass(frozen=True)
class ProcessSpec:
    """One process to supervise: its name, argument list, environment and working folder."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: str


def _pump(name: str, stream, lines: queue.Queue, width: int) -> None:
    """Forward a child's output line by line, prefixed with its name."""
    for raw in iter(stream.readline, b""):
        lines.put(f"{name:<{width}} | {raw.decode('utf-8', 'replace').rstrip()}")
    stream.close()
    lines.put(None)


def supervise(specs: list[ProcessSpec], out=None, os_name: str = os.name,
              stop_timeout: float = 10) -> int:
    """Start every process, print their output until Ctrl-C or until one exits, then stop
    every tree; the exit code is the first one to stop's, or 0 after Ctrl-C."""
    out = out or sys.stdout
    width = max(len(spec.name) for spec in specs)
    lines: queue.Queue = queue.Queue()
    running: list[tuple[ProcessSpec, subprocess.Popen]] = []
    previous = _stop_on_sigterm()
    code = 0
    try:
        for spec in specs:
            proc = subprocess.Popen(spec.command, env=spec.env, cwd=spec.cwd,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, **spawn_options(os_name))
            running.append((spec, proc))
            print(f"{'run':<{width}} | {spec.name} started (pid {proc.pid})", file=out, flush=True)
            threading.Thread(target=_pump, args=(spec.name, proc.stdout, lines, width),
                             daemon=True).start()
        code = _relay_until_one_exits(running, lines, out, width)
    except KeyboardInterrupt:
        print(f"{'run':<{width}} | Ctrl-C: stopping everything", file=out, flush=True)
    finally:
        for spec, proc in reversed(running):
            stop_tree(proc, stop_timeout, os_name)
            print(f"{'run':<{width}} | {spec.name} stopped", file=out, flush=True)
        _restore(previous)
    return code


def _relay_until_one_exits(running, lines: queue.Queue, out, width: int) -> int:
    """Print lines as they come; return the exit code of the first process that stops."""
    while True:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            line = None
        if line is not None:
            print(line, file=out, flush=True)
        for spec, proc in running:
            if proc.poll() is not None:
                while not lines.empty():
                    pending = lines.get_nowait()
                    if pending is not None:
                        print(pending, file=out, flush=True)
                print(f"{'run':<{width}} | {spec.name} exited with {proc.returncode}: "
                      "stopping the others", file=out, flush=True)
                return proc.returncode or 1


def _stop_on_sigterm():
    """Treat SIGTERM (a `kill`, a CI runner's cancel) like Ctrl-C, and make Ctrl-C stop us even
    when we were started with SIGINT ignored; returns the handlers to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(*_):
        raise KeyboardInterrupt
    names = [name for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name)]
    return {name: signal.signal(getattr(signal, name), interrupt) for name in names}


def _restore(previous) -> None:
    """Put back the signal handlers that were there before."""
    for name, handler in (previous or {}).items():
        signal.signal(getattr(signal, name), handler)
