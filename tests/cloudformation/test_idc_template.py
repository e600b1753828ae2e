"""idc.yml builds the seed lab's IDC side: IDC-CGW on a fixed ENI with an Elastic IP, IDC-EC2
behind it, and security groups that let exactly the lab's traffic in."""

from __future__ import annotations

from typing import Any

import pytest
from cfn_helpers import (
    ingress_rules,
    load_template,
    properties,
    ref,
    refers_to,
    resource_named,
    resources_of_type,
    the_resource_of_type,
)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template("idc")


def logical_id_of(template: dict[str, Any], name: str) -> str:
    return resource_named(template, name)[0]


def cgw_eni(template: dict[str, Any]) -> str:
    return the_resource_of_type(template, "AWS::EC2::NetworkInterface")[0]


def security_group_of_eni(template: dict[str, Any]) -> str:
    (group,) = properties(template, cgw_eni(template))["GroupSet"]
    return group["Fn::GetAtt"][0]


def security_group_of_idc_ec2(template: dict[str, Any]) -> str:
    (group,) = properties(template, logical_id_of(template, "IDC-EC2"))["SecurityGroupIds"]
    return group["Fn::GetAtt"][0]


def subnet_with_cidr(template: dict[str, Any], cidr_parameter: str) -> str:
    found = [
        lid
        for lid, r in resources_of_type(template, "AWS::EC2::Subnet").items()
        if r["Properties"]["CidrBlock"] == ref(cidr_parameter)
    ]
    assert len(found) == 1
    return found[0]


def route_table_of(template: dict[str, Any], subnet: str) -> str:
    found = [
        r["Properties"]["RouteTableId"]["Ref"]
        for r in resources_of_type(template, "AWS::EC2::SubnetRouteTableAssociation").values()
        if r["Properties"]["SubnetId"] == ref(subnet)
    ]
    assert len(found) == 1, f"{subnet} must have exactly one route table"
    return found[0]


def routes_of(template: dict[str, Any], route_table: str) -> list[dict[str, Any]]:
    return [
        r["Properties"]
        for r in resources_of_type(template, "AWS::EC2::Route").values()
        if r["Properties"]["RouteTableId"] == ref(route_table)
    ]


def test_vpc_uses_the_idc_cidr(template: dict[str, Any]) -> None:
    _, vpc = the_resource_of_type(template, "AWS::EC2::VPC")
    assert vpc["Properties"]["CidrBlock"] == ref("IdcVpcCidr")


def test_public_subnet_sends_everything_else_to_the_internet_gateway(template: dict[str, Any]) -> None:
    gateway, _ = the_resource_of_type(template, "AWS::EC2::InternetGateway")
    table = route_table_of(template, subnet_with_cidr(template, "IdcPublicSubnetCidr"))
    assert routes_of(template, table) == [
        {"RouteTableId": ref(table), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref(gateway)}
    ]


def test_private_subnet_has_its_own_table_routing_the_aws_vpc_to_the_cgw_eni(template: dict[str, Any]) -> None:
    private_table = route_table_of(template, subnet_with_cidr(template, "IdcPrivateSubnetCidr"))
    public_table = route_table_of(template, subnet_with_cidr(template, "IdcPublicSubnetCidr"))
    assert private_table != public_table
    (route,) = routes_of(template, private_table)
    assert route["DestinationCidrBlock"] == ref("AwsVpcCidr")
    assert route["NetworkInterfaceId"] == ref(cgw_eni(template))


def test_cgw_eni_has_the_fixed_address_and_forwards_others_packets(template: dict[str, Any]) -> None:
    eni = properties(template, cgw_eni(template))
    assert eni["SubnetId"] == ref(subnet_with_cidr(template, "IdcPublicSubnetCidr"))
    assert eni["PrivateIpAddress"] == ref("CgwPrivateIp")
    assert eni["SourceDestCheck"] is False


def test_cgw_instance_runs_on_the_eni(template: dict[str, Any]) -> None:
    cgw = properties(template, logical_id_of(template, "IDC-CGW"))
    assert cgw["NetworkInterfaces"] == [{"DeviceIndex": "0", "NetworkInterfaceId": ref(cgw_eni(template))}]
    # With an explicit ENI, subnet and groups belong to the ENI, not the instance.
    assert "SubnetId" not in cgw and "SecurityGroupIds" not in cgw
    assert "UserData" not in cgw, "the openswan role configures IDC-CGW"


def test_elastic_ip_is_in_the_vpc_and_associated_with_the_cgw_eni(template: dict[str, Any]) -> None:
    eip, resource = the_resource_of_type(template, "AWS::EC2::EIP")
    assert resource["Properties"]["Domain"] == "vpc"
    _, association = the_resource_of_type(template, "AWS::EC2::EIPAssociation")
    assert refers_to(association["Properties"]["AllocationId"], eip)
    assert association["Properties"]["NetworkInterfaceId"] == ref(cgw_eni(template))


def test_idc_ec2_sits_in_the_private_subnet_at_its_fixed_address(template: dict[str, Any]) -> None:
    ec2 = properties(template, logical_id_of(template, "IDC-EC2"))
    assert ec2["SubnetId"] == ref(subnet_with_cidr(template, "IdcPrivateSubnetCidr"))
    assert ec2["PrivateIpAddress"] == ref("IdcEc2PrivateIp")


def test_subnets_do_not_hand_out_public_addresses(template: dict[str, Any]) -> None:
    for subnet in resources_of_type(template, "AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False


def rules_for_port(rules: list[dict[str, Any]], protocol: str, port: int) -> list[dict[str, Any]]:
    return [
        r for r in rules if str(r["IpProtocol"]) == protocol and r.get("FromPort", 0) <= port <= r.get("ToPort", 65535)
    ]


def admits_ssh(rule: dict[str, Any]) -> bool:
    return str(rule["IpProtocol"]) == "-1" or rule in rules_for_port([rule], "tcp", 22)


def test_cgw_ssh_is_open_only_to_the_operator_and_the_private_subnet(template: dict[str, Any]) -> None:
    rules = ingress_rules(template, security_group_of_eni(template))
    # The private subnet may send IDC-CGW anything (it forwards for it); from outside the VPC,
    # only the operator reaches port 22.
    sources = sorted(r["CidrIp"]["Ref"] for r in rules if admits_ssh(r))
    assert sources == ["IdcPrivateSubnetCidr", "OperatorCidr"]


@pytest.mark.parametrize(("protocol", "port"), [("udp", 500), ("udp", 4500), ("50", None)])
def test_cgw_accepts_ike_nat_traversal_and_esp_from_anywhere(
    template: dict[str, Any], protocol: str, port: int | None
) -> None:
    rules = ingress_rules(template, security_group_of_eni(template))
    matching = rules_for_port(rules, protocol, port) if port else [r for r in rules if str(r["IpProtocol"]) == protocol]
    assert [r["CidrIp"] for r in matching] == ["0.0.0.0/0"]


def test_cgw_accepts_everything_from_the_private_subnet_to_forward_it(template: dict[str, Any]) -> None:
    rules = ingress_rules(template, security_group_of_eni(template))
    assert [r["CidrIp"] for r in rules if str(r["IpProtocol"]) == "-1"] == [ref("IdcPrivateSubnetCidr")]


def test_idc_ec2_ssh_comes_only_through_the_cgw(template: dict[str, Any]) -> None:
    rules = ingress_rules(template, security_group_of_idc_ec2(template))
    ssh = [r for r in rules if admits_ssh(r)]
    assert len(ssh) == 1
    assert refers_to(ssh[0]["SourceSecurityGroupId"], security_group_of_eni(template))
    assert "CidrIp" not in ssh[0]


def test_idc_ec2_answers_pings_from_the_aws_vpc(template: dict[str, Any]) -> None:
    rules = ingress_rules(template, security_group_of_idc_ec2(template))
    assert ref("AwsVpcCidr") in [r.get("CidrIp") for r in rules if r["IpProtocol"] == "icmp"]


def test_idc_ec2_accepts_nothing_else(template: dict[str, Any]) -> None:
    rules = ingress_rules(template, security_group_of_idc_ec2(template))
    assert all(r["IpProtocol"] in ("tcp", "icmp") for r in rules)
    assert all(r["IpProtocol"] == "icmp" or (r["FromPort"], r["ToPort"]) == (22, 22) for r in rules)


def test_both_subnets_share_one_availability_zone(template: dict[str, Any]) -> None:
    # The ENI, IDC-CGW and IDC-EC2 live in one zone; the AvailabilityZone output names it.
    zones = [s["Properties"]["AvailabilityZone"] for s in resources_of_type(template, "AWS::EC2::Subnet").values()]
    assert len(zones) == 2 and zones[0] == zones[1]
    public = subnet_with_cidr(template, "IdcPublicSubnetCidr")
    assert template["Outputs"]["AvailabilityZone"]["Value"] == {"Fn::GetAtt": [public, "AvailabilityZone"]}
