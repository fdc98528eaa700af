"""The documented production deployment under slow clients: docs/deploy.md's gunicorn command
behind Debian's nginx running deploy/nginx-sidecar.conf (ports changed, nothing else), 200
idle or trickling connections held against nginx for 20 s while signed deliveries sent
through nginx are each answered 200 within a second."""
from __future__ import annotations

import re
import shlex
import sys

import pytest

from harness.nginx import start_nginx
from harness.processes import ROOT, free_port, start
from harness.slow_clients import deliveries_while_held

pytestmark = pytest.mark.processes  # gunicorn behind nginx and 200 hanging connections

SECRET = "whsec_slow_clients_proxy"
PROXY_CONFIG = ROOT / "deploy" / "nginx-sidecar.conf"


def documented_command(text: str) -> list[str]:
    """The one `gunicorn ...` command line in a document, split into words."""
    lines = re.findall(r"(gunicorn --worker-class [^\n`\"]+)", text, flags=re.MULTILINE)
    assert len(lines) == 1, lines
    return shlex.split(lines[0])


def without_bind(words: list[str]) -> list[str]:
    """The command's words with `-b ADDRESS` removed (hosts choose the address)."""
    at = words.index("-b")
    return words[:at] + words[at + 2:]


def test_the_deploy_guide_and_dockerfile_document_one_gunicorn_command():
    guide = documented_command((ROOT / "docs" / "deploy.md").read_text())
    docker = re.search(r"exec (gunicorn --[^\"]+)", (ROOT / "Dockerfile").read_text()).group(1)
    assert without_bind(guide) == without_bind(shlex.split(docker))
    assert {"--worker-class", "gthread", "--threads", "--timeout"} <= set(guide)


def proxy_config(listen: int, upstream: int) -> str:
    """deploy/nginx-sidecar.conf with its listen and upstream ports changed, nothing else."""
    text = PROXY_CONFIG.read_text()
    assert text.count("listen 80;") == 1 and text.count("server 127.0.0.1:4242;") == 1
    return (text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
            .replace("server 127.0.0.1:4242;", f"server 127.0.0.1:{upstream};"))


@pytest.fixture
def proxied_sidecar(tmp_path, nginx_here):
    """The deploy guide's gunicorn command on a free port, and nginx with the shipped proxy
    config, included as a host's nginx.conf would."""
    words = documented_command((ROOT / "docs" / "deploy.md").read_text())
    port, public = free_port(), free_port()
    words[words.index("-b") + 1] = f"127.0.0.1:{port}"
    env = {"DATA_DIR": str(tmp_path / "data"), "STRIPE_WEBHOOK_SECRET": SECRET,
           "STRIPE_SECRET_KEY": ""}
    sidecar = start(f"gunicorn_{port}", [sys.executable, "-m", *words], env, tmp_path,
                    "/healthz", port, timeout=60)
    run = tmp_path / "nginx"
    run.mkdir()
    (run / "sidecar.conf").write_text(proxy_config(public, port))
    try:
        proxy = start_nginx(run, f"    include {run}/sidecar.conf;", public, "/healthz",
                            connections=1024)
    except Exception:
        sidecar.stop()
        raise
    yield proxy
    proxy.stop()
    sidecar.stop()


def test_gunicorn_behind_the_buffering_proxy_answers_within_a_second_while_200_hang_on(
        proxied_sidecar):
    answers = deliveries_while_held(proxied_sidecar.url, SECRET)
    assert len(answers) >= 15 and {status for status, _ in answers} == {200}, answers
    assert max(seconds for _, seconds in answers) < 1.0, answers
