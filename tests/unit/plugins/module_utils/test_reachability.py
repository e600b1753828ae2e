"""reachability: each hop of a ping judged once (instances, route tables, transit gateway
attachments, security groups, network ACLs, host routes, tunnels), and the two labs' filters
naming a fault they can both have in the same words."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest

from ansible_collections.hybridlab.aws.plugins.filter.tgw_diagnosis import tgw_diagnosis
from ansible_collections.hybridlab.aws.plugins.filter.verify_diagnosis import verify_diagnosis
from ansible_collections.hybridlab.aws.plugins.module_utils import reachability
from ansible_collections.hybridlab.aws.plugins.module_utils.reachability import End, NextHop


def instance(name: str, ip: str, subnet: str, vpc: str, groups: tuple[str, ...] = (), **fields: Any) -> dict[str, Any]:
    """An instance as amazon.aws.ec2_instance_info returns it."""
    return {
        "instance_id": f"i-{name.lower()}",
        "private_ip_address": ip,
        "subnet_id": subnet,
        "vpc_id": vpc,
        "state": {"name": "running"},
        "tags": {"Name": name},
        "security_groups": [{"group_id": group} for group in groups],
        **fields,
    }


def end(name: str, ip: str, cidr: str, found: dict[str, Any] | None = None) -> End:
    return End(name, ipaddress.IPv4Address(ip), ipaddress.IPv4Network(cidr), found)


def route(cidr: str, state: str = "active", **target: str) -> dict[str, Any]:
    return {"destination_cidr_block": cidr, "state": state, **target}


def vpc_table(table_id: str, name: str, vpc: str, subnet: str | None, *routes: dict[str, Any]) -> dict[str, Any]:
    """A route table as amazon.aws.ec2_vpc_route_table_info returns it; without a subnet, its VPC's main one."""
    association = {"subnet_id": subnet, "main": False} if subnet else {"main": True}
    return {
        "route_table_id": table_id,
        "vpc_id": vpc,
        "tags": {"Name": name},
        "associations": [association],
        "routes": list(routes),
    }


def group(group_id: str, *permissions: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    return {"group_id": group_id, "group_name": name or group_id, "ip_permissions": list(permissions)}


def icmp(cidr: str | None = None, protocol: str = "icmp", icmp_type: Any = -1, code: Any = -1, **more: Any):
    return {
        "ip_protocol": protocol,
        "from_port": icmp_type,
        "to_port": code,
        "ip_ranges": [{"cidr_ip": cidr}] if cidr else [],
        **more,
    }


def acl(acl_id: str, vpc: str, subnets: list[str], ingress: list[list[Any]], egress: list[list[Any]], **more: Any):
    """A network ACL as amazon.aws.ec2_vpc_nacl_info returns it (its final deny rule left out)."""
    return {"nacl_id": acl_id, "vpc_id": vpc, "subnets": subnets, "ingress": ingress, "egress": egress, **more}


EVERYTHING = [100, "all", "allow", "0.0.0.0/0", None, None, 0, 65535]

SOURCE_EC2 = instance("SRC", "10.60.1.100", "subnet-src", "vpc-src", ("sg-src",))
TARGET_EC2 = instance("DST", "10.50.1.100", "subnet-dst", "vpc-dst", ("sg-dst",))
SOURCE = end("SRC", "10.60.1.100", "10.60.0.0/16", SOURCE_EC2)
TARGET = end("DST", "10.50.1.100", "10.50.0.0/16", TARGET_EC2)
TO_ANYTHING = NextHop("the gateway", lambda found: True)
TO_VGW = NextHop("the virtual private gateway", lambda found: str(found.get("gateway_id", "")).startswith("vgw-"))

# Instances


def test_a_running_instance_is_picked_over_a_terminated_one_at_its_address() -> None:
    gone = instance("OLD", "10.50.1.100", "subnet-dst", "vpc-dst", state={"name": "terminated"})
    assert reachability.instance_at([gone, TARGET_EC2], "10.50.1.100") is TARGET_EC2
    assert reachability.instance_at([gone], ipaddress.IPv4Address("10.50.1.100")) is gone
    assert reachability.instance_at([gone, TARGET_EC2], "10.50.1.101") is None


def test_a_missing_or_stopped_instance_is_named() -> None:
    assert reachability.instance_problems(TARGET) == []
    assert reachability.instance_problems(TARGET._replace(instance=None)) == [
        "No instance of the lab has the private address 10.50.1.100: DST does not exist "
        "(or 10.50.1.100 is not its address)"
    ]
    stopped = TARGET._replace(instance=TARGET_EC2 | {"state": {"name": "stopped"}})
    assert reachability.instance_problems(stopped) == ["DST (i-dst, 10.50.1.100) is stopped, not running"]


def test_a_router_with_source_destination_checking_on_is_named() -> None:
    router = instance("CGW", "10.60.0.100", "subnet-pub", "vpc-src", source_dest_check=True)
    assert reachability.forwarding_problems("CGW", router, ("10.60.0.0/16", "10.50.0.0/16")) == [
        "CGW (i-cgw) has source/destination checking on: EC2 drops the packets it forwards between 10.60.0.0/16 "
        "and 10.50.0.0/16; turn it off on its network interface"
    ]
    assert reachability.forwarding_problems("CGW", router | {"source_dest_check": False}, ("a", "b")) == []
    assert reachability.forwarding_problems("CGW", None, ("a", "b")) == []


# Route tables


def test_the_longest_prefix_carries_an_address_whatever_its_state() -> None:
    routes = [
        route("0.0.0.0/0", gateway_id="igw-1"),
        route("10.60.0.0/16", gateway_id="vgw-1"),
        route("10.60.1.0/24", "blackhole", network_interface_id="eni-gone"),
        route("not a cidr", gateway_id="vgw-2"),
        {"destination_ipv6_cidr_block": "::/0", "gateway_id": "igw-1"},
    ]
    found, destination = reachability.route_to(routes, ipaddress.IPv4Address("10.60.1.100"))
    assert (found["network_interface_id"], str(destination)) == ("eni-gone", "10.60.1.0/24")
    assert reachability.route_to(routes, ipaddress.IPv4Address("10.60.2.1"))[0]["gateway_id"] == "vgw-1"
    assert reachability.route_to(routes[1:], ipaddress.IPv4Address("192.0.2.1")) is None
    assert reachability.route_to(None, ipaddress.IPv4Address("192.0.2.1")) is None


@pytest.mark.parametrize(
    "routes, said",
    [
        (
            [],
            "RT (rtb-1), the route table of DST's subnet, has no route to 10.60.0.0/16: 10.60.1.100 matches no route; "
            "it needs 10.60.0.0/16 via the virtual private gateway",
        ),
        (
            [route("0.0.0.0/0", gateway_id="igw-1")],
            "RT (rtb-1), the route table of DST's subnet, has no route to 10.60.0.0/16: 10.60.1.100 would follow "
            "0.0.0.0/0 to igw-1; it needs 10.60.0.0/16 via the virtual private gateway",
        ),
        (
            [route("10.60.0.0/16", "blackhole", gateway_id="vgw-gone")],
            "RT (rtb-1), the route table of DST's subnet, routes 10.60.0.0/16 to a blackhole: its target vgw-gone is "
            "gone (deleted or detached); it needs 10.60.0.0/16 via the virtual private gateway",
        ),
        (
            [route("10.60.0.0/16", "blackhole")],
            "RT (rtb-1), the route table of DST's subnet, routes 10.60.0.0/16 to a blackhole: it drops what it "
            "carries; it needs 10.60.0.0/16 via the virtual private gateway",
        ),
        (
            [route("10.60.0.0/16", "pending", gateway_id="vgw-1")],
            "RT (rtb-1), the route table of DST's subnet, has its route to 10.60.0.0/16 pending, not active; it needs "
            "10.60.0.0/16 via the virtual private gateway",
        ),
        (
            [route("10.60.0.0/16", vpc_peering_connection_id="pcx-1")],
            "RT (rtb-1), the route table of DST's subnet, sends 10.60.0.0/16 to pcx-1; it needs 10.60.0.0/16 via the "
            "virtual private gateway",
        ),
        ([route("10.60.0.0/16", gateway_id="vgw-1")], None),
    ],
)
def test_a_route_table_is_judged_by_the_route_it_picks(routes: list[dict[str, Any]], said: str | None) -> None:
    assert reachability.route_problem("RT (rtb-1)", routes, SOURCE, TO_VGW, "DST's subnet") == said


def test_a_table_serving_no_subnet_is_named_alone() -> None:
    assert reachability.route_problem("TGW-RT of TGW (here)", [], SOURCE, TO_ANYTHING) == (
        "TGW-RT of TGW (here) has no route to 10.60.0.0/16: 10.60.1.100 matches no route; it needs 10.60.0.0/16 "
        "via the gateway"
    )


def test_a_subnet_uses_its_own_table_else_its_vpcs_main_one() -> None:
    own = vpc_table("rtb-own", "OWN", "vpc-dst", "subnet-dst", route("10.50.0.0/16", gateway_id="local"))
    main = vpc_table("rtb-main", "MAIN", "vpc-dst", None)
    other = vpc_table("rtb-other", "OTHER", "vpc-other", None)
    assert reachability.subnet_table(TARGET_EC2, [other, main, own]) is own
    assert reachability.subnet_table(TARGET_EC2, [other, main]) is main
    assert reachability.subnet_table(TARGET_EC2, [other]) is None
    assert str(reachability.vpc_network(TARGET_EC2, [own], TARGET.address)) == "10.50.0.0/16"
    assert reachability.vpc_network(TARGET_EC2, [main], TARGET.address) is None


def test_a_subnet_route_is_judged_in_the_table_the_subnet_uses() -> None:
    tables = [vpc_table("rtb-dst", "DST-RT", "vpc-dst", "subnet-dst", route("10.60.0.0/16", gateway_id="vgw-1"))]
    assert reachability.subnet_route_problems(TARGET, tables, SOURCE, TO_VGW) == []
    assert reachability.subnet_route(TARGET_EC2, tables, SOURCE.address)["gateway_id"] == "vgw-1"
    assert reachability.subnet_route_problems(TARGET, [], SOURCE, TO_VGW) == [
        "DST's subnet subnet-dst uses none of the lab's route tables (its VPC's main route table, which has no route "
        "to 10.60.0.0/16)"
    ]
    assert reachability.subnet_route_problems(TARGET._replace(instance=None), [], SOURCE, TO_VGW) == []


# Transit gateways


def test_an_attachment_in_no_route_table_is_named() -> None:
    gateway = {"transit_gateway_id": "tgw-1", "name": "TGW"}
    attachment = {"transit_gateway_attachment_id": "tgw-attach-1", "resource_type": "vpn", "resource_id": "vpn-1"}
    assert reachability.unassociated_problems(attachment | {"associated_route_table_id": "tgw-rtb-1"}, gateway) == []
    assert reachability.unassociated_problems(attachment, gateway) == [
        "Attachment tgw-attach-1 (vpn vpn-1) of TGW is associated with no route table, so the gateway drops what "
        "arrives through it: associate it (TransitGatewayRouteTableAssociation)"
    ]


def test_a_peering_not_accepted_and_a_vpc_without_attachment_are_named() -> None:
    peering = {"transit_gateway_attachment_id": "tgw-attach-9", "state": "pendingAcceptance"}
    assert reachability.peering_problems(peering, "ap-northeast-1") == [
        "The peering tgw-attach-9 is pendingAcceptance, not available (accept it in ap-northeast-1)"
    ]
    assert reachability.peering_problems(peering | {"state": "available"}, "ap-northeast-1") == []
    assert reachability.unattached_problems(SOURCE, {"transit_gateway_id": "tgw-1"}) == [
        "vpc-src (SRC's VPC) has no attachment to tgw-1"
    ]


# Security groups


@pytest.mark.parametrize(
    "rule",
    [
        icmp("10.60.0.0/16"),
        icmp("10.60.1.100/32", icmp_type=8, code=0),
        icmp("10.60.1.0/24", icmp_type="8", code=None),
        icmp("0.0.0.0/0", protocol="1"),
        icmp("10.0.0.0/8", protocol="-1", icmp_type=None, code=None),
        icmp(prefix_list_ids=[{"prefix_list_id": "pl-1"}]),
        icmp(user_id_group_pairs=[{"group_id": "sg-src"}]),
    ],
)
def test_a_rule_letting_an_echo_request_in_from_the_source_is_enough(rule: dict[str, Any]) -> None:
    groups = [group("sg-dst", rule)]
    assert reachability.security_group_problems(TARGET, groups, SOURCE, source_groups=["sg-src"]) == []


@pytest.mark.parametrize(
    "rule",
    [
        icmp("10.60.0.0/16", icmp_type=0),
        icmp("10.60.0.0/16", icmp_type=8, code=3),
        icmp("10.60.0.0/16", protocol="tcp", icmp_type=0, code=65535),
        icmp(user_id_group_pairs=[{"group_id": "sg-src"}]),
    ],
)
def test_a_rule_letting_no_echo_request_in_from_the_source_is_not_enough(rule: dict[str, Any]) -> None:
    (found,) = reachability.security_group_problems(TARGET, [group("sg-dst", rule, name="DST-SG")], SOURCE)
    assert found == (
        "DST's security group DST-SG (sg-dst) allows no ICMP echo from 10.60.1.100 (10.60.0.0/16): add an inbound "
        "ICMP rule for 10.60.0.0/16"
    )


def test_every_group_of_the_target_is_named_with_where_icmp_is_allowed_from() -> None:
    target = TARGET._replace(instance=TARGET_EC2 | {"security_groups": [{"group_id": "sg-a"}, {"group_id": "sg-b"}]})
    groups = [group("sg-a", icmp("10.70.0.0/16"), name="A"), group("sg-b", icmp("10.80.0.0/16")), group("sg-dst")]
    assert reachability.security_group_problems(target, groups, SOURCE) == [
        "DST's security groups A (sg-a) and sg-b allow no ICMP echo from 10.60.1.100 (10.60.0.0/16); ICMP is allowed "
        "only from 10.70.0.0/16 and 10.80.0.0/16: add an inbound ICMP rule for 10.60.0.0/16"
    ]


def test_groups_not_read_or_an_instance_not_found_claim_nothing() -> None:
    assert reachability.security_group_problems(TARGET, [group("sg-other")], SOURCE) == []
    assert reachability.security_group_problems(TARGET._replace(instance=None), [group("sg-dst")], SOURCE) == []


# Network ACLs


def test_acls_allowing_everything_stop_nothing() -> None:
    acls = [
        acl("acl-src", "vpc-src", ["subnet-src"], [EVERYTHING], [EVERYTHING]),
        acl("acl-dst", "vpc-dst", ["subnet-dst"], [EVERYTHING], [EVERYTHING]),
    ]
    assert reachability.network_acl_problems(SOURCE, TARGET, acls) == []
    assert reachability.network_acl_problems(SOURCE, TARGET, []) == []


def test_the_lowest_numbered_matching_rule_decides() -> None:
    deny = [90, "icmp", "deny", "10.60.0.0/16", -1, -1, None, None]
    allow_after = [[200, "all", "allow", "0.0.0.0/0", None, None, 0, 65535], deny]
    acls = [acl("acl-dst", "vpc-dst", ["subnet-dst"], allow_after, [EVERYTHING], tags={"Name": "DST-ACL"})]
    assert reachability.network_acl_problems(SOURCE, TARGET, acls) == [
        "DST-ACL (acl-dst), the network ACL of DST's subnet, lets no ICMP echo request in from 10.60.1.100: its rule "
        "90 denies icmp from 10.60.0.0/16; add an inbound rule allowing ICMP from 10.60.0.0/16 numbered below 90"
    ]


def test_no_matching_rule_is_the_final_deny_and_the_reply_is_ruled_on_its_own() -> None:
    echo_requests_only = [[100, "icmp", "allow", "10.60.0.0/16", 8, -1, None, None]]
    acls = [acl("acl-dst", "vpc-dst", [], [EVERYTHING], echo_requests_only, is_default=True)]
    assert reachability.network_acl_problems(SOURCE, TARGET, acls) == [
        "acl-dst, the network ACL of DST's subnet, lets no ICMP echo reply out to 10.60.1.100: none of its rules "
        "allows it, so its final rule (*) denies it; add an outbound rule allowing ICMP to 10.60.0.0/16"
    ]


def test_an_ipv6_or_malformed_rule_is_passed_over() -> None:
    rules = [[50, "all", "deny", "::/0", None, None, 0, 65535], "junk", [60], EVERYTHING]
    acls = [acl("acl-src", "vpc-src", ["subnet-src"], rules, rules)]
    assert reachability.network_acl_problems(SOURCE, TARGET, acls) == []


# Routes on the hosts and the tunnels


def test_a_host_route_that_drops_the_packet_is_named_and_a_missing_ip_command_is_not() -> None:
    failed = {"rc": 2, "stderr": "RTNETLINK answers: Network is unreachable", "stdout": ""}
    assert reachability.host_route_problem(failed, "SRC", "10.50.1.100") == (
        "SRC has no route to 10.50.1.100 (ip route get: RTNETLINK answers: Network is unreachable)"
    )
    assert reachability.host_route_problem({"rc": 0, "stdout": "blackhole 10.50.1.100"}, "SRC", "x") is not None
    assert reachability.host_route_problem({"rc": 127, "stderr": "ip: command not found"}, "SRC", "x") is None
    assert (
        reachability.host_route_problem({"rc": 0, "stdout": "10.50.1.100 via 10.60.1.1 dev eth0"}, "SRC", "x") is None
    )


def test_a_gateway_routing_past_its_tunnels_is_named_only_for_route_based_tunnels() -> None:
    past = {"rc": 0, "stdout": "10.50.1.100 via 10.60.0.1 dev eth0 src 10.60.0.100"}
    assert reachability.tunnel_route_problems(past, "CGW", TARGET, route_based=False) == []
    assert reachability.tunnel_route_problems({"rc": 0, "stdout": "10.50.1.100 dev vti2"}, "CGW", TARGET, True) == []
    assert reachability.tunnel_route_problems(past, "CGW", TARGET, route_based=True) == [
        "CGW routes 10.50.1.100 via 10.60.0.1 dev eth0, not into a tunnel (vti1 or vti2): the updown script routes "
        "10.50.0.0/16 through a tunnel's VTI interface only while that tunnel is up"
    ]


def test_only_every_tunnel_down_is_a_cause() -> None:
    up, down = {"outside_ip": "203.0.113.10", "status": "UP"}, {"outside_ip": "203.0.113.20", "status": "DOWN"}
    assert reachability.telemetry_problems([up, down]) == []
    assert reachability.telemetry_problems([down]) == ["The tunnel is DOWN in AWS's telemetry: Tunnel1 203.0.113.20"]


def test_a_failure_logged_before_the_tunnel_came_up_is_forgotten() -> None:
    journal = {
        "rc": 0,
        "stdout": '"Tunnel1" #1: AUTHENTICATION_FAILED\n"Tunnel1" #2: established Child SA\n"Tunnel2" #3: timeout',
    }
    assert {name: cause for name, (cause, _line) in reachability.journal_findings(journal).items()} == {
        "Tunnel2": "silent"
    }


def test_a_long_output_is_quoted_short() -> None:
    assert len(reachability.quoted("x" * 500)) == reachability.QUOTED_LENGTH
    assert reachability.quoted(" a \n b ") == "a b"


# Both labs, one fault, one sentence

SSH = {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}]}
NO_ECHO_IN = [[90, "icmp", "deny", "10.0.0.0/8", 8, -1, None, None], EVERYTHING]


def _vpn_lab(*rules: dict[str, Any]) -> dict[str, Any]:
    """verify_diagnosis's evidence: IDC-EC2 pings AWS-EC2, whose only group has ``rules``."""
    ends = {"target": ("AWS-EC2", "10.50.1.100", "10.50.0.0/16"), "source": ("IDC-EC2", "10.60.1.100", "10.60.0.0/16")}
    return {
        f"{end}_{field}": value for end, values in ends.items() for field, value in zip(("name", "ip", "cidr"), values)
    } | {
        "instances": {
            "instances": [
                instance("AWS-EC2", "10.50.1.100", "subnet-aws", "vpc-aws", ("sg-0aws",)),
                instance("IDC-EC2", "10.60.1.100", "subnet-idc", "vpc-idc"),
            ]
        },
        "security_groups": {"security_groups": [group("sg-0aws", *rules, name="AWS-EC2-SG")]},
    }


def _tgw_lab(*rules: dict[str, Any]) -> dict[str, Any]:
    """tgw_diagnosis's evidence: VPC0-EC2 pings VPC1-EC2 through LAB-TGW; VPC1-EC2's only group has ``rules``."""
    attachments = [
        {
            "transit_gateway_attachment_id": f"tgw-attach-{n}",
            "resource_type": "vpc",
            "resource_id": f"vpc-{n}",
            "state": "available",
            "associated_route_table_id": "tgw-rtb-1",
        }
        for n in range(2)
    ]
    tgw_routes = [
        route(f"10.{n}.0.0/16", transit_gateway_attachment_id=f"tgw-attach-{n}", resource_type="vpc") for n in range(2)
    ]
    region = {
        "transit_gateways": [
            {
                "transit_gateway_id": "tgw-1",
                "name": "LAB-TGW",
                "attachments": attachments,
                "route_tables": [{"transit_gateway_route_table_id": "tgw-rtb-1", "name": "RT", "routes": tgw_routes}],
            }
        ],
        "route_tables": [
            vpc_table(
                f"rtb-{n}",
                f"VPC{n}-RT",
                f"vpc-{n}",
                f"subnet-{n}",
                route(f"10.{n}.0.0/16", gateway_id="local"),
                route("10.0.0.0/8", transit_gateway_id="tgw-1"),
            )
            for n in range(2)
        ],
        "instances": [
            instance(f"VPC{n}-EC2", f"10.{n}.1.4", f"subnet-{n}", f"vpc-{n}", (f"sg-{n}",)) for n in range(2)
        ],
        "security_groups": [group("sg-0", icmp("10.0.0.0/8")), group("sg-1", *rules, name="VPC1-SG")],
    }
    return {"source_ip": "10.0.1.4", "targets": [{"name": "VPC1-EC2", "ip": "10.1.1.4"}], "regions": {"here": region}}


# How each lab names the ping's ends, the target's group and subnet: the words that may differ.
VPN_NAMES = {
    "AWS-EC2-SG": "{group}",
    "sg-0aws": "{group_id}",
    "AWS-RT (rtb-aws)": "{table}",
    "acl-aws": "{acl}",
    "AWS-EC2": "{target}",
    "10.60.1.100": "{source_ip}",
    "10.60.0.0/16": "{source_cidr}",
}
TGW_NAMES = {
    "VPC1-SG": "{group}",
    "sg-1": "{group_id}",
    "VPC1-RT (rtb-1)": "{table}",
    "acl-1": "{acl}",
    "VPC1-EC2": "{target}",
    "10.0.1.4": "{source_ip}",
    "10.0.0.0/16": "{source_cidr}",
}


def _words(sentence: str, names: dict[str, str]) -> str:
    for name, role in names.items():
        sentence = sentence.replace(name, role)
    return sentence


def _in_both_labs(vpn_evidence: dict[str, Any], tgw_evidence: dict[str, Any]) -> tuple[str, str]:
    """The one sentence each lab's filter says, each lab's names put as the names' roles."""
    (vpn_lab,) = verify_diagnosis(vpn_evidence)
    (tgw_lab,) = tgw_diagnosis(tgw_evidence)
    return _words(vpn_lab, VPN_NAMES), _words(tgw_lab, TGW_NAMES)


def _group_without_icmp() -> tuple[dict[str, Any], dict[str, Any]]:
    return _vpn_lab(SSH), _tgw_lab(SSH)


def _acl_without_icmp() -> tuple[dict[str, Any], dict[str, Any]]:
    vpn_evidence = _vpn_lab(SSH, icmp("10.60.0.0/16"))
    vpn_evidence["network_acls"] = {"nacls": [acl("acl-aws", "vpc-aws", ["subnet-aws"], NO_ECHO_IN, [EVERYTHING])]}
    tgw_evidence = _tgw_lab(SSH, icmp("10.0.0.0/8"))
    tgw_evidence["regions"]["here"]["network_acls"] = [acl("acl-1", "vpc-1", ["subnet-1"], NO_ECHO_IN, [EVERYTHING])]
    return vpn_evidence, tgw_evidence


@pytest.mark.parametrize(
    "fault, sentence",
    [
        (
            _group_without_icmp,
            "{target}'s security group {group} ({group_id}) allows no ICMP echo from {source_ip} ({source_cidr}): "
            "add an inbound ICMP rule for {source_cidr}",
        ),
        (
            _acl_without_icmp,
            "{acl}, the network ACL of {target}'s subnet, lets no ICMP echo request in from {source_ip}: its rule 90 "
            "denies icmp from 10.0.0.0/8; add an inbound rule allowing ICMP from {source_cidr} numbered below 90",
        ),
    ],
    ids=["security group", "network ACL"],
)
def test_both_labs_name_the_target_refusing_icmp_in_the_same_words(fault: Any, sentence: str) -> None:
    vpn_lab, tgw_lab = _in_both_labs(*fault())
    assert vpn_lab == tgw_lab == sentence


def test_both_labs_name_a_missing_route_back_in_the_same_frame() -> None:
    vpn_evidence = _vpn_lab(SSH, icmp("10.60.0.0/16"))
    vpn_evidence["route_tables"] = {
        "route_tables": [
            vpc_table(
                "rtb-idc", "IDC-RT", "vpc-idc", "subnet-idc", route("10.50.0.0/16", network_interface_id="eni-1")
            ),
            vpc_table("rtb-aws", "AWS-RT", "vpc-aws", "subnet-aws", route("10.50.0.0/16", gateway_id="local")),
        ]
    }
    tgw_evidence = _tgw_lab(SSH, icmp("10.0.0.0/8"))
    tgw_evidence["regions"]["here"]["route_tables"][1]["routes"].pop()
    vpn_lab, tgw_lab = _in_both_labs(vpn_evidence, tgw_evidence)
    # Only what the route must lead to, the lab's next hop, differs.
    frame = (
        "{table}, the route table of {target}'s subnet, has no route to {source_cidr}: {source_ip} matches no route; "
        "it needs {source_cidr} via "
    )
    assert vpn_lab == frame + (
        "the virtual private gateway (route propagation on, and the VPN connection's static route {source_cidr})"
    )
    assert tgw_lab == frame + "LAB-TGW"


def test_the_vpn_lab_sends_the_reader_to_network_acls_only_when_it_did_not_read_them() -> None:
    evidence = _vpn_lab(SSH, icmp("10.60.0.0/16")) | {
        "tunnels": {"tunnels": []},
        "gateway_trafficstatus": {"rc": 0, "stdout": '#2: "Tunnel1", type=ESP, inBytes=84, outBytes=84'},
        "gateway_journal": {"rc": 0, "stdout": ""},
        "gateway_route": {"rc": 0, "stdout": "10.50.1.100 dev vti1"},
        "source_route": {"rc": 0, "stdout": "10.50.1.100 via 10.60.1.1 dev eth0"},
        "route_tables": {
            "route_tables": [
                vpc_table("rtb-idc", "IDC-RT", "vpc-idc", "subnet-idc", route("10.50.0.0/16", instance_id="i-cgw")),
                vpc_table("rtb-aws", "AWS-RT", "vpc-aws", "subnet-aws", route("10.60.0.0/16", gateway_id="vgw-1")),
            ]
        },
    }
    assert verify_diagnosis(evidence) == [
        "The tunnel is up and routes and security groups allow ICMP, but the ping got no answer: look at the "
        "subnets' network ACLs and the firewalls of IDC-EC2, IDC-CGW and AWS-EC2"
    ]
    acls = [
        acl(f"acl-{side}", f"vpc-{side}", [f"subnet-{side}"], [EVERYTHING], [EVERYTHING]) for side in ("aws", "idc")
    ]
    assert verify_diagnosis(evidence | {"network_acls": {"nacls": acls}}) == [
        "The tunnel is up and routes, security groups and network ACLs allow ICMP, but the ping got no answer: look "
        "at the firewalls of IDC-EC2, IDC-CGW and AWS-EC2"
    ]
