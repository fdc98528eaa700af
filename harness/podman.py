"""Podman for the container test: Debian's podman, debootstrap and runc installed when missing,
a Python base image made from Debian once per machine (no registry is needed), and the options
every build and run takes here (runc, and ulimits the VM accepts; crun fails on this VM)."""
from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGES = {"podman": "podman", "debootstrap": "debootstrap", "runc": "runc"}
RUNTIME = ["--runtime", "runc", "--ulimit", "nofile=20000:20000",
           "--ulimit", "nproc=32768:32768"]
SUITE = "bookworm"
# Debian's Python 3.11 in a venv on PATH (what the Dockerfile's pip and python need), useradd,
# and no package lists, caches or docs left in the image.
BASE_PACKAGES = ("python3-venv", "passwd", "ca-certificates")
BASE_SETUP = ("python3 -m venv /opt/python && apt-get clean && "
              "rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/locale/*")
BASE_PATH = "/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_MIRROR = "http://deb.debian.org/debian"


def podman(*args: str, timeout: float = 600, check: bool = True,
           capture: bool = True) -> subprocess.CompletedProcess:
    """Run `podman args...` (its output captured as text unless capture is False)."""
    return subprocess.run(["podman", *args], check=check, timeout=timeout, text=True,
                          capture_output=capture)


def missing_tools() -> list[str]:
    """The Debian packages of PACKAGES whose program is not installed."""
    return [package for program, package in PACKAGES.items()
            if not (shutil.which(program) or Path("/usr/sbin", program).exists())]


def unavailable_reason() -> str:
    """'' when podman can build and run images here (installing Debian's packages first when
    root on Debian), else why not."""
    if platform.system() != "Linux":
        return f"podman builds Linux images on Linux; this is {platform.system()}"
    missing = missing_tools()
    if missing and not (os.geteuid() == 0 and shutil.which("apt-get")):
        return (f"{', '.join(missing)} missing and this is not root on Debian: install them "
                f"(`sudo apt-get install {' '.join(missing)}`)")
    if missing:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL,
                       timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, env=env,
                       stdout=subprocess.DEVNULL, timeout=900)
    if os.geteuid() != 0:
        return "the test runs podman as root (rootless podman needs subuids set up here)"
    probe = podman("info", check=False, timeout=120)
    return "" if probe.returncode == 0 else f"podman info failed: {probe.stderr.strip()[:300]}"


def debian_mirror(sources: Path = Path("/etc/apt")) -> str:
    """The Debian mirror apt uses on this machine (so debootstrap reaches it the same way)."""
    for path in sorted(sources.glob("sources.list.d/*.sources")):
        for line in path.read_text().splitlines():
            if line.startswith("URIs:") and line.split()[1].rstrip("/").endswith("/debian"):
                return line.split()[1]
    listing = sources / "sources.list"
    for line in listing.read_text().splitlines() if listing.exists() else []:
        if line.startswith("deb ") and line.split()[1].rstrip("/").endswith("/debian"):
            return line.split()[1]
    return DEFAULT_MIRROR


def base_tag() -> str:
    """The base image's tag, named for its recipe, so a changed recipe makes a new base."""
    recipe = "\n".join([SUITE, *BASE_PACKAGES, BASE_SETUP, BASE_PATH])
    return f"localhost/storefront-python-base:{SUITE}-{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"


def ensure_base_image() -> tuple[str, bool]:
    """The tag of the Debian base with Python, made now (debootstrap --variant=minbase, then
    `podman import`) unless this machine already has it; and whether it was made now."""
    tag = base_tag()
    if podman("image", "exists", tag, check=False).returncode == 0:
        return tag, False
    with tempfile.TemporaryDirectory(prefix="storefront-base-") as work:
        root = Path(work) / "root"
        subprocess.run(["debootstrap", "--variant=minbase",
                        f"--include={','.join(BASE_PACKAGES)}", SUITE, str(root),
                        debian_mirror()], check=True, timeout=1200, capture_output=True)
        subprocess.run(["chroot", str(root), "sh", "-c", BASE_SETUP], check=True, timeout=300)
        archive = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["podman", "import", "--change", f"ENV PATH={BASE_PATH}",
                        "--change", 'CMD ["python3"]', "-", tag], stdin=archive.stdout,
                       check=True, timeout=600, capture_output=True)
        archive.stdout.close()
        if archive.wait() != 0:
            raise RuntimeError("tar of the debootstrapped base failed")
    return tag, True


def image_id(tag: str) -> str:
    """The id of the image tagged tag, or '' when there is none."""
    found = podman("image", "inspect", "--format", "{{.Id}}", tag, check=False)
    return found.stdout.strip() if found.returncode == 0 else ""


def image_size(tag: str) -> int:
    """The image's size in bytes, all its layers counted."""
    return int(podman("image", "inspect", "--format", "{{.Size}}", tag).stdout.strip())
