"""How the sandbox is served: uvicorn's event loop reads each request (an idle or trickling client
holds a socket, never a thread), api/gate.py refuses on the request's head before its body is
read, and a small bridge runs the Flask app in a pool of threads on the whole, bounded body."""
from __future__ import annotations

import asyncio
import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import uvicorn

from .api.errors import ApiError
from .api.gate import MAX_BODY, head_refusal, too_large
from .api.ids import new_id

# Room for many more waiting connections than a workshop makes; one kept alive is closed after
# 30 s without a request (tests/sandbox/test_slow_clients.py holds idle and trickling clients).
SERVER_LIMITS = {"limit_concurrency": 2000, "backlog": 2048, "timeout_keep_alive": 30}


def wsgi_environ(scope: dict, body: bytes) -> dict:
    """The WSGI environ for one ASGI HTTP request whose whole body is in hand."""
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    environ = {
        "REQUEST_METHOD": scope["method"], "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": str(server[0]), "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "REMOTE_ADDR": client[0], "REMOTE_PORT": str(client[1]),
        "CONTENT_LENGTH": str(len(body)),  # the body is whole: its length, however it was sent
        "wsgi.version": (1, 0), "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
        "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.input_terminated": True,
    }
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").upper().replace("-", "_"), raw_value.decode("latin-1")
        if name in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def call_wsgi(app, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run the WSGI app on one request in this thread: (status, headers, whole body)."""
    started: dict = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers, exc_info=None):
        started["status"], started["headers"] = int(status.split(" ", 1)[0]), list(headers)
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], b"".join(chunks)


class SandboxServer:
    """The ASGI app uvicorn serves: refusals on the head, then the Flask app on the whole body."""

    def __init__(self, app, api_key: str, threads: int, limit: int = MAX_BODY):
        self.app, self.api_key, self.limit = app, api_key, limit
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="sandbox")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return  # no WebSockets, and lifespan is off
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope["headers"]}
        refusal = head_refusal(scope["path"], headers, self.api_key, self.limit)
        if refusal is not None:
            await self.refuse(send, refusal)
            return
        body = await self.read_body(receive)
        if body is None:
            await self.refuse(send, too_large(self.limit))
            return
        loop = asyncio.get_running_loop()
        status, response_headers, content = await loop.run_in_executor(
            self.pool, call_wsgi, self.app, wsgi_environ(scope, body))
        await send({"type": "http.response.start", "status": status, "headers": [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response_headers]})
        await send({"type": "http.response.body", "body": content})

    async def read_body(self, receive) -> bytes | None:
        """The whole body, or None once it runs over the limit (a chunked body has no length to check first)."""
        parts, size = [], 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit or message["type"] == "http.disconnect":
                return None
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)

    async def refuse(self, send, error: ApiError) -> None:
        """Answer Stripe's error and close the connection: the body, if any, is never read."""
        headers = {"content-type": "application/json", "request-id": new_id("req", 14), "connection": "close",
                   **{name.lower(): value for name, value in error.headers.items()}}
        await send({"type": "http.response.start", "status": error.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]})
        await send({"type": "http.response.body", "body": (json.dumps(error.body(), indent=2) + "\n").encode()})


def serve(app, api_key: str, host: str, port: int, threads: int) -> None:
    """Serve the Flask app until stopped (Ctrl-C or SIGTERM)."""
    uvicorn.run(SandboxServer(app, api_key, threads), host=host, port=port, log_level="warning",
                access_log=False, lifespan="off", server_header=False, **SERVER_LIMITS)
