"""Is a recorded pid still our QEMU? Stopping it, and only it.

A pid read back from the run directory is trusted only while ``/proc/<pid>/cmdline`` is a
``qemu-system-*`` whose serial console is this run directory's console log, so a recycled pid
is never signalled. A zombie counts as gone (and is reaped when it is our own child).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: init reaps it
        pass


def _state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The state follows the parenthesised command name, which may itself contain spaces.
    return stat.rsplit(")", 1)[1].split()[0]


def is_ours(pid: int, console_log: Path) -> bool:
    """``pid`` is a live QEMU writing its serial console to ``console_log``."""
    _reap(pid)
    state = _state(pid)
    if state in {"Z", "X"}:
        _reap(pid)  # it may have died after the first look
        return False
    if state is None:
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    if not argv or not os.path.basename(argv[0].decode(errors="replace")).startswith("qemu-system-"):
        return False
    return f"file:{console_log}".encode() in argv


def _running(pid: int) -> bool:
    """The process exists and has not finished exiting (a zombie is reaped when it is ours)."""
    state = _state(pid)
    if state in {"Z", "X"}:
        _reap(pid)
        return False
    return state is not None


def stop(pid: int, console_log: Path, timeout: float = 10.0) -> bool:
    """SIGTERM our QEMU ``pid``, SIGKILL it after ``timeout``; False when it was not ours/alive.

    Once the signal is sent, the wait is for the process to be gone, not for it to stop looking
    like our QEMU: an exiting process loses its command line before it becomes a zombie.
    """
    if not is_ours(pid, console_log):
        return False
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:  # it exited between the check and the signal
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _running(pid):
                return True
            time.sleep(0.1)
    return not _running(pid)
