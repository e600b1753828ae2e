"""Only a QEMU whose serial console is this run's log counts as ours, and stopping it stops just it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from labbox.appliance import process


@pytest.fixture
def fake_qemu(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A process whose command line looks like our QEMU's (argv[0] qemu-system-*, -serial file:LOG)."""
    console = tmp_path / "console.log"
    child = subprocess.Popen(
        ["qemu-system-x86_64", "-c", "import time; time.sleep(60)", "-serial", f"file:{console}"],
        executable=sys.executable,
    )
    try:
        yield child, console
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_qemu_with_this_runs_console_is_ours(fake_qemu: tuple[subprocess.Popen[bytes], Path]) -> None:
    child, console = fake_qemu
    assert process.is_ours(child.pid, console)


def test_qemu_of_another_run_is_not_ours_and_is_not_stopped(
    fake_qemu: tuple[subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    child, _console = fake_qemu
    other = tmp_path / "other" / "console.log"
    assert not process.is_ours(child.pid, other)
    assert process.stop(child.pid, other) is False
    assert child.poll() is None


def test_stop_terminates_our_qemu(fake_qemu: tuple[subprocess.Popen[bytes], Path]) -> None:
    child, console = fake_qemu
    assert process.stop(child.pid, console, timeout=10) is True
    # is_ours reaps its own children, so the process is gone from /proc, not left a zombie.
    assert not Path(f"/proc/{child.pid}").exists()
    assert not process.is_ours(child.pid, console)
    child.wait(timeout=5)


def test_this_test_process_is_not_ours(tmp_path: Path) -> None:
    assert not process.is_ours(os.getpid(), tmp_path / "console.log")
