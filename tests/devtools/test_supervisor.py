"""devtools.supervisor: prefixed output, and one process exiting stops the others' trees."""
import io
import os
import sys

from devtools.process_tree import PROC, live_group_members
from devtools.supervisor import ProcessSpec, supervise


def spec(name: str, code: str) -> ProcessSpec:
    """A Python one-liner as a supervised process."""
    return ProcessSpec(name, [sys.executable, "-c", code], dict(os.environ), os.getcwd())


def test_one_exiting_stops_the_others_and_gives_its_code():
    out = io.StringIO()
    sleeper = ("import subprocess, sys, time; print('sleeping', flush=True); "
               "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
               "time.sleep(60)")
    code = supervise([spec("sleeper", sleeper),
                      spec("quitter", "import time; time.sleep(1.5); print('bye ₹'); exit(3)")],
                     out=out, stop_timeout=5)
    text = out.getvalue()
    assert code == 3
    assert "sleeper | sleeping" in text and "quitter | bye ₹" in text
    assert "quitter exited with 3: stopping the others" in text
    assert "sleeper stopped" in text
    pids = [int(line.split("pid ")[1].rstrip(")")) for line in text.splitlines()
            if "started (pid" in line]
    assert len(pids) == 2
    if PROC.is_dir():  # the sleeper's grandchild went with it
        assert all(live_group_members(pid) == [] for pid in pids)
