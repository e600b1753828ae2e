"""End to end: the cached image boots under QEMU, answers SSH as root, and has ESP and Libreswan.

One test, in order: build the image when the cache has none (once per recipe), boot it under
whatever ``accel.choose`` picks (TCG where KVM hangs), check over SSH what the data plane relies
on, stop exactly the QEMU that was started, and check that the cached image was not written to.
It is one test so that no scheduling (``-k``, xdist) can run a check on a guest already stopped.
Timings are printed (``pytest -s``); the boot is bounded by ``control.BOOT_TIMEOUT``.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from labbox.appliance import build, control, process
from labbox.appliance.recipe import default
from labbox.dataplane import control as dataplane

pytestmark = pytest.mark.appliance


def _ok(command: str, timeout: float = 120.0) -> str:
    result = control.run(["sh", "-c", command], timeout=timeout)
    assert result.returncode == 0, f"{command!r} exited {result.returncode}: {result.stdout}{result.stderr}"
    return result.stdout


def _check_guest(kernel_release: str) -> None:
    assert _ok("uname -r").strip() == kernel_release

    assert _ok("modprobe esp4 && lsmod | grep esp4").split()[0] == "esp4"
    assert "Libreswan" in _ok("ipsec --version")
    assert _ok("python3 --version").startswith("Python 3.11")

    state = control.run(["timeout", "120", "systemctl", "is-system-running", "--wait"], timeout=150)
    failed = control.run(["systemctl", "--failed", "--no-legend"], timeout=30).stdout
    assert state.stdout.strip() == "running", f"state {state.stdout.strip()!r}, failed units: {failed}"

    routes = _ok("ip route")
    assert "default" not in routes, "the guest must have no route off the machine"
    assert "10.0.2.0/24" in routes

    memory = _ok("free -m").splitlines()[1].split()
    total, used = int(memory[1]), int(memory[2])
    print(f"appliance guest memory: total {total} MiB, used {used} MiB (free -m)")
    assert total > 1200
    assert used < 600

    # The instances' tree: an EC2-like host with no host key of its own (each instance gets one).
    ami = "/var/lib/labbox/ami"
    assert _ok(f"chroot {ami} id -u ec2-user").strip() == "1000"
    assert _ok(f"chroot {ami} sudo -l -U ec2-user").count("NOPASSWD: ALL") == 1
    assert _ok(f"ls {ami}/etc/ssh/").split().count("ssh_host_ed25519_key") == 0
    assert "Libreswan" in _ok(f"chroot {ami} ipsec --version")
    # What an instance's boot and its daemon-reloads leave out (ami_files): every generator, and
    # the masked boot steps.
    generators = _ok(f"ls {ami}/lib/systemd/system-generators").split()
    assert generators and _ok(f"ls {ami}/etc/systemd/system-generators").split() == generators
    assert _ok(f"readlink {ami}/etc/systemd/system/systemd-sysusers.service").strip() == "/dev/null"
    assert _ok("systemd-nspawn --version").startswith("systemd")

    _ok("echo written > /root/written && sync")
    assert _ok("cat /root/written").strip() == "written"


def _logins() -> int:
    """sshd's accepted logins since the guest booted (this call's own included)."""
    return int(_ok("journalctl -u ssh -o cat | grep -c '^Accepted'").strip())


def _check_jumps_share_one_connection() -> Path:
    """Through the data plane's ssh_config, connections to the appliance ride on one kept connection."""
    config = dataplane.write_ssh_config()
    before = _logins()
    for _ in range(3):
        result = subprocess.run(["ssh", "-F", str(config), "labbox-appliance", "true"],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
    # The kept connection's one login, and _logins' own.
    assert _logins() - before == 2
    socket = config.parent / dataplane.MUX_SOCKET
    assert socket.is_socket()
    return socket


def test_appliance_boots_answers_ssh_and_carries_esp_and_libreswan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABBOX_HOME", str(tmp_path / "home"))
    started = time.monotonic()
    image = build.ensure(default())
    manifest = image.manifest()
    print(f"\nappliance image {image.path.name}: ensure {time.monotonic() - started:.1f} s "
          f"(its cold build took {manifest['build_seconds']} s, mmdebstrap {manifest['mmdebstrap_seconds']} s)")
    before = os.stat(image.rootfs)

    guest = control.up()
    try:
        print(f"appliance boot to SSH: {guest.boot_seconds} s under {guest.accel} ({guest.accel_reason})")
        assert control.status() == guest
        _check_guest(str(manifest["kernel_release"]))
        mux = _check_jumps_share_one_connection()
    finally:
        stopped = control.down()

    assert stopped is True
    assert not process.is_ours(guest.pid, control.console_log())
    assert control.status() is None
    # The kept connection ends with the guest: nothing of the twin's stays behind.
    deadline = time.monotonic() + 30
    while mux.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not mux.exists(), "the kept connection to the appliance outlived it"
    # snapshot=on: the guest's writes went to QEMU's throwaway overlay, never to the cached file.
    after = os.stat(image.rootfs)
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
