"""Bring the guest up, report on it, run commands in it, take it down.

Run state lives in ``$LABBOX_HOME/appliance/`` (see ``labbox.cloud.state_dir``): ``state.json``
(pid, SSH port, accelerator, image), the run's SSH key pair, ``known_hosts``, ``ssh_config``,
the serial console log ``console.log`` and QEMU's own output ``qemu.log``. ``up`` is idempotent:
a guest that is already running is reported, not restarted. ``down`` stops only the QEMU process
``up`` recorded (checked by ``process.is_ours``).
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from labbox.appliance import accel, build, cache, process, public_route, qemu, ssh
from labbox.appliance.recipe import Recipe, default
from labbox.cloud import state_dir

STATE = "state.json"
CONSOLE = "console.log"
QEMU_LOG = "qemu.log"
# TCG on 2 busy cores: measured ~25-30 s to SSH, allow for a loaded CI machine.
BOOT_TIMEOUT = 300.0


class ApplianceError(RuntimeError):
    """The guest did not come up (or could not be reached); the message says why."""


@dataclass
class RunState:
    """What ``up`` recorded about the running guest."""

    pid: int
    ssh_port: int
    accel: str
    accel_reason: str
    image: str
    boot_seconds: float
    # The TAP device that routes the twin's public addresses here (LABBOX_PUBLIC_ROUTE), or ''.
    public_route: str = ""

    @property
    def ssh_config(self) -> Path:
        return run_dir() / ssh.CONFIG


def run_dir() -> Path:
    """``$LABBOX_HOME/appliance`` (not created)."""
    return state_dir.home() / "appliance"


def console_log() -> Path:
    return run_dir() / CONSOLE


def _read_state() -> RunState | None:
    try:
        data = json.loads((run_dir() / STATE).read_text())
        return RunState(**data)
    except (OSError, ValueError, TypeError):
        return None


def status() -> RunState | None:
    """The running guest's state, or None when no guest of ours is running."""
    state = _read_state()
    if state is None or not process.is_ours(state.pid, console_log()):
        return None
    return state


def free_port() -> int:
    """A free TCP port on loopback (``LABBOX_APPLIANCE_SSH_PORT`` pins one)."""
    pinned = os.environ.get("LABBOX_APPLIANCE_SSH_PORT")
    if pinned:
        return int(pinned)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((ssh.HOST, 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def _fresh_run_dir() -> Path:
    directory = run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    for name in (STATE, CONSOLE, QEMU_LOG, ssh.KNOWN_HOSTS, ssh.CONFIG):
        (directory / name).unlink(missing_ok=True)
    return directory


def up(recipe: Recipe | None = None, timeout: float = BOOT_TIMEOUT, memory_mib: int = 1536) -> RunState:
    """Build (or reuse) the image, boot it, and return once root can log in over SSH."""
    running = status()
    if running is not None:
        return running
    image = build.ensure(recipe or default())
    directory = _fresh_run_dir()
    chosen = accel.choose(image, cache.directory())
    private_key = ssh.generate_key(directory)
    port = free_port()
    argv = qemu.command(
        image, chosen, port, directory / CONSOLE, ssh.key_parameter(private_key), qemu.Machine(memory_mib=memory_mib)
    )
    route = ""
    if public_route.wanted():
        route = public_route.device_name(port)
        try:
            public_route.create(route)
        except public_route.PublicRouteError as error:
            raise ApplianceError(f"appliance not started: {error}") from error
        argv += public_route.qemu_arguments(route)
    started = time.monotonic()
    with open(directory / QEMU_LOG, "wb") as qemu_log:
        child = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=qemu_log, stderr=subprocess.STDOUT, start_new_session=True
        )
    state = RunState(child.pid, port, chosen.name, chosen.reason, image.path.name, 0.0, route)
    (directory / STATE).write_text(json.dumps(asdict(state), indent=2) + "\n")
    ssh.write_config(directory, port)

    if not ssh.wait(directory, port, started + timeout, lambda: child.poll() is None):
        exited = child.poll()
        process.stop(child.pid, directory / CONSOLE)
        child.wait()
        if route:
            public_route.remove(route)
        (directory / STATE).unlink(missing_ok=True)
        why = f"QEMU exited with code {exited}" if exited is not None else f"SSH did not answer within {timeout:.0f} s"
        raise ApplianceError(
            f"appliance did not come up ({chosen.name}): {why}\n"
            f"--- qemu output ({directory / QEMU_LOG}) ---\n{_tail(directory / QEMU_LOG, 10)}\n"
            f"--- serial console ({directory / CONSOLE}) ---\n{_tail(directory / CONSOLE)}"
        )
    state.boot_seconds = round(time.monotonic() - started, 1)
    (directory / STATE).write_text(json.dumps(asdict(state), indent=2) + "\n")
    return state


def down(timeout: float = 10.0) -> bool:
    """Stop the guest ``up`` started; False when none of ours was running."""
    state = _read_state()
    stopped = state is not None and process.stop(state.pid, console_log(), timeout)
    if state is not None and state.public_route:
        public_route.remove(state.public_route)
    (run_dir() / STATE).unlink(missing_ok=True)
    return stopped


def run(argv: list[str], timeout: float | None = None, capture: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` (exactly, quoted for the guest's shell) as root in the running guest over SSH."""
    state = status()
    if state is None:
        raise ApplianceError("the appliance is not running: run 'labbox appliance up'")
    return subprocess.run(
        ssh.command(run_dir(), state.ssh_port, shlex.join(argv)),
        capture_output=capture,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
