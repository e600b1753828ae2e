"""Filters route_specs and security_group_rule_specs: info modules' records as the managing modules' arguments."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridlab.aws.plugins.filter.aws_specs import route_specs
from ansible_collections.hybridlab.aws.plugins.filter.aws_specs import security_group_rule_specs


def test_own_routes_are_kept_with_their_target_and_local_or_propagated_ones_left_out() -> None:
    routes = [
        {"destination_cidr_block": "10.60.0.0/16", "gateway_id": "local", "origin": "CreateRouteTable"},
        # A route to an instance's interface reads back with both ids.
        {"destination_cidr_block": "10.50.0.0/16", "instance_id": "i-0123456789abcdef0",
         "network_interface_id": "eni-0123456789abcdef0", "origin": "CreateRoute"},
        {"destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-0123456789abcdef0", "origin": "CreateRoute"},
        {"destination_cidr_block": "10.0.0.0/8", "transit_gateway_id": "tgw-0123456789abcdef0", "origin": "CreateRoute"},
        {"destination_cidr_block": "172.16.0.0/16", "gateway_id": "vgw-0123456789abcdef0",
         "origin": "EnableVgwRoutePropagation"},
    ]
    assert route_specs(routes) == [
        {"dest": "10.50.0.0/16", "network_interface_id": "eni-0123456789abcdef0"},
        {"dest": "0.0.0.0/0", "gateway_id": "igw-0123456789abcdef0"},
        {"dest": "10.0.0.0/8", "transit_gateway_id": "tgw-0123456789abcdef0"},
    ]


def test_each_source_of_a_permission_is_one_rule() -> None:
    permissions = [
        {"ip_protocol": "tcp", "from_port": 22, "to_port": 22,
         "ip_ranges": [{"cidr_ip": "203.0.113.7/32", "description": "SSH from the operator"}]},
        {"ip_protocol": "icmp", "from_port": -1, "to_port": -1,
         "ip_ranges": [{"cidr_ip": "10.60.0.0/16"}, {"cidr_ip": "10.70.0.0/16"}]},
        {"ip_protocol": "-1", "user_id_group_pairs": [{"group_id": "sg-0123456789abcdef0"}]},
        {"ip_protocol": "udp", "from_port": 500, "to_port": 500, "prefix_list_ids": [{"prefix_list_id": "pl-0123"}],
         "ipv6_ranges": [{"cidr_ipv6": "2001:db8::/32"}]},
    ]
    assert security_group_rule_specs(permissions) == [
        {"proto": "tcp", "from_port": 22, "to_port": 22, "cidr_ip": "203.0.113.7/32", "rule_desc": "SSH from the operator"},
        {"proto": "icmp", "from_port": -1, "to_port": -1, "cidr_ip": "10.60.0.0/16"},
        {"proto": "icmp", "from_port": -1, "to_port": -1, "cidr_ip": "10.70.0.0/16"},
        {"proto": "all", "group_id": "sg-0123456789abcdef0"},
        {"proto": "udp", "from_port": 500, "to_port": 500, "cidr_ipv6": "2001:db8::/32"},
        {"proto": "udp", "from_port": 500, "to_port": 500, "ip_prefix": "pl-0123"},
    ]


@pytest.mark.parametrize("name, filter_", [("route_specs", route_specs), ("security_group_rule_specs", security_group_rule_specs)])
def test_anything_but_a_list_is_refused_by_name(name, filter_) -> None:
    with pytest.raises(AnsibleFilterError, match=name):
        filter_({"routes": []})
