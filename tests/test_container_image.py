"""The sidecar's image, built and run here: podman builds the Dockerfile on a Debian base made on
this machine, and the container answers /healthz, queues a signed delivery, refuses a bad
signature, runs as no root, and keeps its inbox across a restart (a volume at DATA_DIR)."""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager

import pytest

from harness import podman as engine
from harness.pip_mounts import build_volumes, machine_pip_settings
from harness.processes import ROOT, free_port
from harness.waiting import wait_http
from harness.webhook_signing import checkout_event, signed

# The first test also makes what a new machine lacks: Debian's packages, the base, the pip layer.
pytestmark = [pytest.mark.container, pytest.mark.timeout(1200)]

IMAGE = "localhost/storefront-sidecar:test"
SECRET = "whsec_container_" + uuid.uuid4().hex
MAX_IMAGE_MB = 350
FIGURES = ROOT / "test-artifacts" / "container-image.json"


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> str:
    """The Dockerfile built with podman on the local Debian base (made first if this machine
    has none), pip reaching its index through this machine's configuration, mounted."""
    reason = engine.unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must build and run the image, not skip it)")
        pytest.skip(reason)
    started = time.perf_counter()
    base, made = engine.ensure_base_image()
    base_seconds = time.perf_counter() - started
    before = engine.image_id(IMAGE)
    volumes = build_volumes(machine_pip_settings(), tmp_path_factory.mktemp("pip"))
    started = time.perf_counter()
    engine.podman("build", *engine.RUNTIME, "--format", "docker", "--network", "host",
                  "--build-arg", f"BASE_IMAGE={base}", *volumes, "--tag", IMAGE, str(ROOT),
                  timeout=1800)
    build_seconds = time.perf_counter() - started
    if before and before != engine.image_id(IMAGE):
        engine.podman("rmi", before, check=False)  # the last build's image, now untagged
    figures = {"base": base, "base_made_now": made, "base_seconds": round(base_seconds, 1),
               "build_seconds": round(build_seconds, 1),
               "image_mb": round(engine.image_size(IMAGE) / 1e6, 1)}
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2))
    print(f"\nsidecar image: {figures}")
    return IMAGE


@contextmanager
def sidecar(image: str, volume: str):
    """The image running with a volume at /data, published on a free loopback port; its URL.
    The container is removed afterwards (the volume is not)."""
    name = f"storefront-sidecar-test-{uuid.uuid4().hex[:8]}"
    port = free_port()
    try:
        # Inside the try: a `podman run` that times out may still have made the container.
        engine.podman("run", *engine.RUNTIME, "--detach", "--name", name,
                      "--publish", f"127.0.0.1:{port}:4242", "--volume", f"{volume}:/data",
                      "--env", f"STRIPE_WEBHOOK_SECRET={SECRET}", image, timeout=120)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_http(url + "/healthz", timeout=90)
        except TimeoutError:
            logs = engine.podman("logs", name, check=False).stdout
            raise AssertionError(f"the sidecar container did not answer:\n{logs}") from None
        yield name, url
    finally:
        engine.podman("rm", "--force", name, check=False, timeout=120)


@contextmanager
def volume():
    """A podman volume of its own, removed afterwards."""
    name = f"storefront-data-{uuid.uuid4().hex[:8]}"
    engine.podman("volume", "create", name)
    try:
        yield name
    finally:
        engine.podman("volume", "rm", "--force", name, check=False)


@pytest.fixture(scope="module")
def running(image):
    """One sidecar container for the checks that do not restart it."""
    with volume() as data, sidecar(image, data) as started:
        yield started


def post(url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    """POST a delivery to the sidecar's /webhook; its status and JSON reply."""
    request = urllib.request.Request(url + "/webhook", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def inbox_state(name: str, event_id: str) -> str:
    """The state the container's inbox holds for event_id, read through the inbox port inside
    the container, or 'missing'."""
    probe = ("import os; from lib.config.settings import load_settings; "
             "from lib.stores.factory import make_inbox; "
             f"e = make_inbox(load_settings(os.environ)).get({event_id!r}); "
             "print(e.state if e else 'missing')")
    return engine.podman("exec", name, "python", "-c", probe, timeout=60).stdout.strip()


def test_the_image_is_at_most_350_mb(image):
    assert engine.image_size(image) / 1e6 <= MAX_IMAGE_MB


def test_healthz_answers_200_with_sqlite_at_the_volume(running):
    _, url = running
    with urllib.request.urlopen(url + "/healthz", timeout=10) as reply:
        health = json.load(reply)
        assert reply.status == 200
    assert health["store"] == "sqlite" and health["webhook_secret_set"] is True


def test_a_signed_checkout_completed_is_answered_200_and_queued(running):
    name, url = running
    event = checkout_event("cs_test_container_" + uuid.uuid4().hex[:8])
    status, reply = post(url, *signed(event, SECRET))
    assert (status, reply["outcome"]) == (200, "queued")
    assert inbox_state(name, event["id"]) != "missing"


def test_a_bad_signature_is_refused_400(running):
    _, url = running
    body, headers = signed(checkout_event("cs_test_container_bad"), "whsec_someone_else")
    status, reply = post(url, body, headers)
    assert (status, reply["outcome"]) == (400, "rejected")


def test_the_sidecar_does_not_run_as_root(running):
    name, _ = running
    users = engine.podman("top", name, "huser").stdout.split()[1:]
    assert users and "0" not in users and "root" not in users, users
    assert engine.podman("exec", name, "id", "-u").stdout.strip() == "10001"


def test_a_new_container_on_the_same_volume_keeps_the_inbox(image):
    event = checkout_event("cs_test_container_restart")
    body, headers = signed(event, SECRET)
    with volume() as data:
        with sidecar(image, data) as (_, url):
            assert post(url, body, headers)[0] == 200
        with sidecar(image, data) as (name, url):
            assert inbox_state(name, event["id"]) != "missing"
            status, reply = post(url, body, headers)  # this process has not seen it: the store has
            assert (status, reply["outcome"]) == (200, "already_recorded")
