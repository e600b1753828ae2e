"""Build the guest's disk image from Debian packages, offline except for the apt mirror.

Steps, all inside one staging directory of the cache (see ``cache``): two ``mmdebstrap`` runs
side by side make the guest's Debian tree and the instances' tree (the "AMI") from the mirror
apt is configured with (``sources``); ``guest_files`` makes the first boot as the guest and
``ami_files`` the second an EC2-like host, which then moves into the guest's tree; the kernel and initrd are copied out for QEMU's direct kernel boot; ``mkfs.ext4 -d``
turns the tree into a sparse ext4 image (no loop mounts, no partition table); the tree is
dropped and the directory is published under the recipe's key. Runs as root: mmdebstrap's root
mode, and ``mkfs.ext4 -d`` keeps the files' owners, which must be the guest's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from labbox.appliance import ami_files, cache, guest_files, sources
from labbox.appliance.recipe import AMI_DIR, Recipe

# The disk is sparse: its size is room for the data plane to write into, not space used.
MIN_DISK_BYTES = 4 * 1024**3


class BuildError(RuntimeError):
    """The image could not be built; the message carries the failing step's log tail."""


def _fail(command: list[str], code: int, log: Path) -> BuildError:
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    return BuildError(f"{command[0]} failed with exit code {code}; last lines of {log}:\n{tail}")


def _run(command: list[str], log: Path) -> None:
    with open(log, "a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise _fail(command, result.returncode, log)


def _run_together(commands: list[tuple[list[str], Path]]) -> None:
    """Run the commands at the same time (each logging to its own file); fail if any fails."""
    running = []
    for command, log in commands:
        out = open(log, "a")
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        running.append((command, log, out, subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)))
    failures = []
    for command, log, out, child in running:
        code = child.wait()
        out.close()
        if code != 0:
            failures.append(_fail(command, code, log))
    if failures:
        raise failures[0]


def mmdebstrap_command(recipe: Recipe, tree: Path, mirrors: list[str], early: Path) -> list[str]:
    """The mmdebstrap command line that makes the Debian tree (``early`` is copied in first)."""
    return [
        "mmdebstrap",
        "--variant=apt",
        "--mode=root",
        "--format=directory",
        f"--include={','.join(recipe.all_packages())}",
        # Before the kernel package: its initrd is built with the guest's initramfs settings.
        f"--essential-hook=cp -a {early}/. \"$1\"/",
        # The guest never reaches a mirror: the package lists and .debs are dead weight.
        "--customize-hook=rm -rf \"$1\"/var/lib/apt/lists/* \"$1\"/var/cache/apt/archives/*.deb",
        recipe.suite,
        str(tree),
        *mirrors,
    ]


def ami_mmdebstrap_command(recipe: Recipe, tree: Path, mirrors: list[str]) -> list[str]:
    """The mmdebstrap command line that makes the instances' tree."""
    return [
        "mmdebstrap",
        "--variant=apt",
        "--mode=root",
        "--format=directory",
        f"--include={','.join(recipe.all_ami_packages())}",
        "--customize-hook=rm -rf \"$1\"/var/lib/apt/lists/* \"$1\"/var/cache/apt/archives/*.deb",
        recipe.suite,
        str(tree),
        *mirrors,
    ]


def _single(boot: Path, pattern: str) -> Path:
    found = sorted(boot.glob(pattern))
    if len(found) != 1:
        raise BuildError(f"expected exactly one {pattern} in {boot}, found {[p.name for p in found]}")
    return found[0]


def _tree_bytes(tree: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(tree):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def disk_bytes(tree_bytes: int) -> int:
    """Image size: twice the tree (ext4 overhead plus room to work), at least 4 GiB, MiB-aligned."""
    wanted = max(MIN_DISK_BYTES, 2 * tree_bytes)
    mib = 1024**2
    return (wanted + mib - 1) // mib * mib


def _check_host() -> None:
    if os.geteuid() != 0:
        raise BuildError("building the appliance image needs root (mmdebstrap --mode=root, file owners in mkfs)")
    for tool in ("mmdebstrap", "mkfs.ext4", "chroot"):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} not found: run scripts/appliance-packages.sh")


def ensure(recipe: Recipe, cache_dir: Path | None = None, progress: bool = True) -> cache.Image:
    """The image of ``recipe``: the cached one, or a new build when there is none."""
    root = cache_dir or cache.directory()
    key = recipe.key()
    existing = cache.find(key, root)
    if existing is not None:
        return existing
    with cache.build_lock(key, root):
        existing = cache.find(key, root)  # another process may have built it while we waited
        if existing is not None:
            return existing
        return _build(recipe, key, root, progress)


def _build(recipe: Recipe, key: str, root: Path, progress: bool) -> cache.Image:
    _check_host()
    cache.remove_stale(key, root)
    work = cache.staging(key, root)
    log = work / "build.log"
    tree = work / "tree"
    started = time.monotonic()

    def say(message: str) -> None:
        if progress:
            print(f"appliance build: {message} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    mirrors = sources.mirror_lines(recipe.suite)
    say(f"mmdebstrap {recipe.suite} with {len(recipe.all_packages())} packages, log in {log}")
    early = work / "early"
    early.mkdir(mode=0o755)
    early.chmod(0o755)  # copied onto the tree's root directory
    guest_files.write(early, guest_files.EARLY_FILES)
    ami = work / "ami"
    _run_together(
        [
            (mmdebstrap_command(recipe, tree, mirrors, early), log),
            (ami_mmdebstrap_command(recipe, ami, mirrors), work / "build-ami.log"),
        ]
    )
    debootstrap_seconds = time.monotonic() - started

    say("configuring the guest and the instances' tree")
    guest_files.install(tree)
    ami_files.install(ami)
    (tree / AMI_DIR).parent.mkdir(parents=True, exist_ok=True)
    os.rename(ami, tree / AMI_DIR)
    kernel = _single(tree / "boot", "vmlinuz-*")
    initrd = _single(tree / "boot", "initrd.img-*")
    shutil.copyfile(kernel, work / cache.KERNEL)
    shutil.copyfile(initrd, work / cache.INITRD)

    size = disk_bytes(_tree_bytes(tree))
    say(f"mkfs.ext4 -d into a {size // 1024**2} MiB sparse image")
    rootfs = work / cache.ROOTFS
    with open(rootfs, "wb") as disk:
        disk.truncate(size)
    _run(["mkfs.ext4", "-q", "-F", "-L", guest_files.ROOT_LABEL, "-d", str(tree), str(rootfs)], log)
    cache.remove_tree(tree)
    cache.remove_tree(early)

    manifest: dict[str, Any] = {
        "key": key,
        "recipe": recipe.canonical(),
        "kernel_release": kernel.name.removeprefix("vmlinuz-"),
        "disk_bytes": size,
        "build_seconds": round(time.monotonic() - started, 1),
        "mmdebstrap_seconds": round(debootstrap_seconds, 1),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    image = cache.publish(work, key, manifest, root)
    # One image per machine is enough; an old recipe's image is only disk space now (a guest
    # still running from it keeps its open file).
    for old in cache.others(key, root):
        shutil.rmtree(old, ignore_errors=True)
        (root / f".lock-{old.name}").unlink(missing_ok=True)
    say(f"image {key} ready in {image.path}")
    return image
