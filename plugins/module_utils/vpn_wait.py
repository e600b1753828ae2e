# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wait until a VPN connection reaches a condition, and say what was last seen when it does not.

Works on the records built by vpn_tunnels.vpn_connection_tunnels. Tunnel status comes from
VgwTelemetry, which botocore has no waiter for: the collection's poll loop (lab_wait) waits.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_until

Record = Dict[str, Any]

# States from which a connection never becomes available again.
_TERMINAL_STATES = ("deleting", "deleted")


def _tunnels(info: Record) -> List[Record]:
    return info.get("tunnels") or []


def _available(info: Record) -> bool:
    return info.get("state") == "available"


def _outside_ips(info: Record) -> bool:
    # A customer gateway needs both tunnels' outside IPs; they must be two distinct addresses.
    ips = [tunnel.get("outside_ip") for tunnel in _tunnels(info)]
    return len(ips) == 2 and all(ips) and len(set(ips)) == 2


def _up(info: Record) -> bool:
    tunnels = _tunnels(info)
    return _available(info) and len(tunnels) == 2 and all(tunnel.get("status") == "UP" for tunnel in tunnels)


def _any_up(info: Record) -> bool:
    # Policy-based Libreswan tunnels with identical subnets carry traffic on one tunnel at a time.
    return _available(info) and any(tunnel.get("status") == "UP" for tunnel in _tunnels(info))


WAIT_CONDITIONS: Dict[str, Callable[[Record], bool]] = {
    "available": _available,
    "outside_ips": _outside_ips,
    "up": _up,
    "any_up": _any_up,
}

WAIT_DESCRIPTIONS = {
    "available": "be available",
    "outside_ips": "have the outside IPs of both tunnels",
    "up": "have both tunnels UP",
    "any_up": "have a tunnel UP",
}


def condition_met(info: Optional[Record], condition: str) -> bool:
    """Whether ``info`` (None when the connection was not found) satisfies ``condition``."""
    if condition not in WAIT_CONDITIONS:
        raise ValueError(f"unknown wait condition {condition!r}; known: {', '.join(WAIT_CONDITIONS)}")
    return info is not None and WAIT_CONDITIONS[condition](info)


def describe_progress(info: Optional[Record]) -> str:
    """One line naming the state and each tunnel's status, e.g. for a timeout message."""
    if info is None:
        return "the connection was not found"
    parts = [f"state {info.get('state') or 'unknown'}"]
    for number, tunnel in enumerate(_tunnels(info), start=1):
        text = f"tunnel {number} {tunnel.get('outside_ip') or '(no outside IP)'} {tunnel.get('status') or 'no telemetry'}"
        if tunnel.get("status_message"):
            text += f" ({tunnel['status_message']})"
        parts.append(text)
    if not _tunnels(info):
        parts.append("no tunnels reported")
    return "; ".join(parts)


def _without_secrets(info: Optional[Record]) -> Record:
    """What a failure may show: everything but the PSKs."""
    if info is None:
        return {}
    shown = dict(info)
    shown["tunnels"] = [{k: v for k, v in tunnel.items() if k != "pre_shared_key"} for tunnel in _tunnels(info)]
    return shown


def wait_for_vpn_connection(
    fetch: Callable[[], Optional[Record]],
    vpn_connection_id: str,
    condition: str,
    timeout: float,
    delay: float,
    clock: Optional[Callable[[], float]] = None,
    sleep: Optional[Callable[[float], None]] = None,
) -> Record:
    """Poll ``fetch`` until its record meets ``condition``; return that record.

    ``fetch`` returns the current record or None while EC2 does not (yet) know the connection,
    which happens briefly after creation. Raises lab_wait.LabWaitError on timeout, or at once when the
    connection is being deleted; the error's message and kwargs carry the last record seen,
    without PSKs.
    """
    if condition not in WAIT_CONDITIONS:
        raise ValueError(f"unknown wait condition {condition!r}; known: {', '.join(WAIT_CONDITIONS)}")
    return wait_until(
        fetch,
        lambda info: condition_met(info, condition),
        subject=f"VPN connection {vpn_connection_id}",
        goal=WAIT_DESCRIPTIONS[condition],
        timeout=timeout,
        delay=delay,
        describe=describe_progress,
        never=lambda info: info["state"] if info is not None and info.get("state") in _TERMINAL_STATES else None,
        details=_without_secrets,
        clock=clock,
        sleep=sleep,
    )
