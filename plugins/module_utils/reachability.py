# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Why a ping between two of the lab's hosts gets no answer, judged hop by hop.

The lab's diagnosis filters each pick the hops of their lab's path: verify_diagnosis the VPN
lab's (IDC-EC2, the customer gateway, the tunnels, the virtual private gateway, AWS-EC2),
tgw_diagnosis the transit gateway labs' (a subnet's route table, the gateway route tables,
across a peering). This module judges each hop and words what it finds, so that a fault both
labs can have (no route, a blackhole, a security group or a network ACL without ICMP, a stopped
instance) reads the same in both, only the names of hosts, tables and addresses differing.

It reads records as amazon.aws's info modules, hybridlab.aws.tgw_routing_info and
hybridlab.aws.vpn_tunnel_info return them, and command results as Ansible registers them. It
claims nothing a record does not show: a hop whose record is missing is not judged.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import List
from typing import Mapping
from typing import NamedTuple
from typing import Optional
from typing import Sequence
from typing import Tuple

Record = Mapping[str, Any]

# A log line or command output is quoted at most this long, so a stray blob stays short.
QUOTED_LENGTH = 200

# ICMP types of a ping; a rule's -1 (or no type at all) means every type or code.
ECHO_REQUEST = 8
ECHO_REPLY = 0


def quoted(text: Any) -> str:
    """One line of ``text``, whitespace collapsed, cut to QUOTED_LENGTH characters."""
    line = " ".join(str(text).split())
    if len(line) > QUOTED_LENGTH:
        line = line[: QUOTED_LENGTH - 3] + "..."
    return line


def lines(text: Any) -> List[str]:
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def spoken(items: Sequence[str]) -> str:
    """The items as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def address(value: Any) -> Optional[ipaddress.IPv4Address]:
    try:
        return ipaddress.IPv4Address(str(value).strip())
    except ValueError:
        return None


def network(value: Any) -> Optional[ipaddress.IPv4Network]:
    try:
        return ipaddress.IPv4Network(str(value).strip(), strict=False)
    except ValueError:
        return None


def _labelled(name: Any, resource_id: Any) -> str:
    """A resource as the sentences name it: its Name tag with its ID, or its ID alone."""
    return f"{name} ({resource_id})" if name and name != resource_id else str(resource_id)


class End(NamedTuple):
    """One end of a ping: how the sentences name it, its address and network, its instance when known."""

    name: str
    address: ipaddress.IPv4Address
    network: ipaddress.IPv4Network
    instance: Optional[Record] = None


def _number(value: Any) -> Any:
    """A rule's number, ICMP type or code as an int when it is one ("8" and 8 alike); anything else as it is."""
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return value


# --- Instances ----------------------------------------------------------------------------------


def instance_state(instance: Record) -> str:
    return str((instance.get("state") or {}).get("name") or "unknown")


def is_running(instance: Record) -> bool:
    return instance_state(instance) == "running"


def instance_at(instances: Iterable[Record], at: Any) -> Optional[Record]:
    """The instance with ``at`` as its private IP, a running one first (a terminated one may linger)."""
    found = [instance for instance in instances if str(instance.get("private_ip_address") or "") == str(at)]
    found.sort(key=lambda instance: not is_running(instance))
    return found[0] if found else None


def instance_problems(end: End) -> List[str]:
    """The end's instance missing or not running; only for an end looked for among the lab's instances."""
    if end.instance is None:
        return [
            f"No instance of the lab has the private address {end.address}: {end.name} does not exist "
            f"(or {end.address} is not its address)"
        ]
    if not is_running(end.instance):
        return [
            f"{end.name} ({end.instance.get('instance_id')}, {end.address}) is {instance_state(end.instance)}, "
            "not running"
        ]
    return []


def forwarding_problems(name: str, instance: Optional[Record], between: Tuple[Any, Any]) -> List[str]:
    """An instance that forwards packets (a router) with EC2's source/destination check on."""
    if instance is None or instance.get("source_dest_check") is not True:
        return []
    return [
        f"{name} ({instance.get('instance_id')}) has source/destination checking on: EC2 drops the packets "
        f"it forwards between {between[0]} and {between[1]}; turn it off on its network interface"
    ]


# --- Route tables (a subnet's and a transit gateway's) ---------------------------------------------

# The route fields that name where a route sends its traffic: ec2_vpc_route_table_info's, then
# tgw_routing_info's.
_ROUTE_TARGETS = (
    "gateway_id",
    "transit_gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "instance_id",
    "vpc_peering_connection_id",
    "local_gateway_id",
    "carrier_gateway_id",
    "transit_gateway_attachment_id",
)


class NextHop(NamedTuple):
    """What a table's route towards an end must lead to: how the sentences name it, and whether a route does."""

    words: str
    takes: Callable[[Record], bool]


def table_name(table: Record) -> str:
    return _labelled((table.get("tags") or {}).get("Name"), table.get("route_table_id") or table.get("id") or "?")


def subnet_table(instance: Record, tables: Iterable[Record]) -> Optional[Record]:
    """The route table of the instance's subnet: its explicit association, else its VPC's main table."""
    tables = list(tables)
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


def route_to(
    routes: Optional[Iterable[Record]], to: ipaddress.IPv4Address
) -> Optional[Tuple[Record, ipaddress.IPv4Network]]:
    """The route a router picks for ``to`` and its destination: the longest prefix holding it, whatever its state."""
    best = None
    for route in routes or []:
        destination = network(route.get("destination_cidr_block")) if route.get("destination_cidr_block") else None
        if (
            destination is not None
            and to in destination
            and (best is None or destination.prefixlen > best[1].prefixlen)
        ):
            best = (route, destination)
    return best


def route_target(route: Record) -> str:
    return next((str(route[key]) for key in _ROUTE_TARGETS if route.get(key)), "")


def subnet_route(instance: Record, tables: Iterable[Record], to: ipaddress.IPv4Address) -> Optional[Record]:
    """The route the instance's subnet sends ``to`` with, or None."""
    table = subnet_table(instance, tables)
    found = route_to(table.get("routes"), to) if table else None
    return found[0] if found else None


def vpc_network(
    instance: Record, tables: Iterable[Record], at: ipaddress.IPv4Address
) -> Optional[ipaddress.IPv4Network]:
    """The network of the instance's VPC that holds ``at``, as its subnet's local route names it."""
    table = subnet_table(instance, tables)
    local = [route for route in (table or {}).get("routes") or [] if route.get("gateway_id") == "local"]
    found = route_to(local, at)
    return found[1] if found else None


def route_problem(
    table: str, routes: Optional[Iterable[Record]], toward: End, hop: NextHop, whose: Optional[str] = None
) -> Optional[str]:
    """What is wrong with the route ``table`` (of ``whose``, when it serves a subnet) picks towards ``toward``."""
    subject = f"{table}, the route table of {whose}," if whose else table
    needs = f"it needs {toward.network} via {hop.words}"
    found = route_to(routes, toward.address)
    # An internet gateway carries no private address: a default route to it is no route at all.
    if found is None or str(found[0].get("gateway_id") or "").startswith("igw-"):
        follows = "matches no route" if found is None else f"would follow {found[1]} to {route_target(found[0])}"
        return f"{subject} has no route to {toward.network}: {toward.address} {follows}; {needs}"
    route, destination = found
    state = str(route.get("state") or "active").lower()
    target = route_target(route)
    if state == "blackhole":
        gone = f"its target {target} is gone (deleted or detached)" if target else "it drops what it carries"
        return f"{subject} routes {destination} to a blackhole: {gone}; {needs}"
    if state != "active":
        return f"{subject} has its route to {destination} {state}, not active; {needs}"
    if not hop.takes(route):
        return f"{subject} sends {destination} to {target or 'nothing'}; {needs}"
    return None


def subnet_route_problems(owner: End, tables: Iterable[Record], toward: End, hop: NextHop) -> List[str]:
    """The route from ``owner``'s subnet towards ``toward``: the table the subnet uses, then that table's route."""
    if owner.instance is None:
        return []
    table = subnet_table(owner.instance, tables)
    if table is None:
        return [
            f"{owner.name}'s subnet {owner.instance.get('subnet_id')} uses none of the lab's route tables (its VPC's "
            f"main route table, which has no route to {toward.network})"
        ]
    problem = route_problem(table_name(table), table.get("routes"), toward, hop, f"{owner.name}'s subnet")
    return [problem] if problem else []


# --- Transit gateways ---------------------------------------------------------------------------


def gateway_name(gateway: Record) -> str:
    return str(gateway.get("name") or gateway.get("transit_gateway_id"))


def unassociated_problems(attachment: Record, gateway: Record) -> List[str]:
    """An attachment in no route table: the gateway has no table to route what arrives through it."""
    if attachment.get("associated_route_table_id"):
        return []
    return [
        f"Attachment {attachment.get('transit_gateway_attachment_id')} ({attachment.get('resource_type')} "
        f"{attachment.get('resource_id')}) of {gateway_name(gateway)} is associated with no route table, so the "
        "gateway drops what arrives through it: associate it (TransitGatewayRouteTableAssociation)"
    ]


def peering_problems(attachment: Record, region: str) -> List[str]:
    if attachment.get("state") == "available":
        return []
    return [
        f"The peering {attachment.get('transit_gateway_attachment_id')} is {attachment.get('state')}, "
        f"not available (accept it in {region})"
    ]


def unattached_problems(owner: End, gateway: Record) -> List[str]:
    """``owner``'s VPC routed to a transit gateway it has no attachment to."""
    vpc = (owner.instance or {}).get("vpc_id")
    return [f"{vpc} ({owner.name}'s VPC) has no attachment to {gateway_name(gateway)}"]


# --- Security groups and network ACLs ----------------------------------------------------------


def _lets_icmp(protocol: Any, icmp_type: Any, icmp_code: Any, wanted: int) -> bool:
    """Whether a rule of this protocol, type and code lets ICMP of type ``wanted`` (code 0) through."""
    protocol = str(protocol).lower()
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("icmp", "1"):
        return False
    return _number(icmp_type) in (None, -1, wanted) and _number(icmp_code) in (None, -1, 0)


def security_group_problems(
    target: End, groups: Iterable[Record], source: End, source_groups: Iterable[str] = ()
) -> List[str]:
    """No group of ``target``'s instance letting an echo request in from ``source``.

    ``source_groups`` are the groups whose rules name the source by membership; they count only
    where AWS sees the source's own interface, never behind a VPN.
    """
    if target.instance is None:
        return []
    wanted = {str(group.get("group_id")) for group in target.instance.get("security_groups") or []}
    mine = [group for group in groups if str(group.get("group_id")) in wanted]
    if not mine:
        return []
    members = {str(group) for group in source_groups}
    elsewhere = []
    for group in mine:
        for permission in group.get("ip_permissions") or []:
            # For ICMP, FromPort is the type and ToPort the code.
            if not _lets_icmp(
                permission.get("ip_protocol", ""), permission.get("from_port"), permission.get("to_port"), ECHO_REQUEST
            ):
                continue
            # A prefix list could hold the source; without its entries nothing can be claimed.
            if permission.get("prefix_list_ids"):
                return []
            if any(str(pair.get("group_id")) in members for pair in permission.get("user_id_group_pairs") or []):
                return []
            for ip_range in permission.get("ip_ranges") or []:
                allowed = network(ip_range.get("cidr_ip"))
                if allowed is not None and source.address in allowed:
                    return []
                if allowed is not None:
                    elsewhere.append(str(allowed))
    # Named as the console lists them: the Name tag (AWS-EC2-SG), else the group's name.
    shown = spoken([
        _labelled((group.get("tags") or {}).get("Name") or group.get("group_name"), group.get("group_id")) for group in mine
    ])
    plural = len(mine) > 1
    only = f"; ICMP is allowed only from {spoken(sorted(set(elsewhere)))}" if elsewhere else ""
    return [
        f"{target.name}'s security group{'s' if plural else ''} {shown} allow{'' if plural else 's'} no ICMP echo "
        f"from {source.address} ({source.network}){only}: add an inbound ICMP rule for {source.network}"
    ]


def _subnet_acl(instance: Record, acls: Sequence[Record]) -> Optional[Record]:
    """The network ACL of the instance's subnet: the one it is associated with, else its VPC's default."""
    subnet, vpc = instance.get("subnet_id"), instance.get("vpc_id")
    found = next((acl for acl in acls if subnet in (acl.get("subnets") or [])), None)
    return found or next((acl for acl in acls if acl.get("vpc_id") == vpc and acl.get("is_default")), None)


def _rule_number(rule: Sequence[Any]) -> float:
    number = _number(rule[0])
    return number if isinstance(number, int) else float("inf")


def _deciding_rule(entries: Iterable[Any], peer: ipaddress.IPv4Address, icmp_type: int) -> Optional[Sequence[Any]]:
    """The rule that decides ICMP of ``icmp_type`` to or from ``peer``: the lowest-numbered that matches.

    Each rule as ec2_vpc_nacl_info lists it: [number, protocol, action, cidr, icmp type, icmp code, ...].
    None: no rule matches, and the ACL's final rule (*) denies.
    """
    rules = [
        entry for entry in entries if isinstance(entry, Sequence) and not isinstance(entry, str) and len(entry) >= 6
    ]
    for rule in sorted(rules, key=_rule_number):
        cidr = network(rule[3]) if rule[3] else None
        if cidr is not None and peer in cidr and _lets_icmp(rule[1], rule[4], rule[5], icmp_type):
            return rule
    return None


# Each crossing of a subnet's edge a ping makes, in path order: whose subnet, which of its ACL's
# rules, the other end, the ICMP type, then the sentence's words for it. ACLs are stateless, so
# the reply is ruled on its own.
_ACL_CROSSINGS = (
    ("source", "egress", "target", ECHO_REQUEST, "echo request out to", "outbound", "to"),
    ("target", "ingress", "source", ECHO_REQUEST, "echo request in from", "inbound", "from"),
    ("target", "egress", "source", ECHO_REPLY, "echo reply out to", "outbound", "to"),
    ("source", "ingress", "target", ECHO_REPLY, "echo reply in from", "inbound", "from"),
)


def network_acl_problems(source: End, target: End, acls: Iterable[Record]) -> List[str]:
    """The network ACLs of both ends' subnets stopping the echo request or its reply."""
    acls = list(acls)
    ends = {"source": source, "target": target}
    problems = []
    for owner_role, direction, peer_role, icmp_type, what, bound, word in _ACL_CROSSINGS:
        owner, peer = ends[owner_role], ends[peer_role]
        acl = _subnet_acl(owner.instance, acls) if owner.instance is not None else None
        if acl is None:
            continue
        rule = _deciding_rule(acl.get(direction) or [], peer.address, icmp_type)
        if rule is not None and str(rule[2]).lower() == "allow":
            continue
        if rule is None:
            why, below = "none of its rules allows it, so its final rule (*) denies it", ""
        else:
            why, below = f"its rule {rule[0]} denies {rule[1]} {word} {rule[3]}", f" numbered below {rule[0]}"
        label = _labelled((acl.get("tags") or {}).get("Name"), acl.get("nacl_id") or acl.get("network_acl_id"))
        problems.append(
            f"{label}, the network ACL of {owner.name}'s subnet, lets no ICMP "
            f"{what} {peer.address}: {why}; add an {bound} rule allowing ICMP {word} {peer.network}{below}"
        )
    return problems


# --- Routes on the hosts -----------------------------------------------------------------------

# `ip route get` answers with the route's type first when it is not a plain unicast route.
_NO_ROUTE_TYPES = ("unreachable", "prohibit", "blackhole", "throw")


def command_failed(result: Optional[Record]) -> Optional[str]:
    """What a command said when it failed (its first line), or None when it succeeded."""
    if result is None or result.get("unreachable"):
        return None
    rc = result.get("rc")
    if rc in (0, "0"):
        return None
    said = lines(result.get("stderr")) + lines(result.get("stdout")) + lines(result.get("msg"))
    return quoted(said[0] if said else f"exit status {rc}")


def _first_line(result: Record) -> str:
    found = lines(result.get("stdout"))
    return found[0] if found else ""


def host_route_problem(result: Optional[Record], host: str, to: Any) -> Optional[str]:
    """`ip route get <to>` on ``host`` failing or answering with a route that drops the packet."""
    if result is None or result.get("unreachable"):
        return None
    said = command_failed(result)
    route = _first_line(result)
    if said is None and route.split(" ", 1)[0] not in _NO_ROUTE_TYPES:
        return None
    # Without the ip command nothing is known about the route.
    if said is not None and (result.get("rc") in (127, "127") or re.search(r"No such file|command not found", said)):
        return None
    return f"{host} has no route to {to} (ip route get: {said or quoted(route)})"


def tunnel_route_problems(result: Optional[Record], gateway: str, target: End, route_based: bool) -> List[str]:
    """The customer gateway's route to ``target``: none, or (route-based tunnels) one past the VTI interfaces."""
    updown = f"the updown script routes {target.network} through a tunnel's VTI interface only while that tunnel is up"
    problem = host_route_problem(result, gateway, target.address)
    if problem:
        return [f"{problem}; {updown}" if route_based else problem]
    if result is None or result.get("unreachable") or not route_based:
        return []
    route = _first_line(result)
    if re.search(r"\bdev vti\d+\b", route):
        return []
    # Route-based tunnels: anything else leaves the gateway unencrypted, towards the VPC router.
    via = re.search(r"\bvia (\S+)", route)
    dev = re.search(r"\bdev (\S+)", route)
    shown = " ".join(part for part in (via and f"via {via.group(1)}", dev and f"dev {dev.group(1)}") if part)
    return [f"{gateway} routes {target.address} {shown or quoted(route)}, not into a tunnel (vti1 or vti2): {updown}"]


# --- Tunnels: AWS's telemetry, the customer gateway's pluto and IPsec SAs -------------------------

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
        # A timeout that happened, not a setting named in a warning ("retransmit-timeout=, ... ignored")
        # or at start ("systemd watchdog for ipsec service configured with timeout of 200000000 usecs").
        re.compile(
            r"retransmi(?:ssion|ts)|(?<![-_])\btimeout\b(?!=|\s+of\s+\d)|timed out|no response|not responding"
            r"|declaring peer dead",
            re.IGNORECASE,
        ),
    ),
)
_RANK = {name: rank for rank, (name, _pattern) in enumerate(_CAUSES)}

# `ipsec trafficstatus`: one line per IPsec SA, with or without 4.x's "006 " prefix:
#   006 #2: "Tunnel1", type=ESP, add_time=1714552200, inBytes=0, outBytes=840, maxBytes=2^63B, id='203.0.113.10'
_TRAFFIC = re.compile(r'#\d+: "([^"]+)"(?:\[\d+\])?[^,]*,.*?\binBytes=(\d+), outBytes=(\d+)')


def unreachable_problems(results: Iterable[Optional[Record]], gateway: str) -> List[str]:
    """The gateway's results when Ansible could not reach it: nothing of its state is known."""
    for result in results:
        if result is not None and result.get("unreachable"):
            return [f"{gateway} could not be reached to read the tunnels' state: {quoted(result.get('msg', ''))}"]
    return []


def ipsec_problems(trafficstatus: Optional[Record], gateway: str) -> List[str]:
    """`ipsec trafficstatus` failing: pluto is not running, or Libreswan is not installed."""
    said = command_failed(trafficstatus)
    if said is None:
        return []
    # Checked first: an older whack says "connect() ... failed (2 No such file or directory)".
    if re.search(r"not running|pluto\.ctl|connect\(\)", said, re.IGNORECASE):
        return [
            f"ipsec is not running on {gateway} (ipsec trafficstatus: {said}); "
            "start it (systemctl start ipsec) or rerun playbooks/openswan.yml"
        ]
    if trafficstatus.get("rc") in (127, "127") or re.search(r"not found|No such file", said, re.IGNORECASE):
        return [f"Libreswan is not installed on {gateway} (ipsec trafficstatus: {said}); run playbooks/openswan.yml"]
    return [f"ipsec trafficstatus failed on {gateway}: {said}"]


def journal_findings(journal: Optional[Record]) -> Dict[Optional[str], Tuple[str, str]]:
    """Per connection (None: lines naming none), the most specific cause pluto logged and its line.

    Only what follows pluto's last start counts, and on each connection only what follows its last
    established SA: an old failure that has since been fixed explains nothing.
    """
    if journal is None or command_failed(journal) is not None:
        return {}
    logged = lines(journal.get("stdout"))
    starts = [index for index, line in enumerate(logged) if _PLUTO_START.search(line)]
    if starts:
        logged = logged[starts[-1] + 1 :]
    failures: Dict[Optional[str], List[Tuple[str, str]]] = {}
    for line in logged:
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


def _outside_ips(tunnels: Optional[Sequence[Record]]) -> Dict[str, str]:
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


def _journal_sentence(cause: str, line: str, who: str, outside_ip: Optional[str], gateway: str) -> str:
    said = f"pluto: {quoted(line)}"
    if cause == _PSK:
        return (
            f"{who}: pre-shared key mismatch, the IKE authentication failed ({said}); {gateway} must use "
            "the key AWS has for this tunnel: rerun playbooks/openswan.yml to write it"
        )
    if cause == _IDENTITY:
        return (
            f"{who}: AWS refused {gateway}'s IKE identity ({said}); leftid must be the customer gateway's "
            "public IP as AWS knows it"
        )
    if cause == _PROPOSAL:
        return (
            f"{who}: IKE negotiation failed, {_proposal_detail(line)} ({said}); compare the VPN connection's "
            f"tunnel options with the ike= and esp= of {gateway}'s configuration"
        )
    endpoint = outside_ip or "AWS's tunnel endpoint"
    return (
        f"{who}: {endpoint} does not answer IKE ({said}); UDP 500/4500 from {gateway} does not reach it "
        "or its answers do not come back, or the outside IP is stale (a replaced VPN connection has new ones: "
        "rerun playbooks/openswan.yml)"
    )


_CONN = re.compile(r"^conn\s+(\S+)")
_RIGHT = re.compile(r"^\s+right=(\S+)")


def configured_peers(config: Optional[Record]) -> Dict[str, str]:
    """The gateway's connections and the address each goes to (``right=``), from its configuration
    file as ansible.builtin.slurp read it; empty when unknown."""
    if not config or config.get("failed") or config.get("unreachable") or not config.get("content"):
        return {}
    text = str(config["content"])
    if config.get("encoding") == "base64":
        text = base64.b64decode(text).decode("utf-8", "replace")
    peers, connection = {}, None
    for line in text.splitlines():
        conn = _CONN.match(line)
        if conn:
            connection = conn.group(1)
            continue
        right = _RIGHT.match(line)
        if right and connection:
            peers[connection] = right.group(1)
    return peers


def stale_peer_problems(peers: Dict[str, str], tunnels: Optional[Sequence[Record]], gateway: str) -> List[str]:
    """The gateway configured for other tunnel endpoints than the VPN connection has: it was replaced."""
    outside_ips = _outside_ips(tunnels)
    if not peers or not outside_ips or set(peers.values()) & set(outside_ips.values()):
        return []
    return [
        f"{gateway}'s tunnels go to {spoken(sorted(set(peers.values())))}, but the VPN connection's tunnels are "
        f"{spoken(sorted(set(outside_ips.values())))}: the connection was replaced (new outside IPs and keys) and "
        f"{gateway} not configured for it; rerun playbooks/openswan.yml"
    ]


def journal_problems(
    findings: Dict[Optional[str], Tuple[str, str]],
    tunnels: Optional[Sequence[Record]],
    gateway: str,
    peers: Optional[Dict[str, str]] = None,
) -> List[str]:
    """A sentence per connection pluto logged a cause on, most specific cause first, then tunnels in order.

    A connection is named with the address the gateway sends it to (``peers``) when known, else with
    the outside IP of AWS's tunnel of the same number.
    """
    outside_ips = peers or _outside_ips(tunnels)
    ordered = sorted(findings.items(), key=lambda item: (_RANK[item[1][0]], item[0] is None, str(item[0])))
    sentences = []
    for connection, (cause, line) in ordered:
        outside_ip = outside_ips.get(connection) if connection else None
        if connection is None:
            who = gateway
        elif outside_ip:
            who = f"{connection} ({outside_ip})"
        else:
            who = connection
        sentences.append(_journal_sentence(cause, line, who, outside_ip, gateway))
    return sentences


def ipsec_sas(trafficstatus: Optional[Record]) -> Optional[List[Tuple[str, int, int]]]:
    """The IPsec SAs `ipsec trafficstatus` lists: (connection, inBytes, outBytes); None when unknown."""
    if trafficstatus is None or trafficstatus.get("unreachable") or command_failed(trafficstatus) is not None:
        return None
    sas = []
    for line in lines(trafficstatus.get("stdout")):
        match = _TRAFFIC.search(line)
        if match:
            sas.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return sas


def no_sa_problems(sas: Optional[List[Tuple[str, int, int]]], explained: bool, gateway: str) -> List[str]:
    if sas is None or sas or explained:
        return []
    return [
        f"{gateway} has no IPsec SA with AWS (ipsec trafficstatus lists none) and pluto's log names no reason; "
        "check that Tunnel1 and Tunnel2 are loaded and started (ipsec status)"
    ]


def traffic_problems(sas: Optional[List[Tuple[str, int, int]]], gateway: str, source: End, target: End) -> List[str]:
    """What the SAs' byte counters say about where the ping is lost."""
    if not sas:
        return []
    if all(out_bytes == 0 for _name, _in, out_bytes in sas):
        return [
            f"No traffic entered the tunnels (every IPsec SA on {gateway} shows outBytes=0): the ping does not "
            f"reach {gateway} or {gateway} does not route it into a tunnel"
        ]
    if all(in_bytes == 0 for _name, in_bytes, _out in sas):
        sending = sorted({name for name, _in, out_bytes in sas if out_bytes > 0})
        sent = sum(out_bytes for _name, _in, out_bytes in sas)
        return [
            f"{spoken(sending)} sent {sent} bytes to AWS and received none back: the ping leaves through the tunnel "
            f"but no answer comes back from {target.name} (its route back to {source.network}, its security "
            "groups, its subnet's network ACL or its own firewall)"
        ]
    return []


def telemetry_problems(tunnels: Optional[Sequence[Record]]) -> List[str]:
    """All tunnels DOWN in AWS's telemetry (one tunnel down is redundancy at work, not a cause)."""
    if not tunnels or any(str(tunnel.get("status") or "").upper() != "DOWN" for tunnel in tunnels):
        return []
    described = []
    for number, tunnel in enumerate(tunnels, 1):
        details = [f'"{quoted(tunnel["status_message"])}"'] if tunnel.get("status_message") else []
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
