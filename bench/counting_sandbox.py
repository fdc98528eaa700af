"""Run the Stripe sandbox exactly as `python -m stripe_sandbox` does, counting the requests it serves.

The count is taken by a WSGI wrapper around the sandbox's own app, in the sandbox's own process,
so it sees every request that reached "Stripe", whoever sent it. GET /_bench/counts returns
{"METHOD /path/with/ids/collapsed": n, ...}; nothing else about the sandbox changes.
"""
from __future__ import annotations

import json
import re
import threading

import stripe_sandbox.__main__ as sandbox_main

ID = re.compile(r"/(cs|evt|shr)_[A-Za-z0-9_]+")


class CountingApp:
    """A WSGI middleware that counts requests by method and id-free path."""

    def __init__(self, app):
        self.app = app
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_bench/counts":
            with self.lock:
                body = json.dumps(self.counts).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        key = f"{environ.get('REQUEST_METHOD')} {ID.sub(lambda m: '/' + m.group(1) + '_*', path)}"
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
        return self.app(environ, start_response)


if __name__ == "__main__":
    build = sandbox_main.create_app
    sandbox_main.create_app = lambda sandbox: CountingApp(build(sandbox))
    sandbox_main.main()
