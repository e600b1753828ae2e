# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Why a ping through a transit gateway got no answer, from what AWS's API says.

A packet from one lab VPC to another crosses four tables and back: the source subnet's route
table (to the transit gateway), the gateway route table associated with the source's attachment
(to the target's attachment: a VPC, a VPN or a peering, where the peer gateway's table takes
over), then the same on the way back; and the target's security group must let ICMP in. The
filter follows that path in the records the verify role gathers and names the first table that
has no route, a blackhole, an attachment without a route table, or a group without ICMP.
"""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError


def _ip(value):
    return ipaddress.IPv4Address(str(value))


def _longest(routes, address, key="destination_cidr_block"):
    """The route for ``address`` by longest prefix, or None."""
    best = None
    for route in routes or []:
        cidr = route.get(key)
        if not cidr:
            continue
        net = ipaddress.IPv4Network(cidr, strict=False)
        if address in net and (best is None or net.prefixlen > best[0].prefixlen):
            best = (net, route)
    return best[1] if best else None


def _instance(regions, address):
    for region, data in regions.items():
        for instance in data.get("instances") or []:
            if instance.get("private_ip_address") == str(address) and (instance.get("state") or {}).get("name") != "terminated":
                return region, instance
    return None, None


def _name(instance):
    return (instance.get("tags") or {}).get("Name") or instance.get("instance_id")


def _subnet_table(data, instance):
    tables = [t for t in data.get("route_tables") or [] if t.get("vpc_id") == instance.get("vpc_id")]
    for table in tables:
        if any(a.get("subnet_id") == instance.get("subnet_id") for a in table.get("associations") or []):
            return table
    return next((t for t in tables if any(a.get("main") for a in t.get("associations") or [])), None)


def _gateway_with_attachment(data, predicate):
    for gateway in data.get("transit_gateways") or []:
        for attachment in gateway.get("attachments") or []:
            if predicate(attachment):
                return gateway, attachment
    return None, None


def _table(gateway, table_id):
    return next((t for t in gateway.get("route_tables") or [] if t["transit_gateway_route_table_id"] == table_id), None)


def _through_gateway(regions, region, gateway, attachment, destination, where):
    """Causes on the way from ``attachment`` of ``gateway`` to ``destination`` (an address)."""
    table_id = attachment.get("associated_route_table_id")
    if not table_id:
        return [
            f"{where}: attachment {attachment['transit_gateway_attachment_id']} ({attachment['resource_type']} "
            f"{attachment['resource_id']}) of {gateway.get('name') or gateway['transit_gateway_id']} is associated with "
            "no route table, so the gateway drops what arrives through it: associate it (TransitGatewayRouteTableAssociation)"
        ]
    table = _table(gateway, table_id) or {"routes": []}
    route = _longest(table.get("routes"), destination)
    label = f"{table.get('name') or table_id} of {gateway.get('name') or gateway['transit_gateway_id']} ({region})"
    if route is None:
        return [
            f"{where}: {label} has no route to {destination}: propagate the destination's VPC attachment into it "
            "or add a static route (a VPN with static routing and a peering propagate nothing)"
        ]
    if route.get("state") != "active" or not route.get("transit_gateway_attachment_id"):
        return [f"{where}: {label} routes {route['destination_cidr_block']} to a blackhole ({route.get('state')})"]
    if route.get("resource_type") == "peering":
        peer_region = next(
            (
                other
                for other, data in regions.items()
                if other != region
                and _gateway_with_attachment(data, lambda a: a["transit_gateway_attachment_id"] == route["transit_gateway_attachment_id"])[0]
            ),
            None,
        )
        if peer_region is None:
            return [f"{where}: the peering {route['transit_gateway_attachment_id']} is not known in any other region the lab reads"]
        peer_gateway, peer_attachment = _gateway_with_attachment(
            regions[peer_region], lambda a: a["transit_gateway_attachment_id"] == route["transit_gateway_attachment_id"]
        )
        if peer_attachment.get("state") != "available":
            return [
                f"{where}: the peering {peer_attachment['transit_gateway_attachment_id']} is "
                f"{peer_attachment.get('state')}, not available (accept it in {peer_region})"
            ]
        return _through_gateway(regions, peer_region, peer_gateway, peer_attachment, destination, where)
    return []


def _vpc_path(regions, source, destination, where):
    """Causes between the instance ``source`` and the address ``destination``."""
    region, instance = source
    data = regions[region]
    table = _subnet_table(data, instance)
    if table is None:
        return [f"{where}: no route table is found for {_name(instance)}'s subnet {instance.get('subnet_id')}"]
    table_name = (table.get("tags") or {}).get("Name") or table.get("id") or table.get("route_table_id")
    route = _longest(table.get("routes"), destination)
    if route is None:
        return [f"{where}: {table_name} ({_name(instance)}'s subnet) has no route to {destination}"]
    if route.get("state") == "blackhole":
        return [f"{where}: {table_name} routes {route['destination_cidr_block']} to a target that is gone (blackhole)"]
    if route.get("gateway_id") == "local" or route.get("network_interface_id"):
        return []
    tgw_id = route.get("transit_gateway_id")
    if not tgw_id:
        return [f"{where}: {table_name} sends {destination} to {route.get('gateway_id') or 'something'} instead of the transit gateway"]
    gateway = next((g for g in data.get("transit_gateways") or [] if g["transit_gateway_id"] == tgw_id), None)
    if gateway is None:
        return [f"{where}: {table_name} sends {destination} to {tgw_id}, which the lab does not know"]
    attachment = next(
        (a for a in gateway.get("attachments") or [] if a["resource_type"] == "vpc" and a["resource_id"] == instance.get("vpc_id")),
        None,
    )
    if attachment is None:
        return [f"{where}: {instance.get('vpc_id')} ({_name(instance)}'s VPC) has no attachment to {gateway.get('name') or tgw_id}"]
    return _through_gateway(regions, region, gateway, attachment, destination, where)


def _vpn_path(regions, destination, where):
    """Causes from a VPN attachment (traffic arriving from the customer gateway) to ``destination``."""
    for region, data in regions.items():
        gateway, attachment = _gateway_with_attachment(data, lambda a: a["resource_type"] == "vpn")
        if attachment is not None:
            return _through_gateway(regions, region, gateway, attachment, destination, where)
    return [f"{where}: no transit gateway of the lab has a VPN attachment"]


def _icmp_allowed(data, instance, source_ip):
    groups = {g["group_id"]: g for g in data.get("security_groups") or []}
    members = {}
    for other in data.get("instances") or []:
        for group in other.get("security_groups") or []:
            members.setdefault(group["group_id"], set()).add(other.get("private_ip_address"))
    for group in instance.get("security_groups") or []:
        for permission in (groups.get(group["group_id"]) or {}).get("ip_permissions") or []:
            if str(permission.get("ip_protocol")) not in ("icmp", "-1", "1"):
                continue
            if any(source_ip in ipaddress.IPv4Network(r["cidr_ip"], strict=False) for r in permission.get("ip_ranges") or []):
                return True
            if any(str(source_ip) in members.get(p.get("group_id"), set()) for p in permission.get("user_id_group_pairs") or []):
                return True
    return False


def tgw_diagnosis(evidence):
    """Causes of the failed pings in ``evidence`` (documented in tgw_diagnosis.yml), in path order."""
    if not isinstance(evidence, dict) or not isinstance(evidence.get("regions"), dict):
        raise AnsibleFilterError("tgw_diagnosis expects a dict with 'regions' (and 'source_ip', 'targets')")
    regions = evidence["regions"]
    try:
        source_ip = _ip(evidence["source_ip"])
    except (KeyError, ValueError):
        raise AnsibleFilterError("tgw_diagnosis: source_ip must be an IPv4 address") from None
    source = _instance(regions, source_ip)
    via_vpn = bool(evidence.get("source_via_vpn"))
    causes = []
    for target in evidence.get("targets") or []:
        name, target_ip = target.get("name") or target["ip"], _ip(target["ip"])
        found = _instance(regions, target_ip)
        if found[1] is None:
            causes.append(f"{name}: no instance of the lab has the address {target_ip}")
            continue
        state = (found[1].get("state") or {}).get("name")
        if state != "running":
            causes.append(f"{name}: instance {found[1].get('instance_id')} is {state}, not running")
            continue
        if via_vpn:
            causes += _vpn_path(regions, target_ip, f"{name}, on the way there")
        elif source[1] is not None:
            causes += _vpc_path(regions, source, target_ip, f"{name}, on the way there")
        causes += _vpc_path(regions, found, source_ip, f"{name}, on the way back")
        if not _icmp_allowed(regions[found[0]], found[1], source_ip):
            causes.append(f"{name}: its security groups let no ICMP in from {source_ip}")
    return causes


class FilterModule:
    def filters(self):
        return {"tgw_diagnosis": tgw_diagnosis}
