"""What the container build is given of this machine's pip setup: one merged pip.conf and the
local paths it names, as read-only mounts; and the Debian mirror debootstrap uses."""
from __future__ import annotations

from harness.pip_mounts import build_volumes, local_path, pip_conf_text
from harness.podman import DEFAULT_MIRROR, base_tag, debian_mirror


def test_a_file_index_at_simple_mounts_the_folder_that_holds_its_files(tmp_path):
    (tmp_path / "pypi" / "simple").mkdir(parents=True)
    assert local_path(f"file://{tmp_path}/pypi/simple") == tmp_path / "pypi"
    assert local_path("https://pypi.org/simple") is None
    assert local_path(str(tmp_path / "nowhere")) is None


def test_the_build_gets_the_merged_conf_and_each_named_path_read_only(tmp_path):
    bundle, wheels = tmp_path / "ca.crt", tmp_path / "wheels"
    bundle.write_text("certificate")
    wheels.mkdir()
    settings = {"cert": str(bundle), "find-links": f"{wheels} {tmp_path / 'gone'}",
                "index-url": "https://mirror.example/simple", "default-timeout": "180"}
    options = build_volumes(settings, tmp_path)
    mounts = options[1::2]
    assert options[::2] == ["--volume"] * len(mounts)
    assert mounts == [f"{tmp_path / 'pip.conf'}:/etc/pip.conf:ro", f"{bundle}:{bundle}:ro",
                      f"{wheels}:{wheels}:ro"]
    assert (tmp_path / "pip.conf").read_text() == pip_conf_text(settings)
    assert "index-url = https://mirror.example/simple" in pip_conf_text(settings)


def test_debootstrap_uses_the_mirror_apt_uses(tmp_path):
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n")
    assert debian_mirror(tmp_path) == "http://mirror.example/debian"
    assert debian_mirror(tmp_path / "empty") == DEFAULT_MIRROR


def test_the_base_tag_names_its_recipe():
    assert base_tag().startswith("localhost/storefront-python-base:bookworm-")
    assert base_tag() == base_tag()
