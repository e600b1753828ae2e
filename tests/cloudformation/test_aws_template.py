"""aws.yml builds the seed lab's AWS side: AWS-VPC, AWS-PublicRT and AWS-EC2."""

from __future__ import annotations

from typing import Any

import pytest
from cfn_helpers import (
    ingress_rules,
    load_template,
    properties,
    ref,
    resource_named,
    resources_of_type,
    the_resource_of_type,
)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template("aws")


def test_vpc_and_subnet_use_the_aws_cidrs(template: dict[str, Any]) -> None:
    vpc, resource = the_resource_of_type(template, "AWS::EC2::VPC")
    assert resource["Properties"]["CidrBlock"] == ref("AwsVpcCidr")
    _, subnet = the_resource_of_type(template, "AWS::EC2::Subnet")
    assert subnet["Properties"]["VpcId"] == ref(vpc)
    assert subnet["Properties"]["CidrBlock"] == ref("AwsPublicSubnetCidr")


def test_aws_public_rt_is_the_subnets_table_with_a_default_route_to_the_gateway(template: dict[str, Any]) -> None:
    table, _ = resource_named(template, "AWS-PublicRT")
    subnet, _ = the_resource_of_type(template, "AWS::EC2::Subnet")
    gateway, _ = the_resource_of_type(template, "AWS::EC2::InternetGateway")
    _, association = the_resource_of_type(template, "AWS::EC2::SubnetRouteTableAssociation")
    assert association["Properties"] == {"SubnetId": ref(subnet), "RouteTableId": ref(table)}
    routes = [r["Properties"] for r in resources_of_type(template, "AWS::EC2::Route").values()]
    # The route back to IDC-VPC is propagated by the VPN gateway (vpn.yml), not written here.
    assert routes == [{"RouteTableId": ref(table), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": ref(gateway)}]


def test_aws_ec2_has_its_fixed_address_in_the_public_subnet(template: dict[str, Any]) -> None:
    instance, _ = resource_named(template, "AWS-EC2")
    subnet, _ = the_resource_of_type(template, "AWS::EC2::Subnet")
    assert properties(template, instance)["SubnetId"] == ref(subnet)
    assert properties(template, instance)["PrivateIpAddress"] == ref("AwsEc2PrivateIp")


def test_aws_ec2_allows_ssh_from_the_operator_and_icmp_from_the_idc_only(template: dict[str, Any]) -> None:
    group, _ = the_resource_of_type(template, "AWS::EC2::SecurityGroup")
    rules = {(r["IpProtocol"], r["FromPort"], r["ToPort"], r["CidrIp"]["Ref"]) for r in ingress_rules(template, group)}
    assert rules == {("tcp", 22, 22, "OperatorCidr"), ("icmp", -1, -1, "IdcVpcCidr")}
