"""Wait with a deadline and fail with a clear message: for a condition, or for a URL."""
from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request


def wait_until(predicate, timeout: float = 60, interval: float = 0.05):
    """Poll predicate until it returns something truthy and return that; fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    """Wait until a GET on url answers with any HTTP status, or fail with a clear message."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answered, which is all we wait for
        except OSError as exc:
            last = exc
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")

