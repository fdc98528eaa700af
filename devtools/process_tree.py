"""Start a child in its own process group and stop its whole tree, on POSIX and on Windows.

Each OS branch is a plain function of the OS name, so tests build the exact options, signals
and commands for Windows on Linux (and the other way round) without running them.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# CreateProcess flag (Windows): the child heads a new group, so CTRL_BREAK_EVENT reaches it
# and its tree, and the console's Ctrl-C is left to the supervisor.
CREATE_NEW_PROCESS_GROUP = 0x00000200
PROC = Path("/proc")


@dataclass(frozen=True)
class StopStep:
    """One way of stopping a tree: a signal for its process group, or a command to run."""

    signal: int | None = None
    command: tuple[str, ...] = ()
    group: bool = True


def spawn_options(os_name: str = os.name) -> dict:
    """Popen keyword arguments that give the child its own process group on this OS."""
    if os_name == "nt":
        return {"creationflags": CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def stop_steps(pid: int, os_name: str = os.name) -> tuple[StopStep, StopStep]:
    """The polite step, then the forceful one, that stop the tree headed by pid."""
    if os_name == "nt":
        # CTRL_BREAK_EVENT is the one console event a new process group still receives;
        # taskkill /T /F then ends whatever of the tree is left, grandchildren included.
        return (StopStep(signal=getattr(signal, "CTRL_BREAK_EVENT", 1), group=False),
                StopStep(command=("taskkill", "/PID", str(pid), "/T", "/F")))
    return StopStep(signal=signal.SIGTERM), StopStep(signal=getattr(signal, "SIGKILL", 9))


def _apply(step: StopStep, pid: int, os_name: str) -> None:
    """Carry out one stop step; a tree already gone is not an error."""
    try:
        if step.command:
            subprocess.run(list(step.command), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        elif step.group and os_name != "nt":
            os.killpg(pid, step.signal)
        else:
            os.kill(pid, step.signal)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def tree_alive(proc: subprocess.Popen, os_name: str = os.name) -> bool:
    """Whether the child or, on POSIX, anything else of its process group is still running."""
    if proc.poll() is None:
        return True
    if os_name == "nt":
        return False  # taskkill /T /F has already taken the tree with it
    if PROC.is_dir():
        return bool(live_group_members(proc.pid))
    try:  # macOS and other POSIX systems without /proc
        os.killpg(proc.pid, 0)
    except (ProcessLookupError, PermissionError, OSError):
        return False
    return True


def live_group_members(pgid: int) -> list[int]:
    """Linux only: the processes of a group that are not zombies (a zombie waits for a reaper
    that a container's PID 1 may never be, and signals cannot stop it anyway)."""
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command name, which is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def stop_tree(proc: subprocess.Popen, timeout: float = 10, os_name: str = os.name) -> None:
    """Stop the child and everything it started: politely, then by force after timeout."""
    for step in stop_steps(proc.pid, os_name):
        _apply(step, proc.pid, os_name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not tree_alive(proc, os_name):
                return
            time.sleep(0.05)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass
