"""SSH to the guest: a key pair per run, handed to the guest at boot, and the client's options.

Each ``up`` makes a fresh ed25519 key pair in the run directory. The public key goes to the
guest on the kernel command line (see ``guest_files``), so the cached image never holds a key.
The host key the guest presents is pinned in the run directory's ``known_hosts`` on first
contact. ``ssh_config`` in the run directory describes the guest as host ``labbox-appliance``
for any OpenSSH client (``ssh -F .../ssh_config labbox-appliance``), e.g. as a jump host.
"""

from __future__ import annotations

import base64
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from labbox.appliance.guest_files import KEY_PARAMETER
from labbox.appliance.qemu import GUEST_NAME

KEY = "id_ed25519"
KNOWN_HOSTS = "known_hosts"
CONFIG = "ssh_config"
HOST = "127.0.0.1"


def generate_key(run_dir: Path) -> Path:
    """A new key pair in ``run_dir`` (replacing any old one); returns the private key's path."""
    private = run_dir / KEY
    for old in (private, private.with_suffix(".pub")):
        old.unlink(missing_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", GUEST_NAME, "-f", str(private)],
        check=True,
        capture_output=True,
    )
    return private


def key_parameter(private_key: Path) -> str:
    """The kernel parameter that gives the guest the public key (base64: the key has spaces)."""
    public = private_key.with_name(private_key.name + ".pub").read_text().strip()
    return f"{KEY_PARAMETER}={base64.b64encode(public.encode()).decode()}"


def options(run_dir: Path, port: int) -> list[str]:
    """ssh options that reach the guest as root with the run's key, never asking anything."""
    return [
        "-i",
        str(run_dir / KEY),
        "-p",
        str(port),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        f"UserKnownHostsFile={run_dir / KNOWN_HOSTS}",
        "-o",
        "StrictHostKeyChecking=accept-new",
        "-o",
        "ConnectTimeout=5",
        "-o",
        "LogLevel=ERROR",
    ]


def command(run_dir: Path, port: int, remote: str) -> list[str]:
    """argv of ``ssh`` running the shell command line ``remote`` as root in the guest.

    sshd hands the command to the guest's shell as one string, so the caller decides the quoting:
    ``shlex.join(argv)`` to run an exact argv, or a command line as typed to ``ssh``.
    """
    return ["ssh", *options(run_dir, port), f"root@{HOST}", "--", *([remote] if remote else [])]


def write_config(run_dir: Path, port: int) -> Path:
    """An ssh_config naming the guest ``labbox-appliance``."""
    path = run_dir / CONFIG
    path.write_text(
        f"Host {GUEST_NAME}\n"
        f"  HostName {HOST}\n"
        f"  Port {port}\n"
        "  User root\n"
        f"  IdentityFile {run_dir / KEY}\n"
        "  IdentitiesOnly yes\n"
        "  BatchMode yes\n"
        f"  UserKnownHostsFile {run_dir / KNOWN_HOSTS}\n"
        "  StrictHostKeyChecking accept-new\n"
        "  LogLevel ERROR\n"
    )
    return path


def answers(run_dir: Path, port: int, timeout: float = 20.0) -> bool:
    """One attempt: does the guest run ``true`` for us over SSH?"""
    try:
        result = subprocess.run(
            command(run_dir, port, "true"), capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def wait(run_dir: Path, port: int, deadline: float, still_booting: Callable[[], bool]) -> bool:
    """Poll until SSH answers (True), the guest died (False) or ``deadline`` (monotonic) passed."""
    while time.monotonic() < deadline:
        if not still_booting():
            return False
        if answers(run_dir, port):
            return True
        time.sleep(1.0)
    return False
