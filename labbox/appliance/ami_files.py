"""What the build writes into the instances' tree (the twin's "AMI") so it boots as an EC2 host.

Every EC2 instance of the twin is a systemd-nspawn machine whose root is an overlay on this
tree (see ``labbox.dataplane``). It is made to look like the lab's Amazon Linux hosts where
Ansible can tell: a ``ec2-user`` with password-less sudo, sshd with keys only, systemd as
PID 1. What is per instance is written by the data plane into the instance's own upper layer,
never here: the host key (so no two instances share one), the authorised key, the hostname,
``/etc/hosts``. The network is configured from outside the machine, as EC2's DHCP would, so
no network manager runs inside. ``ipsec.service`` and ``nftables.service`` start disabled:
enabling ipsec is the ``openswan`` role's job, as on AWS.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from labbox.appliance.guest_files import write

USER = "ec2-user"

FILES: dict[str, tuple[str, int]] = {
    "etc/ssh/sshd_config.d/labbox-instance.conf": (
        # Only the per-instance ed25519 key the data plane writes; no shared RSA/ECDSA keys.
        "HostKey /etc/ssh/ssh_host_ed25519_key\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nUseDNS no\n",
        0o644,
    ),
    f"etc/sudoers.d/90-{USER}": (f"{USER} ALL=(ALL) NOPASSWD:ALL\n", 0o440),
    "etc/fstab": ("", 0o644),
    "etc/machine-id": ("", 0o444),
}

# Off until a role turns them on, as on Amazon Linux 2023: ipsec is the openswan role's to
# enable; nftables.service (the host's whole ruleset) is not used by the lab, whose gateway
# loads its own table with a unit of its own.
DISABLE = ("ipsec.service", "nftables.service")
MASK = (
    "systemd-networkd-wait-online.service",
    "apt-daily.timer",
    "apt-daily-upgrade.timer",
    "dpkg-db-backup.timer",
    "e2scrub_all.timer",
    "e2scrub_reap.service",
    "fstrim.timer",
    "systemd-timesyncd.service",
    # Boot steps an instance of the lab has no use for, each 0.3-1.1 s of an emulated boot
    # (systemd-analyze blame in an instance): nine instances boot at once in a class of three.
    # The packages' system users exist since the build; no utmp for `who`; an empty fstab to
    # remount; no huge pages. (The journal is still flushed to disk: kept in /run, it would
    # cost each instance some 8 MiB of the guest's memory.)
    "systemd-sysusers.service",
    "systemd-update-utmp.service",
    "systemd-update-utmp-runlevel.service",
    "systemd-remount-fs.service",
    "dev-hugepages.mount",
)
# Generators run at every boot and every daemon-reload (the roles reload systemd for new
# units); none has anything to do in a machine with an empty fstab, no disks of its own, no
# SysV scripts without a unit and no kernel command line: each reload takes ~0.5 s less.
GENERATORS_DIR = "lib/systemd/system-generators"


def _chroot(tree: Path, *argv: str) -> None:
    subprocess.run(["chroot", str(tree), *argv], check=True, capture_output=True)


def install(tree: Path) -> None:
    """Make the instances' tree an EC2-like host (run once, at image build)."""
    _chroot(tree, "useradd", "--create-home", "--shell", "/bin/bash", "--user-group", USER)
    write(tree, FILES)
    for key in (tree / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    _chroot(tree, "systemctl", "disable", *DISABLE)
    _chroot(tree, "systemctl", "mask", *MASK)
    # A link to /dev/null in /etc/systemd/system-generators turns a generator off.
    off = tree / "etc/systemd/system-generators"
    off.mkdir(parents=True, exist_ok=True)
    for generator in sorted((tree / GENERATORS_DIR).iterdir()):
        (off / generator.name).symlink_to("/dev/null")
