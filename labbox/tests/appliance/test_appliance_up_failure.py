"""A guest that dies while booting is reported with its serial console, and nothing is left running."""

from __future__ import annotations

from pathlib import Path

import pytest

from labbox.appliance import cache, control, qemu
from labbox.appliance.recipe import default

# Stands in for QEMU: writes a panic to the file given as ``-serial file:PATH`` and exits 1.
FAKE_QEMU = """#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in -serial) console="${2#file:}"; shift ;; esac
  shift
done
echo "Kernel panic - not syncing: VFS: Unable to mount root fs" > "$console"
echo "fake qemu: guest died" >&2
exit 1
"""


def test_guest_dying_during_boot_raises_with_console_and_leaves_no_state(
    appliance_cache: Path, labbox_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = default().key()
    appliance_cache.mkdir(parents=True)
    work = cache.staging(key, appliance_cache)
    for name in (cache.ROOTFS, cache.KERNEL, cache.INITRD):
        (work / name).write_bytes(b"x")
    cache.publish(work, key, {"kernel_release": "test"}, appliance_cache)
    fake = tmp_path / "qemu-system-fake"
    fake.write_text(FAKE_QEMU)
    fake.chmod(0o755)
    monkeypatch.setattr(qemu, "QEMU", str(fake))
    monkeypatch.setenv("LABBOX_APPLIANCE_ACCEL", "tcg")

    with pytest.raises(control.ApplianceError) as raised:
        control.up(timeout=30)
    message = str(raised.value)
    assert "QEMU exited with code 1" in message
    assert "Unable to mount root fs" in message
    assert "fake qemu: guest died" in message
    assert control.status() is None
    assert not (control.run_dir() / control.STATE).exists()
