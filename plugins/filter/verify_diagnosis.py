# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter naming why IDC-EC2's ping of AWS-EC2 across the VPN got no answer.

The hybridlab.aws.verify role gathers what could explain a failed ping (the customer gateway's
pluto log, IPsec SAs and route, IDC-EC2's route, AWS's tunnel telemetry, the lab's route tables,
instances and security groups) and hands it to this filter, which returns one sentence per cause
found, most specific first, so the lab reports "pre-shared key mismatch on Tunnel1" rather than a
bare timeout. It only reads the evidence: every check whose evidence is missing, skipped or
failed to be gathered is left out, never guessed.

A pre-shared key never reaches the filter (the role looks the tunnels up without keys), and none
of the tunnel fields it reads can hold one; of the gateway's log it quotes only the line that
names a cause, shortened to _QUOTED_LENGTH characters.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ansible.errors import AnsibleFilterError

# The addresses and networks every diagnosis needs.
REQUIRED = ("target_ip", "target_cidr", "source_ip", "source_cidr")
# How the sentences name the hosts, and how the gateway routes into the tunnels; optional.
SETTINGS = ("target_name", "source_name", "gateway_name", "gateway_ip", "gateway_routing")
# The evidence, each a registered task result, each optional: absent, null or skipped means
# "not gathered", and the checks that need it are left out.
EVIDENCE = (
    "tunnels",
    "gateway_trafficstatus",
    "gateway_journal",
    "gateway_route",
    "source_route",
    "route_tables",
    "instances",
    "security_groups",
)

# A log line or command output is quoted at most this long, so a stray blob stays short.
_QUOTED_LENGTH = 200

# pluto logs this when it starts: what it logged before describes a configuration that is gone.
_PLUTO_START = re.compile(r"Starting Pluto\b", re.IGNORECASE)
# A line about a connection starts with its quoted name, "Tunnel1" or "Tunnel1"[1] (an instance).
_CONNECTION = re.compile(r'^(?:\S+\[\d+\]:\s*)?"([^"]+)"')
# An SA came up: whatever failed on that connection before no longer explains anything.
# Libreswan 4.x/5.x "initiator established IKE SA", "established Child SA"; 3.x "IPsec SA established".
_ESTABLISHED = re.compile(
    r"\bestablished (?:IKE|Child|IPsec) SA\b|\b(?:IPsec|PARENT|ISAKMP) SA established\b", re.IGNORECASE
)

# What pluto's lines say went wrong, most specific first; a line counts for the first that matches.
_PSK = "psk"
_IDENTITY = "identity"
_PROPOSAL = "proposal"
_SILENT = "silent"
_CAUSES = (
    (
        _PSK,
        re.compile(
            r"AUTHENTICATION_FAILED|authentication failed|AUTH mismatch|mismatch of preshared secrets"
            # IKEv1 main mode: AWS cannot decrypt the encrypted exchange, so it never answers it.
            r"|possible authentication failure|STATE_MAIN_I3: (?:retransmission|\d+ second timeout)"
            r"|\bno (?:PSK|pre-?shared[ -]?(?:key|secret))"
            r"|(?:\bPSK\b|pre-?shared[ -]?(?:key|secret)s?).*\b(?:fail\w*|mismatch\w*|not found|missing|wrong)\b",
            re.IGNORECASE,
        ),
    ),
    (_IDENTITY, re.compile(r"INVALID_ID_INFORMATION|Peer ID '[^']*' mismatched", re.IGNORECASE)),
    (
        _PROPOSAL,
        re.compile(
            r"NO_PROPOSAL_CHOSEN|INVALID_KE_PAYLOAD|TS_UNACCEPTABLE|no acceptable (?:Oakley Transform|proposal)"
            r"|proposal refused|compatible Traffic Selectors",
            re.IGNORECASE,
        ),
    ),
    (
        _SILENT,
        # A timeout that happened, not a setting named in a warning ("retransmit-timeout=, ... ignored").
        re.compile(
            r"retransmi(?:ssion|ts)|(?<![-_])\btimeout\b(?!=)|timed out|no response|not responding|declaring peer dead",
            re.IGNORECASE,
        ),
    ),
)
_RANK = {name: rank for rank, (name, _pattern) in enumerate(_CAUSES)}

# `ipsec trafficstatus`: one line per IPsec SA, with or without 4.x's "006 " prefix:
#   006 #2: "Tunnel1", type=ESP, add_time=1714552200, inBytes=0, outBytes=840, maxBytes=2^63B, id='203.0.113.10'
_TRAFFIC = re.compile(r'#\d+: "([^"]+)"(?:\[\d+\])?[^,]*,.*?\binBytes=(\d+), outBytes=(\d+)')

# `ip route get` answers with the route's type first when it is not a plain unicast route.
_NO_ROUTE_TYPES = ("unreachable", "prohibit", "blackhole", "throw")

# The route fields that name where a route sends its traffic, as ec2_vpc_route_table_info returns them.
_ROUTE_TARGETS = (
    "gateway_id",
    "transit_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "instance_id",
    "vpc_peering_connection_id",
    "local_gateway_id",
    "carrier_gateway_id",
)

# ICMP echo request is type 8, code 0; -1 (or no port) means every type or code.
_ICMP_ECHO_TYPE = 8
_ICMP_PROTOCOLS = ("icmp", "1", "-1")


def _quoted(text: Any) -> str:
    """One line of ``text``, whitespace collapsed, cut to _QUOTED_LENGTH characters."""
    line = " ".join(str(text).split())
    if len(line) > _QUOTED_LENGTH:
        line = line[: _QUOTED_LENGTH - 3] + "..."
    return line


def _lines(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def _spoken(items: Sequence[str]) -> str:
    """The items as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _address(value: Any) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(str(value).strip())
    except ValueError:
        return None


def _network(value: Any) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(str(value).strip(), strict=False)
    except ValueError:
        return None


def _evidence(evidence: Any) -> Mapping[str, Any]:
    """``evidence`` when it is a mapping with the required keys and no unknown ones."""
    if not isinstance(evidence, Mapping):
        raise AnsibleFilterError("verify_diagnosis expects a dict of the verify role's evidence")
    missing = [key for key in REQUIRED if evidence.get(key) in (None, "")]
    if missing:
        raise AnsibleFilterError(f"verify_diagnosis: the evidence lacks {', '.join(missing)}")
    unknown = sorted(str(key) for key in evidence if key not in REQUIRED + SETTINGS + EVIDENCE)
    if unknown:
        raise AnsibleFilterError(f"verify_diagnosis: unknown evidence {', '.join(unknown)}")
    for key in ("target_ip", "source_ip"):
        if _address(evidence[key]) is None:
            raise AnsibleFilterError(f"verify_diagnosis: {key} must be an IPv4 address, not {_quoted(evidence[key])}")
    return evidence


def _gathered(evidence: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """The registered result under ``key``, or None when it was not gathered or was skipped."""
    result = evidence.get(key)
    if not isinstance(result, Mapping) or result.get("skipped"):
        return None
    return result


def _listed(evidence: Mapping[str, Any], key: str, field: str, errors: list[str], what: str) -> list[Any] | None:
    """The list ``field`` of the module result under ``key``; its failure is noted in ``errors``."""
    result = _gathered(evidence, key)
    if result is None:
        return None
    items = result.get(field)
    if isinstance(items, Sequence) and not isinstance(items, (str, bytes)):
        return [item for item in items if isinstance(item, Mapping)]
    errors.append(f"Not checked, {what}: {_quoted(result.get('msg') or 'the lookup returned nothing')}")
    return None


class _Names:
    """How the sentences name the hosts, addresses and networks."""

    def __init__(self, evidence: Mapping[str, Any]) -> None:
        self.target = str(evidence.get("target_name") or "AWS-EC2")
        self.source = str(evidence.get("source_name") or "IDC-EC2")
        self.gateway = str(evidence.get("gateway_name") or "IDC-CGW")
        self.target_ip = str(evidence["target_ip"]).strip()
        self.source_ip = str(evidence["source_ip"]).strip()
        self.target_cidr = str(evidence["target_cidr"]).strip()
        self.source_cidr = str(evidence["source_cidr"]).strip()
        self.gateway_ip = str(evidence.get("gateway_ip") or "").strip()


# --- The customer gateway ---------------------------------------------------------------------


def _unreachable(evidence: Mapping[str, Any], names: _Names) -> list[str]:
    """The gateway's results when Ansible could not reach it: nothing of its state is known."""
    for key in ("gateway_trafficstatus", "gateway_journal", "gateway_route"):
        result = _gathered(evidence, key)
        if result is not None and result.get("unreachable"):
            return [
                f"{names.gateway} could not be reached to read the tunnels' state: {_quoted(result.get('msg', ''))}"
            ]
    return []


def _command_failed(result: Mapping[str, Any] | None) -> str | None:
    """What a command said when it failed (its first line), or None when it succeeded."""
    if result is None or result.get("unreachable"):
        return None
    rc = result.get("rc")
    if rc in (0, "0"):
        return None
    said = _lines(result.get("stderr")) + _lines(result.get("stdout")) + _lines(result.get("msg"))
    return _quoted(said[0] if said else f"exit status {rc}")


def _ipsec_problems(trafficstatus: Mapping[str, Any] | None, names: _Names) -> list[str]:
    """`ipsec trafficstatus` failing: pluto is not running, or Libreswan is not installed."""
    said = _command_failed(trafficstatus)
    if said is None:
        return []
    # Checked first: an older whack says "connect() ... failed (2 No such file or directory)".
    if re.search(r"not running|pluto\.ctl|connect\(\)", said, re.IGNORECASE):
        return [
            f"ipsec is not running on {names.gateway} (ipsec trafficstatus: {said}); "
            "start it (systemctl start ipsec) or rerun playbooks/openswan.yml"
        ]
    if trafficstatus.get("rc") in (127, "127") or re.search(r"not found|No such file", said, re.IGNORECASE):
        return [
            f"Libreswan is not installed on {names.gateway} (ipsec trafficstatus: {said}); run playbooks/openswan.yml"
        ]
    return [f"ipsec trafficstatus failed on {names.gateway}: {said}"]


def _journal_findings(journal: Mapping[str, Any] | None) -> dict[str | None, tuple[str, str]]:
    """Per connection (None: lines naming none), the most specific cause pluto logged and its line.

    Only what follows pluto's last start counts, and on each connection only what follows its last
    established SA: an old failure that has since been fixed explains nothing.
    """
    if journal is None or _command_failed(journal) is not None:
        return {}
    lines = _lines(journal.get("stdout"))
    starts = [index for index, line in enumerate(lines) if _PLUTO_START.search(line)]
    if starts:
        lines = lines[starts[-1] + 1 :]
    failures: dict[str | None, list[tuple[str, str]]] = {}
    for line in lines:
        match = _CONNECTION.match(line)
        connection = match.group(1) if match else None
        if _ESTABLISHED.search(line):
            failures.pop(connection, None)
            continue
        cause = next((name for name, pattern in _CAUSES if pattern.search(line)), None)
        if cause is not None:
            failures.setdefault(connection, []).append((cause, line))
    findings = {}
    for connection, found in failures.items():
        best = min(_RANK[cause] for cause, _line in found)
        # The latest line of the most specific cause: what pluto says now.
        findings[connection] = [(cause, line) for cause, line in found if _RANK[cause] == best][-1]
    return findings


def _tunnel_outside_ips(tunnels: list[Mapping[str, Any]] | None) -> dict[str, str]:
    """Libreswan's connection names (Tunnel1, Tunnel2, as the openswan role writes them) to AWS's outside IPs."""
    return {
        f"Tunnel{number}": str(tunnel.get("outside_ip"))
        for number, tunnel in enumerate(tunnels or [], 1)
        if tunnel.get("outside_ip")
    }


def _proposal_detail(line: str) -> str:
    if "INVALID_KE_PAYLOAD" in line.upper():
        return "the DH groups differ (INVALID_KE_PAYLOAD)"
    if "TS_UNACCEPTABLE" in line.upper() or "traffic selectors" in line.lower():
        return "the traffic selectors (leftsubnet/rightsubnet) are not acceptable to the other side (TS_UNACCEPTABLE)"
    return "the two sides share no proposal: encryption, integrity, DH group or IKE version (NO_PROPOSAL_CHOSEN)"


def _journal_sentence(cause: str, line: str, who: str, outside_ip: str | None, names: _Names) -> str:
    quoted = f"pluto: {_quoted(line)}"
    if cause == _PSK:
        return (
            f"{who}: pre-shared key mismatch, the IKE authentication failed ({quoted}); {names.gateway} must use "
            "the key AWS has for this tunnel: rerun playbooks/openswan.yml to write it"
        )
    if cause == _IDENTITY:
        return (
            f"{who}: AWS refused {names.gateway}'s IKE identity ({quoted}); leftid must be the customer gateway's "
            "public IP as AWS knows it"
        )
    if cause == _PROPOSAL:
        return (
            f"{who}: IKE negotiation failed, {_proposal_detail(line)} ({quoted}); compare the VPN connection's "
            f"tunnel options with the ike= and esp= of {names.gateway}'s configuration"
        )
    endpoint = outside_ip or "AWS's tunnel endpoint"
    return (
        f"{who}: {endpoint} does not answer IKE ({quoted}); UDP 500/4500 from {names.gateway} does not reach it "
        "or its answers do not come back, or the outside IP is stale (a replaced VPN connection has new ones: "
        "rerun playbooks/openswan.yml)"
    )


def _journal_problems(
    findings: dict[str | None, tuple[str, str]], tunnels: list[Mapping[str, Any]] | None, names: _Names
) -> list[str]:
    outside_ips = _tunnel_outside_ips(tunnels)
    ordered = sorted(findings.items(), key=lambda item: (_RANK[item[1][0]], item[0] is None, str(item[0])))
    sentences = []
    for connection, (cause, line) in ordered:
        outside_ip = outside_ips.get(connection) if connection else None
        if connection is None:
            who = names.gateway
        elif outside_ip:
            who = f"{connection} ({outside_ip})"
        else:
            who = connection
        sentences.append(_journal_sentence(cause, line, who, outside_ip, names))
    return sentences


def _traffic(trafficstatus: Mapping[str, Any] | None) -> list[tuple[str, int, int]] | None:
    """The IPsec SAs `ipsec trafficstatus` lists: (connection, inBytes, outBytes); None when unknown."""
    if trafficstatus is None or trafficstatus.get("unreachable") or _command_failed(trafficstatus) is not None:
        return None
    sas = []
    for line in _lines(trafficstatus.get("stdout")):
        match = _TRAFFIC.search(line)
        if match:
            sas.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return sas


def _no_sa_problems(sas: list[tuple[str, int, int]] | None, explained: bool, names: _Names) -> list[str]:
    if sas is None or sas or explained:
        return []
    return [
        f"{names.gateway} has no IPsec SA with AWS (ipsec trafficstatus lists none) and pluto's log names no reason; "
        "check that Tunnel1 and Tunnel2 are loaded and started (ipsec status)"
    ]


def _traffic_problems(sas: list[tuple[str, int, int]] | None, names: _Names) -> list[str]:
    """What the SAs' byte counters say about where the ping is lost."""
    if not sas:
        return []
    if all(out_bytes == 0 for _name, _in, out_bytes in sas):
        return [
            f"No traffic entered the tunnels (every IPsec SA on {names.gateway} shows outBytes=0): the ping does not "
            f"reach {names.gateway} or {names.gateway} does not route it into a tunnel"
        ]
    if all(in_bytes == 0 for _name, in_bytes, _out in sas):
        sending = sorted({name for name, _in, out_bytes in sas if out_bytes > 0})
        sent = sum(out_bytes for _name, _in, out_bytes in sas)
        return [
            f"{_spoken(sending)} sent {sent} bytes to AWS and received none back: the ping leaves through the tunnel "
            f"but no answer comes back from {names.target} (its route back to {names.source_cidr}, its security "
            "groups, its subnet's network ACL or its own firewall)"
        ]
    return []


def _telemetry_problems(tunnels: list[Mapping[str, Any]] | None) -> list[str]:
    """All tunnels DOWN in AWS's telemetry (one tunnel down is redundancy at work, not a cause)."""
    if not tunnels or any(str(tunnel.get("status") or "").upper() != "DOWN" for tunnel in tunnels):
        return []
    described = []
    for number, tunnel in enumerate(tunnels, 1):
        details = [f'"{_quoted(tunnel["status_message"])}"'] if tunnel.get("status_message") else []
        if tunnel.get("last_status_change"):
            details.append(f"since {tunnel['last_status_change']}")
        suffix = f" ({', '.join(details)})" if details else ""
        described.append(f"Tunnel{number} {tunnel.get('outside_ip') or '(no outside IP)'}{suffix}")
    subject = (
        "Both tunnels are"
        if len(tunnels) == 2
        else ("The tunnel is" if len(tunnels) == 1 else f"All {len(tunnels)} tunnels are")
    )
    return [f"{subject} DOWN in AWS's telemetry: {'; '.join(described)}"]


# --- Routes on the hosts -----------------------------------------------------------------------


def _route_text(result: Mapping[str, Any]) -> str:
    lines = _lines(result.get("stdout"))
    return lines[0] if lines else ""


def _host_route_problem(result: Mapping[str, Any] | None, host: str, names: _Names) -> str | None:
    """`ip route get <target>` on ``host`` failing or answering with a route that drops the packet."""
    if result is None or result.get("unreachable"):
        return None
    said = _command_failed(result)
    route = _route_text(result)
    if said is None and route.split(" ", 1)[0] not in _NO_ROUTE_TYPES:
        return None
    # Without the ip command nothing is known about the route.
    if said is not None and (result.get("rc") in (127, "127") or re.search(r"No such file|command not found", said)):
        return None
    return f"{host} has no route to {names.target_ip} (ip route get: {said or _quoted(route)})"


def _source_route_problems(evidence: Mapping[str, Any], names: _Names) -> list[str]:
    problem = _host_route_problem(_gathered(evidence, "source_route"), names.source, names)
    return [problem] if problem else []


def _gateway_route_problems(evidence: Mapping[str, Any], names: _Names) -> list[str]:
    result = _gathered(evidence, "gateway_route")
    route_based = str(evidence.get("gateway_routing") or "vti") == "vti"
    updown = (
        f"the updown script routes {names.target_cidr} through a tunnel's VTI interface only while that tunnel is up"
    )
    problem = _host_route_problem(result, names.gateway, names)
    if problem:
        return [f"{problem}; {updown}" if route_based else problem]
    if result is None or result.get("unreachable") or not route_based:
        return []
    route = _route_text(result)
    if re.search(r"\bdev vti\d+\b", route):
        return []
    # Route-based tunnels: anything else leaves the gateway unencrypted, towards the VPC router.
    via = re.search(r"\bvia (\S+)", route)
    dev = re.search(r"\bdev (\S+)", route)
    shown = " ".join(part for part in (via and f"via {via.group(1)}", dev and f"dev {dev.group(1)}") if part)
    return [
        f"{names.gateway} routes {names.target_ip} {shown or _quoted(route)}, not into a tunnel (vti1 or vti2): {updown}"
    ]


# --- The lab's instances and route tables in AWS ------------------------------------------------


def _instance_at(instances: list[Mapping[str, Any]], address: str) -> Mapping[str, Any] | None:
    """The instance with ``address`` as its private IP, a running one first (a terminated one may linger)."""
    found = [instance for instance in instances if str(instance.get("private_ip_address") or "") == address]
    found.sort(key=lambda instance: (instance.get("state") or {}).get("name") != "running")
    return found[0] if found else None


def _state(instance: Mapping[str, Any]) -> str:
    return str((instance.get("state") or {}).get("name") or "unknown")


def _instance_problems(instances: list[Mapping[str, Any]] | None, names: _Names) -> list[str]:
    if instances is None:
        return []
    problems = []
    target = _instance_at(instances, names.target_ip)
    if target is None:
        problems.append(
            f"No instance of the lab has the private address {names.target_ip}: {names.target} does not exist "
            "(or verify_target_ip is not its address)"
        )
    elif _state(target) != "running":
        problems.append(
            f"{names.target} ({target.get('instance_id')}, {names.target_ip}) is {_state(target)}, not running"
        )
    gateway = _instance_at(instances, names.gateway_ip) if names.gateway_ip else None
    if gateway is not None and gateway.get("source_dest_check") is True:
        problems.append(
            f"{names.gateway} ({gateway.get('instance_id')}) has source/destination checking on: EC2 drops the packets "
            f"it forwards between {names.source_cidr} and {names.target_cidr}; turn it off on its network interface"
        )
    return problems


def _table_name(table: Mapping[str, Any]) -> str:
    table_id = str(table.get("route_table_id") or table.get("id") or "?")
    name = (table.get("tags") or {}).get("Name")
    return f"{name} ({table_id})" if name else table_id


def _table_of(instance: Mapping[str, Any], tables: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The route table of the instance's subnet: its explicit association, else its VPC's main table."""
    subnet, vpc = instance.get("subnet_id"), instance.get("vpc_id")
    for table in tables:
        if any(association.get("subnet_id") == subnet for association in table.get("associations") or []):
            return table
    for table in tables:
        if table.get("vpc_id") == vpc and any(
            association.get("main") for association in table.get("associations") or []
        ):
            return table
    return None


def _best_route(table: Mapping[str, Any], address: str) -> tuple[Mapping[str, Any], ipaddress.IPv4Network] | None:
    """The route the VPC router picks for ``address``: the longest prefix holding it (blackholes included)."""
    wanted = ipaddress.IPv4Address(address)
    best = None
    for route in table.get("routes") or []:
        destination = _network(route.get("destination_cidr_block")) if route.get("destination_cidr_block") else None
        if (
            destination is not None
            and wanted in destination
            and (best is None or destination.prefixlen > best[1].prefixlen)
        ):
            best = (route, destination)
    return best


def _route_target(route: Mapping[str, Any]) -> str:
    return next((str(route[key]) for key in _ROUTE_TARGETS if route.get(key)), "nothing")


def _gateway_targets(instances: list[Mapping[str, Any]], names: _Names) -> set[str]:
    """The IDs a route to the customer gateway may name: its instance and its network interfaces."""
    gateway = _instance_at(instances, names.gateway_ip) if names.gateway_ip else None
    if gateway is None:
        return set()
    targets = {str(gateway.get("instance_id"))}
    targets.update(str(interface.get("network_interface_id")) for interface in gateway.get("network_interfaces") or [])
    return targets - {"None", ""}


def _route_problem(
    table: Mapping[str, Any], address: str, cidr: str, whose: str, expected: str, fine: Any
) -> str | None:
    """What is wrong with ``table``'s route to ``address`` (in ``cidr``), or None when it is fine.

    ``fine`` tells whether the target of the route the VPC router picks is the right one.
    """
    best = _best_route(table, address)
    name = _table_name(table)
    if best is None or str(best[0].get("gateway_id") or "").startswith("igw-"):
        follows = "matches no route" if best is None else f"would follow {best[1]} to {_route_target(best[0])}"
        return f"{name}, the route table of {whose} subnet, has no route to {cidr}: {address} {follows}; it needs {expected}"
    route, destination = best
    if str(route.get("state") or "").lower() == "blackhole":
        return (
            f"{name}'s route to {destination} is a blackhole: its target {_route_target(route)} is gone "
            f"(deleted or detached); it needs {expected}"
        )
    if not fine(route):
        return f"{name} sends {destination} to {_route_target(route)}; it needs {expected}"
    return None


def _subnet_route_problem(
    instance: Mapping[str, Any] | None, tables: list[Mapping[str, Any]], owner: str, address: str, cidr: str, **how: Any
) -> list[str]:
    """The route from ``owner``'s subnet to ``address``: the table it uses, then that table's route."""
    if instance is None:
        return []
    table = _table_of(instance, tables)
    if table is None:
        return [
            f"{owner}'s subnet {instance.get('subnet_id')} uses none of the lab's route tables (its VPC's main "
            f"route table, which has no route to {cidr})"
        ]
    problem = _route_problem(table, address, cidr, f"{owner}'s", **how)
    return [problem] if problem else []


def _route_table_problems(
    tables: list[Mapping[str, Any]] | None, instances: list[Mapping[str, Any]] | None, names: _Names
) -> list[str]:
    if tables is None or instances is None:
        return []
    # There: the source's subnet sends the AWS side to the customer gateway (when it is known, to
    # its instance or one of its network interfaces).
    gateway = _gateway_targets(instances, names)
    there = _subnet_route_problem(
        _instance_at(instances, names.source_ip),
        tables,
        names.source,
        names.target_ip,
        names.target_cidr,
        expected=f"{names.target_cidr} via {names.gateway}'s network interface",
        fine=lambda route: not gateway or _route_target(route) in gateway,
    )
    # And back: the target's subnet sends the IDC side to the virtual private gateway (or a
    # transit gateway, in the labs that build on this one).
    back = _subnet_route_problem(
        _instance_at(instances, names.target_ip),
        tables,
        names.target,
        names.source_ip,
        names.source_cidr,
        expected=(
            f"{names.source_cidr} via the virtual private gateway (route propagation on, and the VPN connection's "
            f"static route {names.source_cidr})"
        ),
        fine=lambda route: str(route.get("gateway_id") or "").startswith("vgw-")
        or bool(route.get("transit_gateway_id")),
    )
    return there + back


# --- Security groups ----------------------------------------------------------------------------


def _icmp_echo(permission: Mapping[str, Any]) -> bool:
    """Whether an inbound rule's protocol and ports let an ICMP echo request in."""
    protocol = str(permission.get("ip_protocol", "")).lower()
    if protocol not in _ICMP_PROTOCOLS:
        return False
    if protocol == "-1":
        return True
    # For ICMP, FromPort is the type and ToPort the code.
    icmp_type, icmp_code = _port(permission.get("from_port")), _port(permission.get("to_port"))
    return icmp_type in (None, -1, _ICMP_ECHO_TYPE) and icmp_code in (None, -1, 0)


def _port(value: Any) -> Any:
    """A rule's port as a number when it is one ("8" and 8 alike); anything else as it is."""
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return value


def _security_group_problems(
    groups: list[Mapping[str, Any]] | None, instances: list[Mapping[str, Any]] | None, names: _Names
) -> list[str]:
    if groups is None or instances is None:
        return []
    target = _instance_at(instances, names.target_ip)
    if target is None:
        return []
    wanted = {str(group.get("group_id")) for group in target.get("security_groups") or []}
    mine = [group for group in groups if str(group.get("group_id")) in wanted]
    if not mine:
        return []
    source = ipaddress.IPv4Address(names.source_ip)
    elsewhere = []
    for group in mine:
        for permission in group.get("ip_permissions") or []:
            if not _icmp_echo(permission):
                continue
            # A prefix list could hold the source; without its entries nothing can be claimed.
            if permission.get("prefix_list_ids"):
                return []
            for ip_range in permission.get("ip_ranges") or []:
                allowed = _network(ip_range.get("cidr_ip"))
                if allowed is not None and source in allowed:
                    return []
                if allowed is not None:
                    elsewhere.append(str(allowed))
    shown = _spoken([f"{group.get('group_name') or group.get('group_id')} ({group.get('group_id')})" for group in mine])
    plural = len(mine) > 1
    only = f"; ICMP is allowed only from {_spoken(sorted(set(elsewhere)))}" if elsewhere else ""
    return [
        f"{names.target}'s security group{'s' if plural else ''} {shown} allow{'' if plural else 's'} no ICMP echo from "
        f"{names.source_ip} ({names.source_cidr}){only}: add an inbound ICMP rule for {names.source_cidr}"
    ]


# --- The filter -----------------------------------------------------------------------------------


def verify_diagnosis(evidence: Any) -> list[str]:
    """The causes the evidence shows for a failed ping of the target from the source, most specific first.

    ``evidence`` maps the names in REQUIRED to the addresses and networks and any of those in EVIDENCE
    to what the verify role gathered, each a registered task result as it is (roles/verify/vars/main.yml
    builds it as ``__verify_evidence``). When nothing explains the failure, the one sentence says so;
    sentences starting "Not checked" name evidence that could not be gathered.
    """
    given = _evidence(evidence)
    names = _Names(given)
    errors: list[str] = []
    tunnels = _listed(given, "tunnels", "tunnels", errors, "the VPN connection's tunnels")
    tables = _listed(given, "route_tables", "route_tables", errors, "the lab's route tables")
    instances = _listed(given, "instances", "instances", errors, "the lab's instances")
    groups = _listed(given, "security_groups", "security_groups", errors, f"{names.target}'s security groups")

    trafficstatus = _gathered(given, "gateway_trafficstatus")
    journal = _gathered(given, "gateway_journal")
    findings = _journal_findings(journal)
    sas = _traffic(trafficstatus)

    problems = _unreachable(given, names)
    problems += _ipsec_problems(trafficstatus, names)
    problems += _journal_problems(findings, tunnels, names)
    problems += _telemetry_problems(tunnels)
    problems += _no_sa_problems(sas, bool(findings), names)
    problems += _instance_problems(instances, names)
    problems += _source_route_problems(given, names)
    problems += _gateway_route_problems(given, names)
    problems += _route_table_problems(tables, instances, names)
    problems += _security_group_problems(groups, instances, names)
    problems += _traffic_problems(sas, names)

    if not problems:
        complete = not errors and all(_gathered(given, key) is not None for key in EVIDENCE)
        if complete:
            problems.append(
                "The tunnel is up and routes and security groups allow ICMP, but the ping got no answer: look at the "
                f"subnets' network ACLs and the firewalls of {names.source}, {names.gateway} and {names.target}"
            )
        else:
            problems.append("Nothing in the evidence gathered explains it, but the ping got no answer")
    return problems + errors


class FilterModule:
    """hybridlab.aws filter naming why the lab's verification ping failed."""

    def filters(self):
        return {"verify_diagnosis": verify_diagnosis}
