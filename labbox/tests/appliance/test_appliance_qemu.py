"""The guest boots from a pristine snapshot with no way off the machine but SSH on loopback."""

from __future__ import annotations

from pathlib import Path

from labbox.appliance import qemu
from labbox.appliance.cache import Image

IMAGE = Image(Path("/cache/bookworm-abc"))


def _argv(accel: str = "tcg", port: int = 40022) -> list[str]:
    return qemu.command(IMAGE, qemu.Accel(accel), port, Path("/run/console.log"), "labbox.ssh_key=QUJD")


def _value(argv: list[str], option: str) -> str:
    return argv[argv.index(option) + 1]


def test_disk_is_the_cached_image_opened_as_a_snapshot() -> None:
    drive = _value(_argv(), "-drive")
    assert drive == f"file={IMAGE.rootfs},if=virtio,format=raw,snapshot=on"
    assert _argv().count("-drive") == 1


def test_only_network_is_restricted_user_mode_with_ssh_on_loopback() -> None:
    argv = _argv(port=40123)
    assert argv.count("-nic") == 1 and "-netdev" not in argv
    nic = _value(argv, "-nic")
    assert nic.startswith("user,") and "restrict=on" in nic.split(",")
    assert "hostfwd=tcp:127.0.0.1:40123-:22" in nic.split(",")
    assert "-nodefaults" in argv


def test_tcg_guest_has_two_cpus_and_1536_mib() -> None:
    argv = _argv()
    assert _value(argv, "-accel") == "tcg,tb-size=256"
    assert _value(argv, "-cpu") == "max"
    assert _value(argv, "-smp") == "2"
    assert _value(argv, "-m") == "1536"


def test_kvm_guest_uses_the_host_cpu() -> None:
    argv = _argv("kvm")
    assert _value(argv, "-accel") == "kvm"
    assert _value(argv, "-cpu") == "host"


def test_direct_kernel_boot_with_the_run_key_and_serial_log() -> None:
    argv = _argv()
    assert _value(argv, "-kernel") == str(IMAGE.kernel)
    assert _value(argv, "-initrd") == str(IMAGE.initrd)
    append = _value(argv, "-append").split()
    assert {"console=ttyS0", "root=/dev/vda", "panic=-1", "labbox.ssh_key=QUJD"} <= set(append)
    assert _value(argv, "-serial") == "file:/run/console.log"
    assert "-no-reboot" in argv
