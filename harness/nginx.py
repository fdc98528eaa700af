"""Debian's nginx for tests and benchmarks: a generated main config around the given http-block
lines, every file it writes kept in one folder, run in the foreground and stopped by PID."""
from __future__ import annotations

import shutil
from pathlib import Path

from harness.processes import Server, start

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# What a host's nginx.conf holds around the server blocks; paths point into run so nginx never
# touches /var (it runs unprivileged here).
MAIN_CONFIG = """worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections {connections}; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
{http}
}}
"""


def nginx_missing() -> str:
    """Why nginx cannot run here (with the fix), or "" when it can."""
    if Path(NGINX).exists():
        return ""
    return "nginx is missing: `python run.py test` installs Debian's nginx"


def start_nginx(run: Path, http: str, port: int, health_path: str,
                connections: int = 256) -> Server:
    """Write run/nginx.conf with http inside its http block, start nginx on it and wait until
    http://127.0.0.1:port{health_path} answers through it."""
    run.mkdir(parents=True, exist_ok=True)
    config = run / "nginx.conf"
    config.write_text(MAIN_CONFIG.format(run=run, http=http, connections=connections))
    return start(f"nginx_{port}", [NGINX, "-c", str(config), "-p", str(run), "-e",
                                   str(run / "error.log")], {}, run, health_path, port)
