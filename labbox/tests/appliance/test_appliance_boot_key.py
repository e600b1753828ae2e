"""Root's SSH key reaches the guest on the kernel command line and only root gets it."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from labbox.appliance import guest_files, ssh


def _guest_key_script(tmp_path: Path, cmdline: str) -> Path:
    """The guest's AuthorizedKeysCommand, reading a file of ours instead of /proc/cmdline."""
    fake = tmp_path / "cmdline"
    fake.write_text(cmdline + "\n")
    text, _mode = guest_files.FILES[guest_files.KEY_SCRIPT.lstrip("/")]
    assert "/proc/cmdline" in text
    script = tmp_path / "labbox-boot-key"
    script.write_text(text.replace("/proc/cmdline", str(fake)))
    return script


def test_generated_public_key_round_trips_through_the_kernel_command_line(tmp_path: Path) -> None:
    private = ssh.generate_key(tmp_path)
    public = private.with_name(private.name + ".pub").read_text().strip()
    parameter = ssh.key_parameter(private)
    assert " " not in parameter
    script = _guest_key_script(tmp_path, f"console=ttyS0 root=/dev/vda rw {parameter} quiet")
    answer = subprocess.run(["sh", str(script), "root"], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == public


def test_users_other_than_root_get_no_key(tmp_path: Path) -> None:
    private = ssh.generate_key(tmp_path)
    script = _guest_key_script(tmp_path, f"quiet {ssh.key_parameter(private)}")
    answer = subprocess.run(["sh", str(script), "nobody"], capture_output=True, text=True, check=True)
    assert answer.stdout == ""


def test_each_run_gets_a_new_key(tmp_path: Path) -> None:
    first = ssh.key_parameter(ssh.generate_key(tmp_path))
    second = ssh.key_parameter(ssh.generate_key(tmp_path))
    assert first != second


def test_sshd_asks_the_script_and_refuses_passwords() -> None:
    text, _mode = guest_files.FILES["etc/ssh/sshd_config.d/labbox.conf"]
    assert f"AuthorizedKeysCommand {guest_files.KEY_SCRIPT} %u" in text
    assert "PasswordAuthentication no" in text


def test_guest_network_has_no_gateway() -> None:
    text, _mode = guest_files.FILES["etc/systemd/network/10-mgmt.network"]
    assert "Address=10.0.2.15/24" in text
    assert "Gateway" not in text.replace("# No gateway", "")


def test_early_files_land_world_readable_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        guest_files.write(tmp_path, guest_files.EARLY_FILES)
    finally:
        os.umask(old)
    hook = tmp_path / "etc/initramfs-tools/hooks/labbox-root-modules"
    assert stat.S_IMODE(hook.stat().st_mode) == 0o755
    for directory in (tmp_path / "etc", tmp_path / "etc/initramfs-tools", hook.parent):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o755
    assert (tmp_path / "etc/initramfs-tools/conf.d/labbox.conf").read_text() == "MODULES=list\n"
