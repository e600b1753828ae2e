"""DependsOn: the ordering the seed lab's diary learned the hard way.

A Ref to a gateway waits for the gateway, not for its attachment to the VPC. Whatever needs
the attachment must say so, which also makes CloudFormation delete it before detaching.
"""

from __future__ import annotations

from typing import Any

import pytest
from cfn_helpers import (
    explicit_depends_on,
    gateway_attachment,
    load_template,
    resources_of_type,
    the_resource_of_type,
)


def internet_gateway_attachment(template: dict[str, Any]) -> str:
    gateway, _ = the_resource_of_type(template, "AWS::EC2::InternetGateway")
    return gateway_attachment(template, gateway)


@pytest.mark.parametrize("template", ["idc", "aws"])
def test_routes_to_the_internet_gateway_wait_for_its_attachment(template: str) -> None:
    loaded = load_template(template)
    gateway, _ = the_resource_of_type(loaded, "AWS::EC2::InternetGateway")
    attachment = gateway_attachment(loaded, gateway)
    routes = {
        lid: r
        for lid, r in resources_of_type(loaded, "AWS::EC2::Route").items()
        if r["Properties"].get("GatewayId") == {"Ref": gateway}
    }
    assert routes, "no route to the internet gateway"
    assert all(attachment in explicit_depends_on(r) for r in routes.values()), sorted(routes)


@pytest.mark.parametrize("resource_type", ["AWS::EC2::EIP", "AWS::EC2::EIPAssociation"])
def test_elastic_ip_and_its_association_wait_for_the_internet_gateway_attachment(resource_type: str) -> None:
    idc = load_template("idc")
    attachment = internet_gateway_attachment(idc)
    found = resources_of_type(idc, resource_type)
    assert found
    assert all(attachment in explicit_depends_on(r) for r in found.values())


def test_aws_ec2_with_a_public_address_is_terminated_before_the_gateway_is_detached() -> None:
    aws = load_template("aws")
    _, instance = the_resource_of_type(aws, "AWS::EC2::Instance")
    assert internet_gateway_attachment(aws) in explicit_depends_on(instance)


def test_private_route_to_the_cgw_waits_for_the_cgw_instance() -> None:
    idc = load_template("idc")
    eni_routes = [
        r for r in resources_of_type(idc, "AWS::EC2::Route").values() if "NetworkInterfaceId" in r["Properties"]
    ]
    cgw = [
        lid for lid, r in resources_of_type(idc, "AWS::EC2::Instance").items() if "NetworkInterfaces" in r["Properties"]
    ]
    assert len(eni_routes) == 1 and len(cgw) == 1
    assert cgw[0] in explicit_depends_on(eni_routes[0])


@pytest.mark.parametrize("resource_type", ["AWS::EC2::VPNConnection", "AWS::EC2::VPNGatewayRoutePropagation"])
def test_vpn_connection_and_propagation_wait_for_the_vgw_attachment(resource_type: str) -> None:
    vpn = load_template("vpn")
    gateway, _ = the_resource_of_type(vpn, "AWS::EC2::VPNGateway")
    attachment = gateway_attachment(vpn, gateway)
    _, resource = the_resource_of_type(vpn, resource_type)
    assert attachment in explicit_depends_on(resource)
    assert resource["Properties"]["VpnGatewayId"] == {"Ref": gateway}


@pytest.mark.parametrize("template", ["idc", "aws", "vpn"])
def test_depends_on_names_only_resources_of_the_same_template(template: str) -> None:
    loaded = load_template(template)
    for logical_id, resource in loaded["Resources"].items():
        assert explicit_depends_on(resource) <= set(loaded["Resources"]), logical_id
