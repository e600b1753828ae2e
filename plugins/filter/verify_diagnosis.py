# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter naming why IDC-EC2's ping of AWS-EC2 across the VPN got no answer.

The hybridlab.aws.verify role gathers what could explain a failed ping (the customer gateway's
pluto log, IPsec SAs and route, IDC-EC2's route, AWS's tunnel telemetry, the lab's route tables,
instances and security groups) and hands it to this filter, which returns one sentence per cause
found, most specific first, so the lab reports "pre-shared key mismatch on Tunnel1" rather than a
bare timeout. It only reads the evidence: every check whose evidence is missing, skipped or
failed to be gathered is left out, never guessed.

The filter picks the VPN lab's hops (IDC-EC2, IDC-CGW, the tunnels, the virtual private gateway,
AWS-EC2) and what each must lead to; module_utils/reachability.py judges them and words the
causes, in the same words as tgw_diagnosis where the two labs can fail alike.

A pre-shared key never reaches the filter (the role looks the tunnels up without keys), and none
of the tunnel fields it reads can hold one; of the gateway's log it quotes only the line that
names a cause, shortened to reachability.QUOTED_LENGTH characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import reachability
from ansible_collections.hybridlab.aws.plugins.module_utils.reachability import End

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
# Evidence the role need not gather: without it the diagnosis still counts as complete, and
# names what it would have judged as the place left to look.
EXTRA_EVIDENCE = ("network_acls", "gateway_config")


def _evidence(evidence: Any) -> Mapping[str, Any]:
    """``evidence`` when it is a mapping with the required keys and no unknown ones."""
    if not isinstance(evidence, Mapping):
        raise AnsibleFilterError("verify_diagnosis expects a dict of the verify role's evidence")
    missing = [key for key in REQUIRED if evidence.get(key) in (None, "")]
    if missing:
        raise AnsibleFilterError(f"verify_diagnosis: the evidence lacks {', '.join(missing)}")
    unknown = sorted(str(key) for key in evidence if key not in REQUIRED + SETTINGS + EVIDENCE + EXTRA_EVIDENCE)
    if unknown:
        raise AnsibleFilterError(f"verify_diagnosis: unknown evidence {', '.join(unknown)}")
    for key, kind, parse in (
        ("target_ip", "an IPv4 address", reachability.address),
        ("source_ip", "an IPv4 address", reachability.address),
        ("target_cidr", "an IPv4 network", reachability.network),
        ("source_cidr", "an IPv4 network", reachability.network),
    ):
        if parse(evidence[key]) is None:
            raise AnsibleFilterError(
                f"verify_diagnosis: {key} must be {kind}, not {reachability.quoted(evidence[key])}"
            )
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
    errors.append(f"Not checked, {what}: {reachability.quoted(result.get('msg') or 'the lookup returned nothing')}")
    return None


def _end(evidence: Mapping[str, Any], role: str, default: str, instances: list[Any] | None) -> End:
    at = reachability.address(evidence[f"{role}_ip"])
    found = reachability.instance_at(instances, at) if instances is not None else None
    name = str(evidence.get(f"{role}_name") or default)
    return End(name, at, reachability.network(evidence[f"{role}_cidr"]), found)


def _gateway_targets(gateway: Mapping[str, Any] | None) -> set[str]:
    """The IDs a route to the customer gateway may name: its instance and its network interfaces."""
    if gateway is None:
        return set()
    targets = {str(gateway.get("instance_id"))}
    targets.update(str(interface.get("network_interface_id")) for interface in gateway.get("network_interfaces") or [])
    return targets - {"None", ""}


def _route_table_problems(
    tables: list[Any], source: End, target: End, gateway_name: str, gateway: Mapping[str, Any] | None
) -> list[str]:
    # There: the source's subnet sends the AWS side to the customer gateway (when it is known, to
    # its instance or one of its network interfaces).
    targets = _gateway_targets(gateway)
    there = reachability.NextHop(
        f"{gateway_name}'s network interface",
        lambda route: not targets or reachability.route_target(route) in targets,
    )
    # And back: the target's subnet sends the IDC side to the virtual private gateway (or a
    # transit gateway, in the labs that build on this one).
    back = reachability.NextHop(
        f"the virtual private gateway (route propagation on, and the VPN connection's static route {source.network})",
        lambda route: str(route.get("gateway_id") or "").startswith("vgw-") or bool(route.get("transit_gateway_id")),
    )
    return reachability.subnet_route_problems(source, tables, target, there) + reachability.subnet_route_problems(
        target, tables, source, back
    )


def verify_diagnosis(evidence: Any) -> list[str]:
    """The causes the evidence shows for a failed ping of the target from the source, most specific first.

    ``evidence`` maps the names in REQUIRED to the addresses and networks and any of those in EVIDENCE
    and EXTRA_EVIDENCE to what the verify role gathered, each a registered task result as it is
    (roles/verify/vars/main.yml builds it as ``__verify_evidence``). When nothing explains the failure,
    the one sentence says so; sentences starting "Not checked" name evidence that could not be gathered.
    """
    given = _evidence(evidence)
    errors: list[str] = []
    tunnels = _listed(given, "tunnels", "tunnels", errors, "the VPN connection's tunnels")
    tables = _listed(given, "route_tables", "route_tables", errors, "the lab's route tables")
    instances = _listed(given, "instances", "instances", errors, "the lab's instances")
    target = _end(given, "target", "AWS-EC2", instances)
    source = _end(given, "source", "IDC-EC2", instances)
    groups = _listed(given, "security_groups", "security_groups", errors, f"{target.name}'s security groups")
    acls = _listed(given, "network_acls", "nacls", errors, "the lab's network ACLs")
    gateway_name = str(given.get("gateway_name") or "IDC-CGW")
    gateway_ip = str(given.get("gateway_ip") or "").strip()
    gateway = reachability.instance_at(instances or [], gateway_ip) if gateway_ip else None

    trafficstatus = _gathered(given, "gateway_trafficstatus")
    journal = _gathered(given, "gateway_journal")
    gateway_route = _gathered(given, "gateway_route")
    findings = reachability.journal_findings(journal)
    sas = reachability.ipsec_sas(trafficstatus)
    source_route = reachability.host_route_problem(_gathered(given, "source_route"), source.name, target.address)

    peers = reachability.configured_peers(_gathered(given, "gateway_config"))

    problems = reachability.unreachable_problems([trafficstatus, journal, gateway_route], gateway_name)
    problems += reachability.ipsec_problems(trafficstatus, gateway_name)
    problems += reachability.stale_peer_problems(peers, tunnels, gateway_name)
    problems += reachability.journal_problems(findings, tunnels, gateway_name, peers)
    problems += reachability.telemetry_problems(tunnels)
    problems += reachability.no_sa_problems(sas, bool(findings), gateway_name)
    if instances is not None:
        problems += reachability.instance_problems(target)
        problems += reachability.forwarding_problems(gateway_name, gateway, (source.network, target.network))
    problems += [source_route] if source_route else []
    problems += reachability.tunnel_route_problems(
        gateway_route, gateway_name, target, str(given.get("gateway_routing") or "vti") == "vti"
    )
    if tables is not None and instances is not None:
        problems += _route_table_problems(tables, source, target, gateway_name, gateway)
    problems += reachability.security_group_problems(target, groups or [], source)
    problems += reachability.network_acl_problems(source, target, acls or [])
    problems += reachability.traffic_problems(sas, gateway_name, source, target)

    if not problems:
        problems.append(_nothing_found(given, errors, acls is not None, (source.name, gateway_name, target.name)))
    return problems + errors


def _nothing_found(given: Mapping[str, Any], errors: list[str], acls_read: bool, hosts: tuple[str, ...]) -> str:
    if errors or any(_gathered(given, key) is None for key in EVIDENCE):
        return "Nothing in the evidence gathered explains it, but the ping got no answer"
    if acls_read:
        return (
            "The tunnel is up and routes, security groups and network ACLs allow ICMP, but the ping got no answer: "
            f"look at the firewalls of {reachability.spoken(list(hosts))}"
        )
    return (
        "The tunnel is up and routes and security groups allow ICMP, but the ping got no answer: look at the "
        f"subnets' network ACLs and the firewalls of {reachability.spoken(list(hosts))}"
    )


class FilterModule:
    """hybridlab.aws filter naming why the lab's verification ping failed."""

    def filters(self):
        return {"verify_diagnosis": verify_diagnosis}
