"""Where built images live, and how a build becomes visible only when complete.

Layout: ``<cache>/<recipe key>/`` holds ``rootfs.ext4``, ``vmlinuz``, ``initrd.img`` and
``manifest.json``. A build works in ``<cache>/.build-<key>-<pid>/`` and is published by one
``rename`` into place, so a directory named after a key is always a whole image: an
interrupted build leaves only a ``.build-*`` directory, which the next build for that key
removes (builds of one key are serialised by a lock file, so any such directory left when
the lock is held is stale). ``manifest.json`` is written last, and an image counts as present
only when it and the three files exist.

The cache directory is ``$LABBOX_APPLIANCE_CACHE``, else ``$XDG_CACHE_HOME/hybridlab/appliance``
(``XDG_CACHE_HOME`` defaulting to ``~/.cache``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOTFS = "rootfs.ext4"
KERNEL = "vmlinuz"
INITRD = "initrd.img"
MANIFEST = "manifest.json"


def directory() -> Path:
    """The cache directory (not created)."""
    explicit = os.environ.get("LABBOX_APPLIANCE_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "hybridlab" / "appliance"


@dataclass(frozen=True)
class Image:
    """A complete, published image."""

    path: Path

    @property
    def rootfs(self) -> Path:
        return self.path / ROOTFS

    @property
    def kernel(self) -> Path:
        return self.path / KERNEL

    @property
    def initrd(self) -> Path:
        return self.path / INITRD

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / MANIFEST).read_text())
        return data


def find(key: str, cache_dir: Path | None = None) -> Image | None:
    """The published image for ``key``, or None when there is none (or only a partial one)."""
    path = (cache_dir or directory()) / key
    image = Image(path)
    needed = (image.rootfs, image.kernel, image.initrd, path / MANIFEST)
    return image if all(p.is_file() for p in needed) else None


@contextmanager
def build_lock(key: str, cache_dir: Path | None = None) -> Iterator[Path]:
    """Hold the build lock of ``key``; yields the cache directory."""
    root = cache_dir or directory()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".lock-{key}", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield root
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _mounts_under(path: Path) -> list[Path]:
    """Mount points at or below ``path``, deepest first (from /proc/self/mounts)."""
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return []
    root = os.path.realpath(path)
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) < 2:
            continue
        # Spaces and the like are octal-escaped in /proc/self/mounts.
        point = fields[1].encode().decode("unicode_escape")
        if point == root or point.startswith(root + "/"):
            found.append(Path(point))
    return sorted(found, key=lambda p: len(p.parts), reverse=True)


def remove_tree(path: Path) -> None:
    """Delete a build's work directory, never through a mount left inside it.

    mmdebstrap mounts /proc, /sys and device nodes into the tree while it runs; if it was killed
    they stay mounted, and deleting through them would reach the host's own files. They are
    unmounted first, and the directory is left alone if any cannot be.
    """
    for point in _mounts_under(path):
        subprocess.run(["umount", "--lazy", str(point)], check=False, capture_output=True)
    remaining = _mounts_under(path)
    if remaining:
        raise RuntimeError(f"{path} still has mounts inside ({', '.join(map(str, remaining))}); not deleting it")
    shutil.rmtree(path, ignore_errors=True)


def remove_stale(key: str, cache_dir: Path) -> list[Path]:
    """Remove leftovers of interrupted builds of ``key`` (call with the lock held)."""
    removed = []
    for leftover in sorted(cache_dir.glob(f".build-{key}-*")):
        remove_tree(leftover)
        removed.append(leftover)
    return removed


def staging(key: str, cache_dir: Path) -> Path:
    """A fresh, empty work directory for one build of ``key``."""
    work = cache_dir / f".build-{key}-{os.getpid()}"
    remove_tree(work)
    work.mkdir(parents=True)
    return work


def publish(work: Path, key: str, manifest: dict[str, Any], cache_dir: Path) -> Image:
    """Write the manifest, then move ``work`` into place as the image of ``key`` in one rename."""
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    target = cache_dir / key
    if target.exists():  # a partial directory by that name (only manifest-less ones can exist here)
        shutil.rmtree(target)
    os.rename(work, target)
    return Image(target)


def others(key: str, cache_dir: Path | None = None) -> list[Path]:
    """Published images of other recipes (candidates for pruning)."""
    root = cache_dir or directory()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != key)
