"""Images are found only when complete; builds happen only for new recipes and never leave a half image."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from labbox.appliance import build, cache
from labbox.appliance.recipe import Recipe


def _publish_fake(cache_dir: Path, key: str) -> cache.Image:
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = cache.staging(key, cache_dir)
    for name in (cache.ROOTFS, cache.KERNEL, cache.INITRD):
        (work / name).write_bytes(b"x")
    return cache.publish(work, key, {"key": key, "kernel_release": "test", "build_seconds": 0}, cache_dir)


def test_cache_directory_follows_override_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LABBOX_APPLIANCE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() == tmp_path / "xdg" / "hybridlab" / "appliance"
    monkeypatch.setenv("LABBOX_APPLIANCE_CACHE", str(tmp_path / "mine"))
    assert cache.directory() == tmp_path / "mine"


def test_published_image_is_found_with_its_manifest(appliance_cache: Path) -> None:
    image = _publish_fake(appliance_cache, "bookworm-abc")
    found = cache.find("bookworm-abc")
    assert found == image
    assert found.manifest()["key"] == "bookworm-abc"
    assert not list(appliance_cache.glob(".build-*"))


def test_directory_without_manifest_is_not_an_image(appliance_cache: Path) -> None:
    partial = appliance_cache / "bookworm-abc"
    partial.mkdir(parents=True)
    for name in (cache.ROOTFS, cache.KERNEL, cache.INITRD):
        (partial / name).write_bytes(b"x")
    assert cache.find("bookworm-abc") is None


def test_staging_directory_is_not_an_image(appliance_cache: Path) -> None:
    appliance_cache.mkdir(parents=True)
    work = cache.staging("bookworm-abc", appliance_cache)
    for name in (cache.ROOTFS, cache.KERNEL, cache.INITRD, cache.MANIFEST):
        (work / name).write_text("{}")
    assert cache.find("bookworm-abc") is None


def test_cached_recipe_is_not_rebuilt(appliance_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recipe = Recipe()
    image = _publish_fake(appliance_cache, recipe.key())

    def must_not_build(*_args: object) -> cache.Image:
        raise AssertionError("rebuilt a cached recipe")

    monkeypatch.setattr(build, "_build", must_not_build)
    assert build.ensure(recipe) == image


def test_changed_recipe_is_built(appliance_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _publish_fake(appliance_cache, Recipe().key())
    changed = Recipe(extra=("strace",))
    built: list[str] = []

    def fake_build(recipe: Recipe, key: str, root: Path, progress: bool) -> cache.Image:
        built.append(key)
        return _publish_fake(root, key)

    monkeypatch.setattr(build, "_build", fake_build)
    image = build.ensure(changed)
    assert built == [changed.key()]
    assert image.path.name == changed.key()


def test_interrupted_build_leaves_no_image_and_its_leftovers_are_removed(
    appliance_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = Recipe()
    key = recipe.key()
    appliance_cache.mkdir(parents=True)
    leftover = appliance_cache / f".build-{key}-99999999"
    leftover.mkdir()
    (leftover / cache.ROOTFS).write_bytes(b"half")

    def failing_step(command: list[str], log: Path) -> None:
        (log.parent / cache.ROOTFS).write_bytes(b"half")  # the step got half way
        raise build.BuildError(f"{command[0]} interrupted")

    monkeypatch.setattr(build, "_check_host", lambda: None)
    monkeypatch.setattr(build.sources, "mirror_lines", lambda suite: [f"deb http://mirror.invalid/debian {suite} main"])
    monkeypatch.setattr(build, "_run", failing_step)
    with pytest.raises(build.BuildError, match="interrupted"):
        build.ensure(recipe, progress=False)
    assert not leftover.exists()
    assert cache.find(key) is None
    assert not (appliance_cache / key).exists()


def test_disk_is_at_least_four_gib_and_twice_the_tree() -> None:
    assert build.disk_bytes(10) == 4 * 1024**3
    assert build.disk_bytes(3 * 1024**3) == 6 * 1024**3
    assert build.disk_bytes(3 * 1024**3 + 1) % 1024**2 == 0


def test_mmdebstrap_gets_every_package_and_the_hosts_mirrors(tmp_path: Path) -> None:
    recipe = Recipe()
    mirrors = ["deb http://mirror.invalid/debian bookworm main", "deb http://mirror.invalid/sec bookworm-security main"]
    argv = build.mmdebstrap_command(recipe, tmp_path / "tree", mirrors, tmp_path / "early")
    include = next(a for a in argv if a.startswith("--include="))
    assert include.removeprefix("--include=").split(",") == recipe.all_packages()
    assert argv[-3:] == [str(tmp_path / "tree"), *mirrors]
    assert "bookworm" in argv
    assert f"--essential-hook=cp -a {tmp_path / 'early'}/. \"$1\"/" in argv


def test_the_instances_tree_gets_its_own_packages_from_the_same_mirrors(tmp_path: Path) -> None:
    recipe = Recipe()
    mirrors = ["deb http://mirror.invalid/debian bookworm main"]
    argv = build.ami_mmdebstrap_command(recipe, tmp_path / "ami", mirrors)
    include = next(a for a in argv if a.startswith("--include="))
    assert include.removeprefix("--include=").split(",") == recipe.all_ami_packages()
    assert {"openssh-server", "python3", "libreswan", "sudo"} <= set(recipe.all_ami_packages())
    assert argv[-2:] == [str(tmp_path / "ami"), *mirrors]


def test_leftover_with_a_mount_inside_is_removed_without_touching_what_was_mounted(
    appliance_cache: Path, tmp_path: Path
) -> None:
    # What a killed mmdebstrap leaves: a host directory bind-mounted inside the build's tree.
    assert os.geteuid() == 0, "needs root to bind-mount, as the image build itself does: run as root"
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    (host_dir / "precious").write_text("keep")
    key = "bookworm-abc"
    leftover = appliance_cache / f".build-{key}-99999999" / "tree" / "dev"
    leftover.mkdir(parents=True)
    subprocess.run(["mount", "--bind", str(host_dir), str(leftover)], check=True)
    try:
        assert cache.remove_stale(key, appliance_cache) == [appliance_cache / f".build-{key}-99999999"]
    finally:
        subprocess.run(["umount", str(leftover)], check=False, capture_output=True)
    assert (host_dir / "precious").read_text() == "keep"
    assert not (appliance_cache / f".build-{key}-99999999").exists()
