"""The transit gateway diagnosis: it follows the path there and back and names the first break."""

from __future__ import annotations

import copy

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.filter.tgw_diagnosis import tgw_diagnosis

HOME, PEER = "ap-northeast-2", "ap-northeast-1"
TGW, PEER_TGW = "tgw-0000000000000000a", "tgw-0000000000000000b"
RT, PEER_RT = "tgw-rtb-0000000000000000a", "tgw-rtb-0000000000000000b"
ATT = {n: f"tgw-attach-00000000000000{n:02d}" for n in range(6)}
PEERING, VPN = "tgw-attach-0000000000000099", "tgw-attach-0000000000000098"


def _instance(name, ip, vpc, subnet, group, state="running"):
    return {
        "instance_id": f"i-{name.lower()}",
        "private_ip_address": ip,
        "vpc_id": vpc,
        "subnet_id": subnet,
        "state": {"name": state},
        "tags": {"Name": name},
        "security_groups": [{"group_id": group}],
    }


def _table(name, vpc, subnet, routes):
    return {"id": f"rtb-{name}", "vpc_id": vpc, "tags": {"Name": name}, "associations": [{"subnet_id": subnet, "main": False}], "routes": routes}


def _to_tgw(cidr, tgw=TGW):
    return {"destination_cidr_block": cidr, "transit_gateway_id": tgw, "state": "active"}


def _local(cidr):
    return {"destination_cidr_block": cidr, "gateway_id": "local", "state": "active"}


def _group(group, source="10.0.0.0/8"):
    return {"group_id": group, "ip_permissions": [{"ip_protocol": "icmp", "ip_ranges": [{"cidr_ip": source}], "user_id_group_pairs": []}]}


def _route(cidr, attachment, kind):
    return {"destination_cidr_block": cidr, "type": "propagated", "state": "active", "transit_gateway_attachment_id": attachment, "resource_type": kind}


def _evidence():
    home_attachments = [
        {"transit_gateway_attachment_id": ATT[n], "resource_type": "vpc", "resource_id": f"vpc-{n}", "state": "available", "associated_route_table_id": RT}
        for n in range(3)
    ] + [
        {"transit_gateway_attachment_id": PEERING, "resource_type": "peering", "resource_id": PEER_TGW, "state": "available", "associated_route_table_id": RT},
        {"transit_gateway_attachment_id": VPN, "resource_type": "vpn", "resource_id": "vpn-1", "state": "available", "associated_route_table_id": RT},
    ]
    home_routes = [_route(f"10.{n}.0.0/16", ATT[n], "vpc") for n in range(3)] + [
        _route("10.3.0.0/16", PEERING, "peering"),
        _route("10.60.0.0/16", VPN, "vpn"),
    ]
    peer_attachments = [
        {"transit_gateway_attachment_id": ATT[3], "resource_type": "vpc", "resource_id": "vpc-3", "state": "available", "associated_route_table_id": PEER_RT},
        {"transit_gateway_attachment_id": PEERING, "resource_type": "peering", "resource_id": TGW, "state": "available", "associated_route_table_id": PEER_RT},
    ]
    peer_routes = [_route("10.3.0.0/16", ATT[3], "vpc")] + [_route(f"10.{n}.0.0/16", PEERING, "peering") for n in range(3)]
    home = {
        "transit_gateways": [{"transit_gateway_id": TGW, "name": "LAB-TGW", "attachments": home_attachments,
                              "route_tables": [{"transit_gateway_route_table_id": RT, "name": "LAB-TGW-RT", "routes": home_routes}]}],
        "route_tables": [_table(f"VPC{n}-RT", f"vpc-{n}", f"subnet-{n}", [_local(f"10.{n}.0.0/16"), _to_tgw("10.0.0.0/8")]) for n in range(3)],
        "instances": [_instance(f"VPC{n}-EC2", f"10.{n}.1.4", f"vpc-{n}", f"subnet-{n}", f"sg-{n}") for n in range(3)],
        "security_groups": [_group(f"sg-{n}") for n in range(3)],
    }
    peer = {
        "transit_gateways": [{"transit_gateway_id": PEER_TGW, "name": "PEER-TGW", "attachments": peer_attachments,
                              "route_tables": [{"transit_gateway_route_table_id": PEER_RT, "name": "PEER-TGW-RT", "routes": peer_routes}]}],
        "route_tables": [_table("PEER-RT", "vpc-3", "subnet-3", [_local("10.3.0.0/16"), _to_tgw("10.0.0.0/8", PEER_TGW)])],
        "instances": [_instance("PEER-EC2", "10.3.1.4", "vpc-3", "subnet-3", "sg-3")],
        "security_groups": [_group("sg-3")],
    }
    return {"source_ip": "10.0.1.4", "targets": [{"name": "VPC1-EC2", "ip": "10.1.1.4"}], "regions": {HOME: home, PEER: peer}}


def test_a_sound_lab_has_no_cause() -> None:
    evidence = _evidence()
    evidence["targets"].append({"name": "PEER-EC2", "ip": "10.3.1.4"})
    assert tgw_diagnosis(evidence) == []


def test_a_missing_transit_gateway_route_is_named_with_its_table() -> None:
    evidence = _evidence()
    routes = evidence["regions"][HOME]["transit_gateways"][0]["route_tables"][0]["routes"]
    routes[:] = [r for r in routes if r["destination_cidr_block"] != "10.1.0.0/16"]
    (cause,) = tgw_diagnosis(evidence)
    assert cause.startswith(
        "LAB-TGW-RT of LAB-TGW (ap-northeast-2) has no route to 10.1.0.0/16: 10.1.1.4 matches no route"
    )


def test_an_attachment_without_association_drops_the_return_path() -> None:
    evidence = _evidence()
    evidence["regions"][HOME]["transit_gateways"][0]["attachments"][1]["associated_route_table_id"] = None
    (cause,) = tgw_diagnosis(evidence)
    assert cause.startswith(f"Attachment {ATT[1]} (vpc vpc-1) of LAB-TGW is associated with no route table")


def test_a_vpc_route_table_without_the_transit_gateway_route_is_named() -> None:
    evidence = _evidence()
    evidence["regions"][HOME]["route_tables"][0]["routes"] = [_local("10.0.0.0/16")]
    (cause,) = tgw_diagnosis(evidence)
    assert cause == (
        "VPC0-RT (rtb-VPC0-RT), the route table of VPC0-EC2's subnet, has no route to 10.1.0.0/16: 10.1.1.4 matches no "
        "route; it needs 10.1.0.0/16 via LAB-TGW"
    )


def test_the_peer_side_is_followed_across_the_peering() -> None:
    evidence = _evidence()
    evidence["targets"] = [{"name": "PEER-EC2", "ip": "10.3.1.4"}]
    peer_routes = evidence["regions"][PEER]["transit_gateways"][0]["route_tables"][0]["routes"]
    peer_routes[:] = [r for r in peer_routes if r["destination_cidr_block"] != "10.0.0.0/16"]
    (cause,) = tgw_diagnosis(evidence)
    assert cause.startswith(
        "PEER-TGW-RT of PEER-TGW (ap-northeast-1) has no route to 10.0.0.0/16: 10.0.1.4 matches no route"
    )


def test_a_peering_not_accepted_is_named() -> None:
    evidence = _evidence()
    evidence["targets"] = [{"name": "PEER-EC2", "ip": "10.3.1.4"}]
    evidence["regions"][PEER]["transit_gateways"][0]["attachments"][1]["state"] = "pendingAcceptance"
    causes = tgw_diagnosis(evidence)
    assert any("is pendingAcceptance, not available (accept it in ap-northeast-1)" in c for c in causes), causes


def test_pings_from_behind_the_vpn_start_at_the_vpn_attachment() -> None:
    evidence = copy.deepcopy(_evidence())
    evidence.update(source_ip="10.60.1.100", source_via_vpn=True)
    assert tgw_diagnosis(evidence) == []
    evidence["regions"][HOME]["transit_gateways"][0]["attachments"][4]["associated_route_table_id"] = None
    (cause,) = tgw_diagnosis(evidence)
    assert cause.startswith(f"Attachment {VPN} (vpn vpn-1)")


def test_a_security_group_without_icmp_and_a_stopped_target_are_named() -> None:
    evidence = _evidence()
    evidence["regions"][HOME]["security_groups"][1]["ip_permissions"] = []
    assert tgw_diagnosis(evidence) == [
        "VPC1-EC2's security group sg-1 allows no ICMP echo from 10.0.1.4 (10.0.0.0/16): add an inbound ICMP rule for "
        "10.0.0.0/16"
    ]
    evidence["regions"][HOME]["instances"][1]["state"] = {"name": "stopped"}
    assert tgw_diagnosis(evidence) == ["VPC1-EC2 (i-vpc1-ec2, 10.1.1.4) is stopped, not running"]


@pytest.mark.parametrize("bad", [None, {"source_ip": "10.0.1.4"}, {"regions": {}, "source_ip": "nonsense"}])
def test_bad_evidence_is_refused(bad) -> None:
    with pytest.raises(AnsibleFilterError):
        tgw_diagnosis(bad)
