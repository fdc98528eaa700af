"""`python -m devtools.smoke`: start `python run.py` as a learner would, fetch the shop page at
the URL it prints, then press Ctrl-C and check that everything stopped (CI's smoke start)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from devtools.process_tree import spawn_options

ROOT = Path(__file__).resolve().parent.parent
ANNOUNCED = re.compile(r"\[run\] Storefront with .*: open (\S+)")


def main(timeout: float = 300) -> int:
    """0 when the shop page answered at the printed URL and Ctrl-C stopped the demo."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "run.py")], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, **spawn_options())
    lines: list[str] = []

    def read() -> None:
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            lines.append(line)
            print(line, flush=True)
    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout  # the first run installs the requirements
    try:
        url = None
        while time.monotonic() < deadline and proc.poll() is None:
            found = next((ANNOUNCED.search(line) for line in lines if ANNOUNCED.search(line)),
                         None)
            url = found.group(1) if found else None
            if url and any("URL: " in line for line in lines):
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as reply:
                        page = reply.read().decode("utf-8", "replace")
                    if reply.status == 200 and "<title>Streamlit</title>" in page:
                        print(f"[smoke] the shop page answered at {url}", flush=True)
                        break
                except OSError:
                    pass
            time.sleep(1)
        else:
            print("[smoke] the demo never served the shop page", file=sys.stderr)
            return 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.CTRL_BREAK_EVENT if os.name == "nt" else signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                print("[smoke] Ctrl-C did not stop the demo within 60 s", file=sys.stderr)
                return 1
    stopped = any("Ctrl-C: stopping everything" in line for line in lines)
    print(f"[smoke] stopped by Ctrl-C: {stopped}", flush=True)
    return 0 if stopped else 1


if __name__ == "__main__":
    sys.exit(main())
