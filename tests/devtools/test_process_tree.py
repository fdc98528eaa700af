"""devtools.process_tree: each OS's options, signals and commands, built here for every OS, and
a real tree (a child with a grandchild) stopped on this one."""
import os
import signal
import subprocess
import sys
import time

import pytest

from devtools.process_tree import (
    CREATE_NEW_PROCESS_GROUP,
    StopStep,
    spawn_options,
    stop_steps,
    stop_tree,
    tree_alive,
)


def test_windows_children_head_a_new_process_group():
    assert spawn_options("nt") == {"creationflags": CREATE_NEW_PROCESS_GROUP}
    assert CREATE_NEW_PROCESS_GROUP == 0x200  # the documented CreateProcess flag


@pytest.mark.parametrize("os_name", ["posix"])  # Linux and macOS
def test_posix_children_get_their_own_session(os_name):
    assert spawn_options(os_name) == {"start_new_session": True}


def test_windows_stops_with_ctrl_break_then_taskkill_of_the_whole_tree():
    polite, force = stop_steps(4321, "nt")
    assert polite == StopStep(signal=getattr(signal, "CTRL_BREAK_EVENT", 1), group=False)
    assert force == StopStep(command=("taskkill", "/PID", "4321", "/T", "/F"))


def test_posix_stops_the_group_with_sigterm_then_sigkill():
    polite, force = stop_steps(4321, "posix")
    assert polite == StopStep(signal=signal.SIGTERM) and polite.group
    assert force == StopStep(signal=signal.SIGKILL) and force.group


@pytest.mark.skipif(os.name != "posix", reason="starts a real process group on this OS")
def test_a_child_and_its_grandchild_are_both_stopped():
    """The grandchild ignores nothing special but is not our child: only the group signal
    reaches it, as the Streamlit, gcloud and java trees need."""
    script = ("import subprocess, sys, time; "
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
              "time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", script], **spawn_options())
    time.sleep(0.5)
    assert tree_alive(proc)
    started = time.monotonic()
    stop_tree(proc, timeout=5)
    assert not tree_alive(proc)
    assert time.monotonic() - started < 5  # SIGTERM sufficed
    assert proc.returncode == -signal.SIGTERM


@pytest.mark.skipif(os.name != "posix", reason="starts a real process group on this OS")
def test_a_tree_ignoring_sigterm_is_killed_after_the_timeout():
    # The child says when it ignores SIGTERM: a fixed pause raced a busy machine's start-up.
    script = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
              "print('ignoring', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            **spawn_options())
    assert proc.stdout.readline().strip() == "ignoring"
    stop_tree(proc, timeout=1)
    proc.stdout.close()
    assert not tree_alive(proc) and proc.returncode == -signal.SIGKILL
