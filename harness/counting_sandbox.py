"""The Stripe sandbox run exactly as `python -m stripe_sandbox` runs it, counting its requests.

The count is taken by a WSGI wrapper around the sandbox's own app, in the sandbox's own process,
so it sees every request that reached "Stripe", whoever sent it. GET /_counts returns
{"METHOD /path/with/ids/collapsed": n, ...}; nothing else about the sandbox changes. Run it with
`python -m harness.counting_sandbox`; request_counts and session_retrieves read the counts.
"""
from __future__ import annotations

import json
import re
import threading
import urllib.request

ID = re.compile(r"/(cs|evt|shr)_[A-Za-z0-9_]+")
COUNTS_PATH = "/_counts"
SESSION_RETRIEVE = "GET /v1/checkout/sessions/cs_*"


class CountingApp:
    """A WSGI middleware that counts requests by method and id-free path."""

    def __init__(self, app):
        self.app = app
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == COUNTS_PATH:
            with self.lock:
                body = json.dumps(self.counts).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        key = f"{environ.get('REQUEST_METHOD')} {ID.sub(lambda m: '/' + m.group(1) + '_*', path)}"
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
        return self.app(environ, start_response)


def request_counts(base_url: str) -> dict[str, int]:
    """How many requests of each kind the counting sandbox at base_url has served."""
    with urllib.request.urlopen(base_url + COUNTS_PATH, timeout=5) as response:
        return json.loads(response.read())


def session_retrieves(base_url: str) -> int:
    """How many session retrieves (GET /v1/checkout/sessions/{id}) it has served."""
    return request_counts(base_url).get(SESSION_RETRIEVE, 0)


if __name__ == "__main__":
    import stripe_sandbox.__main__ as sandbox_main

    build = sandbox_main.create_app
    sandbox_main.create_app = lambda sandbox: CountingApp(build(sandbox))
    sandbox_main.main()
