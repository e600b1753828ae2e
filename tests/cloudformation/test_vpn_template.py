"""vpn.yml builds the seed lab's six VPN steps from parameters."""

from __future__ import annotations

from typing import Any

import pytest
from cfn_helpers import load_template, ref, the_resource_of_type


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template("vpn")


def test_vgw_uses_the_asn_parameter(template: dict[str, Any]) -> None:
    _, gateway = the_resource_of_type(template, "AWS::EC2::VPNGateway")
    assert gateway["Properties"]["Type"] == "ipsec.1"
    assert gateway["Properties"]["AmazonSideAsn"] == ref("VgwAsn")


def test_vgw_is_attached_to_the_given_vpc(template: dict[str, Any]) -> None:
    gateway, _ = the_resource_of_type(template, "AWS::EC2::VPNGateway")
    _, attachment = the_resource_of_type(template, "AWS::EC2::VPCGatewayAttachment")
    assert attachment["Properties"] == {"VpcId": ref("VpcId"), "VpnGatewayId": ref(gateway)}


def test_customer_gateway_is_idc_cgws_public_address(template: dict[str, Any]) -> None:
    _, customer_gateway = the_resource_of_type(template, "AWS::EC2::CustomerGateway")
    props = customer_gateway["Properties"]
    assert (props["Type"], props["IpAddress"], props["BgpAsn"]) == ("ipsec.1", ref("CgwPublicIp"), ref("CgwBgpAsn"))


def test_connection_is_static_between_the_two_gateways(template: dict[str, Any]) -> None:
    gateway, _ = the_resource_of_type(template, "AWS::EC2::VPNGateway")
    customer_gateway, _ = the_resource_of_type(template, "AWS::EC2::CustomerGateway")
    _, connection = the_resource_of_type(template, "AWS::EC2::VPNConnection")
    props = connection["Properties"]
    assert props["StaticRoutesOnly"] is True
    assert (props["VpnGatewayId"], props["CustomerGatewayId"]) == (ref(gateway), ref(customer_gateway))
    assert "TransitGatewayId" not in props


@pytest.mark.parametrize("tunnel", [1, 2])
def test_each_tunnel_takes_its_psk_and_optional_inside_cidr_in_order(template: dict[str, Any], tunnel: int) -> None:
    _, connection = the_resource_of_type(template, "AWS::EC2::VPNConnection")
    specifications = connection["Properties"]["VpnTunnelOptionsSpecifications"]
    assert len(specifications) == 2
    options = specifications[tunnel - 1]
    assert options["PreSharedKey"] == ref(f"Tunnel{tunnel}Psk")
    condition = f"HasTunnel{tunnel}InsideCidr"
    assert options["TunnelInsideCidr"] == {"Fn::If": [condition, ref(f"Tunnel{tunnel}InsideCidr"), ref("AWS::NoValue")]}
    # The condition holds exactly when the parameter is not empty.
    assert template["Conditions"][condition] == {"Fn::Not": [{"Fn::Equals": [ref(f"Tunnel{tunnel}InsideCidr"), ""]}]}


def test_static_route_is_the_idc_vpc(template: dict[str, Any]) -> None:
    connection, _ = the_resource_of_type(template, "AWS::EC2::VPNConnection")
    _, route = the_resource_of_type(template, "AWS::EC2::VPNConnectionRoute")
    assert route["Properties"] == {"VpnConnectionId": ref(connection), "DestinationCidrBlock": ref("IdcVpcCidr")}


def test_vgw_routes_propagate_into_the_given_public_route_table(template: dict[str, Any]) -> None:
    gateway, _ = the_resource_of_type(template, "AWS::EC2::VPNGateway")
    _, propagation = the_resource_of_type(template, "AWS::EC2::VPNGatewayRoutePropagation")
    assert propagation["Properties"] == {"VpnGatewayId": ref(gateway), "RouteTableIds": [ref("PublicRouteTableId")]}
