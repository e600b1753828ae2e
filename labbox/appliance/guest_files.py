"""What the build writes into the Debian tree so that it boots as the twin's guest.

The guest boots its kernel directly (``-kernel/-initrd``) with the root file system on the
first virtio disk, logs to the serial console, and is reached only through SSH on QEMU's
user-mode network. Choices that matter:

* Root logs in with a key that the boot passes on the kernel command line
  (``labbox.ssh_key=<base64 of an OpenSSH public key>``). sshd asks a tiny script for the
  authorised keys (``AuthorizedKeysCommand``), and the script reads ``/proc/cmdline``. So the
  cached image holds no key at all, each run brings its own, and nothing has to run before
  sshd to install it. Root has no password.
* The management interface gets QEMU's fixed guest address with no gateway: the guest has no
  route off the machine, on top of QEMU's ``restrict=on``.
* The initrd carries only what mounts the root file system (virtio disk, ext4) instead of
  Debian's default "most modules": a third of the size, and under TCG every megabyte unpacked
  and every module udev loads at boot costs noticeable time. These settings are put in place
  before the kernel package is installed (``EARLY_FILES``), so the initrd is generated once.
* Units that only cost boot time in a throwaway guest (apt timers, waiting for the network,
  file system scrubs) are masked; ``ipsec.service`` is disabled so the data plane starts
  Libreswan with its own configuration when it needs it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

HOSTNAME = "labbox-appliance"
ROOT_LABEL = "labbox-root"
KEY_PARAMETER = "labbox.ssh_key"
# QEMU user networking's fixed guest address; the host side is 10.0.2.2.
MGMT_ADDRESS = "10.0.2.15/24"
# The user-mode card's address (labbox.appliance.qemu gives it this one): the management
# network is set on that card only, never on a second card the guest may have (public_route).
MGMT_MAC = "52:54:00:12:34:56"

KEY_SCRIPT = "/usr/local/sbin/labbox-boot-key"

_KEY_SCRIPT_TEXT = f"""#!/bin/sh
# sshd's AuthorizedKeysCommand: root's key is the one this boot was given on the kernel
# command line ({KEY_PARAMETER}=<base64 of the public key>); nobody else has one.
[ "$1" = root ] || exit 0
for word in $(cat /proc/cmdline); do
  case "$word" in
    {KEY_PARAMETER}=*) printf '%s' "${{word#{KEY_PARAMETER}=}}" | base64 -d; echo ;;
  esac
done
"""

FILES: dict[str, tuple[str, int]] = {
    "etc/hostname": (f"{HOSTNAME}\n", 0o644),
    "etc/hosts": (f"127.0.0.1 localhost\n127.0.1.1 {HOSTNAME}\n::1 localhost ip6-localhost ip6-loopback\n", 0o644),
    # No fsck at boot: the disk is a fresh image under a QEMU snapshot every time.
    "etc/fstab": (f"LABEL={ROOT_LABEL} / ext4 rw,errors=remount-ro 0 0\n", 0o644),
    "etc/systemd/network/10-mgmt.network": (
        f"[Match]\nMACAddress={MGMT_MAC}\n\n[Network]\nAddress={MGMT_ADDRESS}\n# No gateway: nothing leaves the machine.\n",
        0o644,
    ),
    "etc/ssh/sshd_config.d/labbox.conf": (
        f"AuthorizedKeysCommand {KEY_SCRIPT} %u\nAuthorizedKeysCommandUser nobody\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n",
        0o644,
    ),
    KEY_SCRIPT.lstrip("/"): (_KEY_SCRIPT_TEXT, 0o755),
    # Empty: systemd makes a fresh machine id on each boot of the snapshot.
    "etc/machine-id": ("", 0o444),
}

_INITRAMFS_HOOK_TEXT = """#!/bin/sh
# The guest's root is ext4 on a virtio disk; with MODULES=list nothing else is needed to mount it.
case "$1" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for module in virtio_pci virtio_blk ext4; do
  force_load "$module"
done
"""

# Written into the tree before any package beyond the essential set is installed.
EARLY_FILES: dict[str, tuple[str, int]] = {
    "etc/initramfs-tools/conf.d/labbox.conf": ("MODULES=list\n", 0o644),
    "etc/initramfs-tools/hooks/labbox-root-modules": (_INITRAMFS_HOOK_TEXT, 0o755),
}

ENABLE = ("systemd-networkd.service", "ssh.service")
DISABLE = ("ipsec.service",)
MASK = (
    "systemd-networkd-wait-online.service",
    "apt-daily.timer",
    "apt-daily-upgrade.timer",
    "e2scrub_all.timer",
    "e2scrub_reap.service",
    "fstrim.timer",
    "man-db.timer",
)


def write(tree: Path, files: dict[str, tuple[str, int]]) -> None:
    """Write ``files`` (path relative to the root: text, mode) under ``tree``."""
    for relative, (text, mode) in files.items():
        path = tree / relative
        for parent in reversed(Path(relative).parents[:-1]):
            directory = tree / parent
            if not directory.is_dir():  # new directories are world-readable whatever the umask
                directory.mkdir()
                directory.chmod(0o755)
        if path.is_symlink():
            path.unlink()
        path.write_text(text)
        path.chmod(mode)


def install(tree: Path) -> None:
    """Write the guest's files into ``tree`` and set which units start at boot."""
    write(tree, FILES)
    # An offline `systemctl` in the tree only edits symlinks; nothing runs.
    subprocess.run(["chroot", str(tree), "systemctl", "enable", *ENABLE], check=True, capture_output=True)
    subprocess.run(["chroot", str(tree), "systemctl", "disable", *DISABLE], check=True, capture_output=True)
    subprocess.run(["chroot", str(tree), "systemctl", "mask", *MASK], check=True, capture_output=True)
