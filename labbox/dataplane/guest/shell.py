"""Running the guest's network tools, with errors that say which command failed and why."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any


class CommandError(RuntimeError):
    """A command exited non-zero; the message carries the command line and its stderr."""


def run(*argv: str, check: bool = True, stdin: str | None = None, netns: str | None = None) -> str:
    """Run ``argv`` (inside network namespace ``netns`` when given); returns stdout."""
    command = ["ip", "netns", "exec", netns, *argv] if netns else list(argv)
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise CommandError(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result.stdout


def ok(*argv: str, netns: str | None = None) -> bool:
    """Did ``argv`` exit 0?"""
    command = ["ip", "netns", "exec", netns, *argv] if netns else list(argv)
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def ip_json(*argv: str, netns: str | None = None) -> list[dict[str, Any]]:
    """``ip -j ...`` decoded (empty list for no output)."""
    out = run("ip", "-j", *(["-n", netns] if netns else []), *argv)
    return json.loads(out) if out.strip() else []


def netns_list() -> set[str]:
    try:
        return set(os.listdir("/run/netns"))
    except FileNotFoundError:
        return set()


def ensure_netns(name: str) -> bool:
    """Create network namespace ``name`` with loopback up; True when it was new."""
    if name in netns_list():
        return False
    run("ip", "netns", "add", name)
    run("ip", "-n", name, "link", "set", "lo", "up")
    return True


def link_exists(name: str, netns: str | None = None) -> bool:
    return ok("ip", *(["-n", netns] if netns else []), "link", "show", name)


def sysctl(netns: str, **settings: str | int) -> None:
    """Set ``net.ipv4.*``-style keys (``_`` for ``.``, ``__`` for a literal ``_``) in ``netns``."""
    pairs = [f"{key.replace('__', '#').replace('_', '.').replace('#', '_')}={value}" for key, value in settings.items()]
    run("sysctl", "-q", "-w", *pairs, netns=netns)


def ensure_veth(outer: str, inner: str, inner_netns: str, outer_netns: str | None = None) -> bool:
    """A veth pair: ``outer`` (in ``outer_netns``, default the guest's own) and ``inner`` in ``inner_netns``."""
    if link_exists(outer, outer_netns):
        return False
    base = ["ip", *(["-n", outer_netns] if outer_netns else [])]
    run(*base, "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", inner_netns)
    run(*base, "link", "set", outer, "up")
    run("ip", "-n", inner_netns, "link", "set", inner, "up")
    return True


def nft(ruleset: str, netns: str | None = None) -> None:
    """Load an nftables ruleset atomically."""
    run("nft", "-f", "-", stdin=ruleset, netns=netns)


def replace_table(family: str, table: str, body: str, netns: str | None = None) -> None:
    """Replace nft table ``family table`` with ``body`` in one transaction."""
    nft(f"add table {family} {table}\ndelete table {family} {table}\ntable {family} {table} {{\n{body}\n}}\n", netns)


def write(path: str, text: str, mode: int = 0o644) -> bool:
    """Write ``text`` to ``path`` when it differs; True when it changed."""
    try:
        with open(path) as current:
            if current.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.tmp"
    with open(temporary, "w") as out:
        out.write(text)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
    return True
