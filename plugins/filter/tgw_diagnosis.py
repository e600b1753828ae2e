# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Why a ping through a transit gateway got no answer, from what AWS's API says.

A packet from one lab VPC to another crosses four tables and back: the source subnet's route
table (to the transit gateway), the gateway route table associated with the source's attachment
(to the target's attachment: a VPC, a VPN or a peering, where the peer gateway's table takes
over), then the same on the way back; and the target's security group and both subnets' network
ACLs must let ICMP through. The filter picks those hops from the records the verify role gathers;
module_utils/reachability.py judges each and words the causes, in the same words as
verify_diagnosis where the two labs can fail alike.
"""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import reachability
from ansible_collections.hybridlab.aws.plugins.module_utils.reachability import End

# What a gateway route table's route must lead to: an attachment, which the path then follows.
_ATTACHMENT = reachability.NextHop(
    "the attachment towards it (propagated from that attachment, or a static route: a VPN with static routing "
    "and a peering propagate nothing)",
    lambda route: bool(route.get("transit_gateway_attachment_id")),
)


def _ip(value):
    return ipaddress.IPv4Address(str(value))


def _every(regions, key):
    """The records under ``key`` in every region: their IDs are unique across regions."""
    return [record for data in regions.values() for record in data.get(key) or []]


def _end(regions, name, address):
    """The end at ``address`` and the region of its instance (None when no region has one)."""
    instance = reachability.instance_at(_every(regions, "instances"), address)
    region = next((r for r, data in regions.items() if any(i is instance for i in data.get("instances") or [])), None)
    vpc = reachability.vpc_network(instance, _every(regions, "route_tables"), address) if instance else None
    named = name or (instance and ((instance.get("tags") or {}).get("Name") or instance.get("instance_id")))
    return region, End(str(named or address), address, vpc or ipaddress.IPv4Network(address), instance)


def _gateway_with_attachment(data, predicate):
    for gateway in data.get("transit_gateways") or []:
        for attachment in gateway.get("attachments") or []:
            if predicate(attachment):
                return gateway, attachment
    return None, None


def _through_gateway(regions, region, gateway, attachment, toward):
    """Causes on the way from ``attachment`` of ``gateway`` to the end ``toward``."""
    problems = reachability.unassociated_problems(attachment, gateway)
    if problems:
        return problems
    table_id = attachment["associated_route_table_id"]
    table = next((t for t in gateway.get("route_tables") or [] if t["transit_gateway_route_table_id"] == table_id), {})
    label = f"{table.get('name') or table_id} of {reachability.gateway_name(gateway)} ({region})"
    problem = reachability.route_problem(label, table.get("routes"), toward, _ATTACHMENT)
    if problem:
        return [problem]
    route = reachability.route_to(table.get("routes"), toward.address)[0]
    if route.get("resource_type") != "peering":
        return []
    peering = route["transit_gateway_attachment_id"]
    for peer_region, data in regions.items():
        peer_gateway, peer_attachment = _gateway_with_attachment(
            data, lambda a: a["transit_gateway_attachment_id"] == peering
        )
        if peer_region != region and peer_gateway is not None:
            return reachability.peering_problems(peer_attachment, peer_region) or _through_gateway(
                regions, peer_region, peer_gateway, peer_attachment, toward
            )
    return [f"The peering {peering} is not known in any other region the lab reads"]


def _vpc_path(regions, region, owner, toward):
    """Causes between ``owner``'s instance and the end ``toward``."""
    data = regions[region]
    vpc = owner.instance.get("vpc_id")

    def of_owners_vpc(attachment):
        return attachment["resource_type"] == "vpc" and attachment["resource_id"] == vpc

    attached, _attachment = _gateway_with_attachment(data, of_owners_vpc)
    hop = reachability.NextHop(
        reachability.gateway_name(attached) if attached else "a transit gateway",
        lambda route: bool(route.get("transit_gateway_id")) or route.get("gateway_id") == "local",
    )
    tables = _every(regions, "route_tables")
    problems = reachability.subnet_route_problems(owner, tables, toward, hop)
    tgw_id = (reachability.subnet_route(owner.instance, tables, toward.address) or {}).get("transit_gateway_id")
    if problems or not tgw_id:
        return problems
    gateway = next((g for g in data.get("transit_gateways") or [] if g["transit_gateway_id"] == tgw_id), None)
    if gateway is None:
        return [f"{owner.name}'s subnet sends {toward.network} to {tgw_id}, which the lab does not know"]
    attachment = next(filter(of_owners_vpc, gateway.get("attachments") or []), None)
    if attachment is None:
        return reachability.unattached_problems(owner, gateway)
    return _through_gateway(regions, region, gateway, attachment, toward)


def _vpn_path(regions, toward):
    """Causes from a VPN attachment (traffic arriving from the customer gateway) to the end ``toward``."""
    for region, data in regions.items():
        gateway, attachment = _gateway_with_attachment(data, lambda a: a["resource_type"] == "vpn")
        if attachment is not None:
            return _through_gateway(regions, region, gateway, attachment, toward)
    return ["No transit gateway of the lab has a VPN attachment"]


def tgw_diagnosis(evidence):
    """Causes of the failed pings in ``evidence`` (documented in tgw_diagnosis.yml), in path order."""
    if not isinstance(evidence, dict) or not isinstance(evidence.get("regions"), dict):
        raise AnsibleFilterError("tgw_diagnosis expects a dict with 'regions' (and 'source_ip', 'targets')")
    regions = evidence["regions"]
    try:
        source_region, source = _end(regions, None, _ip(evidence["source_ip"]))
    except (KeyError, ValueError):
        raise AnsibleFilterError("tgw_diagnosis: source_ip must be an IPv4 address") from None
    via_vpn = bool(evidence.get("source_via_vpn"))
    # A rule naming a group lets in the group's members' own interfaces, never what comes through a VPN.
    source_groups = [] if via_vpn else [g["group_id"] for g in (source.instance or {}).get("security_groups") or []]
    causes = []
    for target in evidence.get("targets") or []:
        region, end = _end(regions, target.get("name"), _ip(target["ip"]))
        found = reachability.instance_problems(end)
        if found:
            causes += found
            continue
        if via_vpn:
            causes += _vpn_path(regions, end)
        elif source.instance is not None:
            causes += _vpc_path(regions, source_region, source, end)
        causes += _vpc_path(regions, region, end, source)
        causes += reachability.security_group_problems(end, _every(regions, "security_groups"), source, source_groups)
        causes += reachability.network_acl_problems(source, end, _every(regions, "network_acls"))
    # Pings that fail alike (the way back through one table) name their cause once.
    return list(dict.fromkeys(causes))


class FilterModule:
    def filters(self):
        return {"tgw_diagnosis": tgw_diagnosis}
