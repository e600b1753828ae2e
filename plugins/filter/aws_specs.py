# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters: what amazon.aws's info modules read, as the arguments its managing modules take.

amazon.aws.ec2_vpc_route_table and amazon.aws.ec2_security_group replace a table's routes or a
group's rules with the list they are given (purge_routes, purge_rules). Removing one route or one
rule by hand (as the lab's exercises do) is therefore "give back everything else": these filters
turn what ec2_vpc_route_table_info and ec2_security_group_info returned into that list.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

# ec2_vpc_route_table's route targets, most specific first: a route to an instance's network
# interface reads back with both ids and must be given with the interface's.
_ROUTE_TARGETS = (
    "network_interface_id",
    "transit_gateway_id",
    "nat_gateway_id",
    "vpc_peering_connection_id",
    "carrier_gateway_id",
    "instance_id",
    "gateway_id",
)
# EC2's protocol numbers as ec2_security_group names them.
_PROTOCOLS = {"-1": "all", "1": "icmp", "6": "tcp", "17": "udp", "58": "icmpv6"}


def route_specs(routes):
    """The routes someone created (not ``local``, not propagated), as ec2_vpc_route_table's ``routes``."""
    if not isinstance(routes, list):
        raise AnsibleFilterError("route_specs expects the list of routes ec2_vpc_route_table_info returned")
    specs = []
    for route in routes:
        if route.get("origin") not in (None, "CreateRoute") or route.get("gateway_id") == "local":
            continue
        dest = route.get("destination_cidr_block") or route.get("destination_ipv6_cidr_block")
        target = next((key for key in _ROUTE_TARGETS if route.get(key)), None)
        if dest is None or target is None:
            continue
        specs.append({"dest": dest, target: route[target]})
    return specs


def security_group_rule_specs(permissions):
    """Security group permissions (ip_permissions of ec2_security_group_info), one rule per source,
    as ec2_security_group's ``rules``."""
    if not isinstance(permissions, list):
        raise AnsibleFilterError("security_group_rule_specs expects a security group's ip_permissions")
    rules = []
    for permission in permissions:
        protocol = str(permission.get("ip_protocol", "-1"))
        base = {"proto": _PROTOCOLS.get(protocol, protocol)}
        if protocol != "-1":
            base.update(from_port=permission.get("from_port"), to_port=permission.get("to_port"))
        sources = [("cidr_ip", r.get("cidr_ip"), r.get("description")) for r in permission.get("ip_ranges") or []]
        sources += [("cidr_ipv6", r.get("cidr_ipv6"), r.get("description")) for r in permission.get("ipv6_ranges") or []]
        sources += [("group_id", p.get("group_id"), p.get("description")) for p in permission.get("user_id_group_pairs") or []]
        sources += [("ip_prefix", p.get("prefix_list_id"), p.get("description")) for p in permission.get("prefix_list_ids") or []]
        for key, value, description in sources:
            rule = dict(base, **{key: value})
            if description:
                rule["rule_desc"] = description
            rules.append(rule)
    return rules


class FilterModule:
    def filters(self):
        return {"route_specs": route_specs, "security_group_rule_specs": security_group_rule_specs}
