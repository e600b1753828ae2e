"""Start, stop and wait for the data plane: the agent process and, through it, the guest.

``up`` starts the agent in the background (its own session; output in ``agent.log``; pid in
``agent.pid``) and returns at once: the guest boots while the stacks are being created.
``wait`` blocks until the agent reports the network in sync (and, when asked, every running
instance booted with its host key known), or says why not: the agent's last message, the
tail of its log. A lab waits for its own instances only (``only``): on a twin that hosts a
class, one learner's lab neither waits for another's instances to boot nor fails on an error
that names another lab's instance or VPC. ``down`` stops the agent and the guest, only the
processes ``up`` started.
The ssh_config written here lets any OpenSSH client (and Ansible, see inventory/local) reach
the instances: their public addresses through the appliance, as from the internet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Collection
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


def _holds_up(item: dict[str, Any]) -> bool:
    """An instance that should run and has not yet booted with its host key known."""
    return bool(item.get("wanted", True)) and not (item.get("running") and item.get("host_key"))


def _blocking(errors: list[str], machines: dict[str, Any], only: Collection[str]) -> list[str]:
    """The round's errors that concern the waiter: all of them, unless it waits for ``only`` some
    instances; then not those that name another instance or its VPC and none of the waiter's."""
    if not only:
        return errors
    ours = set(only) | ({machines[i].get("vpc_id") for i in only if i in machines} - {None})
    theirs = {ident for i, m in machines.items() for ident in (i, m.get("vpc_id")) if ident} - ours
    return [e for e in errors if any(i in e for i in ours) or not any(i in e for i in theirs)]


def _ready(status: dict[str, Any] | None, instances: bool, since: float = 0.0, only: Collection[str] = ()) -> bool:
    """In sync: a clean round that read the twin at or after ``since``, every wanted instance booted
    (of ``only`` when given, each of which the round must know)."""
    if not status or status.get("phase") != "running" or "instances" not in status:
        return False
    machines = status["instances"]
    if _blocking(status.get("errors") or [], machines, only) or status.get("twin_read_at", 0.0) < since:
        return False
    if not instances:
        return True
    if any(i not in machines for i in only):
        return False
    waited = [machines[i] for i in only] if only else list(machines.values())
    return not any(_holds_up(item) for item in waited)


def wait(timeout: float = 900.0, instances: bool = True, only: Collection[str] = ()) -> tuple[bool, str]:
    """Block until in sync (and instances booted: ``only`` those when given); (ok, what to tell the user)."""
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
        if _ready(status, instances, since, only):
            assert status is not None
            booted = f" ({', '.join(only)} booted)" if only and instances else ""
            return True, (
                f"data plane in sync{booted}: {len(status['instances'])} instances, {len(status.get('tunnels', []))} tunnels"
            )
        time.sleep(_POLL_SECONDS)
    status = agent.read_status() or {}
    machines = status.get("instances") or {}
    errors = "; ".join(_blocking(status.get("errors") or [], machines, only)) or "none"
    waiting = [i for i in only if _holds_up(machines.get(i, {}))]
    pending = f"; not booted: {', '.join(waiting)}" if instances and waiting else ""
    return False, (
        f"the data plane was not ready within {timeout:.0f} s: {status.get('message')} (errors: {errors}){pending}\n{_tail()}"
    )


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
