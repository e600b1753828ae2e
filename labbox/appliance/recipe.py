"""What goes into the guest's disk image, and the key that names a build of it.

The image holds two Debian trees: the guest's own root (kernel, systemd, QEMU-side tools,
the data plane's network and container tools), and under ``AMI_DIR`` the "AMI" that every EC2
instance of the twin boots from (systemd, sshd, python3, Libreswan as the lab's user data
would install it, sudo for ``ec2-user``), shared read-only by the instances' overlays.

The cache key is a hash of everything that changes the image's contents: the Debian suite,
both package lists, and ``BUILD_VERSION``, which is bumped whenever the build steps themselves
change (files written into the tree, boot settings). The mirror is deliberately not part of
the key: any mirror of the same suite gives the same image, and a machine moving to another
mirror should not rebuild.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

# Bump when build.py or guest_files.py change what ends up in the image.
BUILD_VERSION = 7

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
    # The data plane: EC2 instances as systemd-nspawn machines, security groups, NAT and
    # routing with nftables, packet captures for diagnosis.
    "systemd-container",
    "nftables",
    "tcpdump",
)

# Where the instances' shared root tree lives inside the guest.
AMI_DIR = "var/lib/labbox/ami"

AMI_PACKAGES: tuple[str, ...] = (
    # An EC2 host as Ansible expects it: systemd, sshd, python3, a sudo-capable user.
    "systemd",
    "systemd-sysv",
    "dbus",
    "openssh-server",
    "python3",
    "sudo",
    # The lab's software: the customer gateway runs Libreswan and clamps the TCP MSS through its
    # tunnels with nftables (the openswan role installs neither where they are present, and the
    # instances have no mirror to install from); every host pings.
    "libreswan",
    "nftables",
    "kmod",
    "iproute2",
    "iputils-ping",
    "procps",
)


@dataclass(frozen=True)
class Recipe:
    """An image recipe: Debian suite, packages and build-steps version."""

    suite: str = SUITE
    packages: tuple[str, ...] = PACKAGES
    ami_packages: tuple[str, ...] = AMI_PACKAGES
    build_version: int = BUILD_VERSION
    extra: tuple[str, ...] = field(default=())

    def all_packages(self) -> list[str]:
        """The sorted, de-duplicated package list (order must not change the key)."""
        return sorted(set(self.packages) | set(self.extra))

    def all_ami_packages(self) -> list[str]:
        """The instances' tree's sorted, de-duplicated package list."""
        return sorted(set(self.ami_packages))

    def canonical(self) -> str:
        """A stable text form of the recipe: what the key hashes."""
        return json.dumps(
            {
                "suite": self.suite,
                "packages": self.all_packages(),
                "ami_packages": self.all_ami_packages(),
                "build_version": self.build_version,
            },
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
