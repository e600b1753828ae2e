"""The QEMU command line that boots the guest.

Direct kernel boot of the cached kernel/initrd with the cached ext4 image as the only disk,
opened with ``snapshot=on`` so the guest's writes go to a throwaway overlay and the cache stays
pristine. The only network is QEMU's user-mode stack with ``restrict=on`` (the guest cannot
reach anything outside QEMU) and one forward from a loopback port on the host to the guest's
sshd. No display, no monitor: the serial console is written to a file, which is what a failed
boot is diagnosed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from labbox.appliance.cache import Image
from labbox.appliance.guest_files import MGMT_MAC

QEMU = "qemu-system-x86_64"
GUEST_NAME = "labbox-appliance"


@dataclass(frozen=True)
class Accel:
    """How QEMU executes the guest: ``kvm`` (hardware) or ``tcg`` (emulation), and why."""

    name: str
    reason: str = ""

    def arguments(self) -> list[str]:
        if self.name == "kvm":
            return ["-accel", "kvm", "-cpu", "host"]
        # A larger translation cache than the default halves TCG boot time on this kind of host.
        return ["-accel", "tcg,tb-size=256", "-cpu", "max"]


@dataclass(frozen=True)
class Machine:
    """Size of the guest."""

    cpus: int = 2
    memory_mib: int = 1536


def kernel_cmdline(key_parameter: str) -> str:
    """Boot parameters: serial console, root on the virtio disk, QEMU exits on a kernel panic."""
    return " ".join(
        [
            "console=ttyS0",
            "root=/dev/vda",
            "rootfstype=ext4",
            "rw",
            "panic=-1",
            "quiet",
            "systemd.show_status=1",
            key_parameter,
        ]
    )


def command(
    image: Image,
    accel: Accel,
    ssh_port: int,
    console_log: Path,
    key_parameter: str,
    machine: Machine = Machine(),
) -> list[str]:
    """The full argv to boot ``image`` with sshd reachable on ``127.0.0.1:ssh_port``."""
    return [
        QEMU,
        "-name",
        GUEST_NAME,
        *accel.arguments(),
        "-smp",
        str(machine.cpus),
        "-m",
        str(machine.memory_mib),
        "-nodefaults",
        "-display",
        "none",
        # With panic=-1 a kernel panic reboots at once; -no-reboot turns that into QEMU exiting.
        "-no-reboot",
        "-serial",
        f"file:{console_log}",
        "-kernel",
        str(image.kernel),
        "-initrd",
        str(image.initrd),
        "-append",
        kernel_cmdline(key_parameter),
        "-drive",
        f"file={image.rootfs},if=virtio,format=raw,snapshot=on",
        "-nic",
        f"user,model=virtio-net-pci,mac={MGMT_MAC},restrict=on,hostfwd=tcp:127.0.0.1:{ssh_port}-:22",
        # Entropy for sshd and the guest's crypto from the first second.
        "-device",
        "virtio-rng-pci",
    ]
