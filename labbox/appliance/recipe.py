"""What goes into the guest's disk image, and the key that names a build of it.

The cache key is a hash of everything that changes the image's contents: the Debian suite,
the package list, and ``BUILD_VERSION``, which is bumped whenever the build steps themselves
change (files written into the tree, boot settings). The mirror is deliberately not part of
the key: any mirror of the same suite gives the same image, and a machine moving to another
mirror should not rebuild.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

# Bump when build.py or guest_files.py change what ends up in the image.
BUILD_VERSION = 2

SUITE = "bookworm"

PACKAGES: tuple[str, ...] = (
    # Debian's kernel carries esp4/xfrm as modules (the host kernel has no ESP).
    "linux-image-amd64",
    "initramfs-tools",
    "kmod",
    # Boot: systemd as PID 1, udev for the device units fstab waits on, dbus for logind/systemctl.
    "systemd",
    "systemd-sysv",
    "udev",
    "dbus",
    # How Ansible and the tests reach the guest, and what EC2 hosts are expected to have.
    "openssh-server",
    "python3",
    "libreswan",
    "iproute2",
    "iptables",
    "iputils-ping",
    "procps",
)


@dataclass(frozen=True)
class Recipe:
    """An image recipe: Debian suite, packages and build-steps version."""

    suite: str = SUITE
    packages: tuple[str, ...] = PACKAGES
    build_version: int = BUILD_VERSION
    extra: tuple[str, ...] = field(default=())

    def all_packages(self) -> list[str]:
        """The sorted, de-duplicated package list (order must not change the key)."""
        return sorted(set(self.packages) | set(self.extra))

    def canonical(self) -> str:
        """A stable text form of the recipe: what the key hashes."""
        return json.dumps(
            {"suite": self.suite, "packages": self.all_packages(), "build_version": self.build_version},
            sort_keys=True,
            separators=(",", ":"),
        )

    def key(self) -> str:
        """The cache key: 16 hex digits of the canonical form's SHA-256, prefixed by the suite."""
        digest = hashlib.sha256(self.canonical().encode()).hexdigest()[:16]
        return f"{self.suite}-{digest}"


def default() -> Recipe:
    """The recipe the data plane boots."""
    return Recipe()
