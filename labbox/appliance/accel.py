"""Choosing KVM or TCG.

KVM is used only when ``/dev/kvm`` can be opened *and* a short probe boot under KVM gets the
guest's kernel to run to completion: on some hosts ``/dev/kvm`` exists but a Debian kernel hangs
under it. The probe boots the image's kernel with no initrd and a root device that does not
exist; a working KVM reaches the "cannot mount root" panic in a second or two and QEMU exits
(``-no-reboot``); a hang is cut off after a timeout. Everything else runs under TCG, which is
slower but works everywhere. The probe's verdict is remembered per host kernel and image, so it
costs its timeout at most once per host kernel and guest kernel.

``LABBOX_APPLIANCE_ACCEL`` (``auto``, ``kvm`` or ``tcg``) overrides the choice.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Callable
from pathlib import Path

from labbox.appliance.cache import Image
from labbox.appliance.qemu import QEMU, Accel

KVM_DEVICE = Path("/dev/kvm")
PROBE_TIMEOUT = 20.0
# What the kernel prints when it ran all the way to mounting the (missing) root file system.
PROBE_MARKERS = ("Kernel panic", "VFS:")


def kvm_device_usable(device: Path = KVM_DEVICE) -> bool:
    """``/dev/kvm`` exists and this user may open it."""
    return device.exists() and os.access(device, os.R_OK | os.W_OK)


def probe_command(image: Image) -> list[str]:
    """A tiny KVM boot of the image's kernel that ends in a root-mount panic."""
    return [
        QEMU,
        "-accel",
        "kvm",
        "-cpu",
        "host",
        "-m",
        "256",
        "-nodefaults",
        "-display",
        "none",
        "-no-reboot",
        "-serial",
        "stdio",
        "-kernel",
        str(image.kernel),
        "-append",
        "console=ttyS0 panic=-1 root=/dev/labbox-no-such-disk",
    ]


def probe_kvm(image: Image, timeout: float = PROBE_TIMEOUT) -> bool:
    """True when the image's kernel boots to its root-mount panic under KVM within ``timeout``."""
    try:
        result = subprocess.run(
            probe_command(image), capture_output=True, text=True, errors="replace", timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:  # subprocess.run kills the probe it started
        return False
    except OSError:
        return False
    return all(marker in result.stdout for marker in PROBE_MARKERS)


def _verdict_file(image: Image, cache_dir: Path) -> Path:
    # Per host kernel and guest kernel: a rebuilt image with the same kernel needs no new probe.
    try:
        guest_kernel = str(image.manifest()["kernel_release"])
    except (OSError, ValueError, KeyError):
        guest_kernel = image.path.name
    return cache_dir / f".kvm-probe-{platform.release()}-{guest_kernel}.json"


def choose(
    image: Image,
    cache_dir: Path,
    override: str | None = None,
    device_usable: Callable[[], bool] = kvm_device_usable,
    probe: Callable[[Image], bool] = probe_kvm,
) -> Accel:
    """KVM when it is there and proven to boot this kernel, else TCG (see the module docstring)."""
    wanted = (override if override is not None else os.environ.get("LABBOX_APPLIANCE_ACCEL", "auto")).lower()
    if wanted == "tcg":
        return Accel("tcg", "LABBOX_APPLIANCE_ACCEL=tcg")
    if wanted == "kvm":
        return Accel("kvm", "LABBOX_APPLIANCE_ACCEL=kvm")
    if wanted != "auto":
        raise ValueError(f"LABBOX_APPLIANCE_ACCEL must be auto, kvm or tcg, not {wanted!r}")
    if not device_usable():
        return Accel("tcg", f"{KVM_DEVICE} is missing or not accessible")
    verdict_file = _verdict_file(image, cache_dir)
    try:
        works = bool(json.loads(verdict_file.read_text())["kvm_boots"])
    except (OSError, ValueError, KeyError):
        works = probe(image)
        verdict_file.parent.mkdir(parents=True, exist_ok=True)
        verdict_file.write_text(json.dumps({"kvm_boots": works}) + "\n")
    if works:
        return Accel("kvm", "a probe boot under KVM succeeded")
    return Accel("tcg", "a probe boot under KVM did not finish (KVM hangs on this host)")
