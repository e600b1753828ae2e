"""``labbox appliance`` reports a stopped guest and never signals a process it did not start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from labbox.appliance import control, process


def _labbox(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABBOX_")}
    env["LABBOX_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "labbox", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_status_of_a_guest_never_started_is_stopped(tmp_path: Path) -> None:
    result = _labbox(tmp_path, "appliance", "status")
    assert result.returncode == 3
    assert "stopped" in result.stdout


def test_ssh_without_a_guest_says_so(tmp_path: Path) -> None:
    result = _labbox(tmp_path, "appliance", "ssh", "--", "true")
    assert result.returncode == 3
    assert "not running" in result.stderr


def test_down_without_a_guest_is_harmless(tmp_path: Path) -> None:
    result = _labbox(tmp_path, "appliance", "down")
    assert result.returncode == 0
    assert "was not running" in result.stdout


def test_the_twin_commands_still_parse(tmp_path: Path) -> None:
    result = _labbox(tmp_path, "status")
    assert result.returncode == 3
    assert "endpoint:" in result.stdout


def test_recorded_pid_of_another_program_is_not_ours_and_not_signalled(labbox_home: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        control.run_dir().mkdir(parents=True)
        state = {"pid": sleeper.pid, "ssh_port": 1, "accel": "tcg", "accel_reason": "", "image": "x",
                 "boot_seconds": 0}
        (control.run_dir() / control.STATE).write_text(json.dumps(state))
        assert control.status() is None
        assert control.down() is False
        assert sleeper.poll() is None  # still alive: never signalled
    finally:
        sleeper.kill()
        sleeper.wait()


def test_pid_that_does_not_exist_is_not_ours(tmp_path: Path) -> None:
    assert not process.is_ours(2**22 + 12345, tmp_path / "console.log")
