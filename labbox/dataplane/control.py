"""Start, stop and wait for the data plane: the agent process and, through it, the guest.

``up`` starts the agent in the background (its own session; output in ``agent.log``; pid in
``agent.pid``) and returns at once: the guest boots while the stacks are being created.
``wait`` blocks until the agent reports the network in sync (and, when asked, every running
instance booted with its host key known), or says why not: the agent's last message, the
tail of its log. ``down`` stops the agent and the guest, only the processes ``up`` started.
The ssh_config written here lets any OpenSSH client (and Ansible, see inventory/local) reach
the instances: their public addresses through the appliance, as from the internet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from labbox.appliance import control as appliance
from labbox.appliance import ssh
from labbox.dataplane import agent

PID = "agent.pid"
# How often ``wait`` reads the agent's status (a small local file).
_POLL_SECONDS = 0.2
LOG = "agent.log"
SSH_CONFIG = "ssh_config"
# The kept connection to the appliance that the jumps share (a short name: a socket path has a
# length limit).
MUX_SOCKET = "jump.sock"


def agent_pid() -> int | None:
    """The recorded agent's pid while that process is alive and still our agent."""
    try:
        pid = int((agent.run_dir() / PID).read_text().strip())
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, ValueError, IndexError):
        return None
    return pid if state != "Z" and b"labbox.dataplane.agent" in argv else None


def ssh_config_path() -> Path:
    return agent.run_dir() / SSH_CONFIG


def write_ssh_config() -> Path:
    """The appliance as jump host to every public address; instance keys pinned by the agent."""
    directory = agent.run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    appliance_dir = appliance.run_dir()
    path = ssh_config_path()
    path.write_text(
        f"Include {appliance_dir / ssh.CONFIG}\n\n"
        "# The twin's public addresses are reached from its internet, where the appliance stands.\n"
        "Host 198.51.100.* 203.0.113.*\n"
        "  ProxyJump labbox-appliance\n\n"
        "# Every jump rides on one connection to the appliance, kept open: each new one costs the\n"
        "# emulated guest's sshd about a second of CPU for its handshake.\n"
        "Host labbox-appliance\n"
        "  ControlMaster auto\n"
        f"  ControlPath {directory / MUX_SOCKET}\n"
        "  ControlPersist 600\n\n"
        "Host * !labbox-appliance\n"
        f"  IdentityFile {appliance_dir / ssh.KEY}\n"
        "  IdentitiesOnly yes\n"
        "  BatchMode yes\n"
        f"  UserKnownHostsFile {directory / agent.KNOWN_HOSTS}\n"
        "  StrictHostKeyChecking yes\n"
        "  ConnectTimeout 60\n"
        "  LogLevel ERROR\n"
    )
    return path


def up() -> str:
    """Start the agent unless it runs; returns a sentence saying which."""
    if agent_pid() is not None:
        return "data plane already running"
    directory = agent.run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / agent.STATUS).unlink(missing_ok=True)
    write_ssh_config()
    with open(directory / LOG, "ab") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "labbox.dataplane.agent"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (directory / PID).write_text(f"{child.pid}\n")
    return f"data plane started (agent pid {child.pid})"


def _tail(lines: int = 15) -> str:
    try:
        return "\n".join((agent.run_dir() / LOG).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _ready(status: dict[str, Any] | None, instances: bool, since: float = 0.0) -> bool:
    """In sync: a clean round that read the twin at or after ``since``, every wanted instance booted."""
    if not status or status.get("phase") != "running" or "instances" not in status:
        return False
    if status.get("errors") or status.get("twin_read_at", 0.0) < since:
        return False
    if not instances:
        return True
    return all(item["running"] and item["host_key"] for item in status["instances"].values() if item.get("wanted", True))


def wait(timeout: float = 900.0, instances: bool = True) -> tuple[bool, str]:
    """Block until in sync (and instances booted); (ok, what to tell the user)."""
    deadline = time.monotonic() + timeout
    # Only a round that read the twin after this call began has seen what the caller just
    # created (a stack's instances): an older status may list none of them and look ready.
    since = time.time()
    agent.wake()
    while time.monotonic() < deadline:
        status = agent.read_status()
        if status and status.get("phase") == "failed":
            return False, f"the data plane failed: {status.get('message')}\n{_tail()}"
        if agent_pid() is None:
            return False, f"the data plane's agent is not running (labbox dataplane up)\n{_tail()}"
        if _ready(status, instances, since):
            assert status is not None
            return True, f"data plane in sync: {len(status['instances'])} instances, {len(status.get('tunnels', []))} tunnels"
        time.sleep(_POLL_SECONDS)
    status = agent.read_status() or {}
    errors = "; ".join(status.get("errors") or []) or "none"
    return False, f"the data plane was not ready within {timeout:.0f} s: {status.get('message')} (errors: {errors})\n{_tail()}"


def down(timeout: float = 15.0) -> list[str]:
    """Stop the agent, then the guest; says what was stopped."""
    said = []
    pid = agent_pid()
    if pid is not None:
        # The agent leads its own process group (start_new_session), with its ssh to the guest.
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while agent_pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        if agent_pid() is not None:
            os.killpg(pid, signal.SIGKILL)
        said.append(f"stopped the data plane's agent (pid {pid})")
    (agent.run_dir() / PID).unlink(missing_ok=True)
    if appliance.down():
        said.append("stopped the appliance")
    return said
