"""Static routes of a VPN connection, and their propagation into VPC route tables."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from shapes import assert_matches_output_shape

IDC_CIDR = "10.60.0.0/16"


@pytest.fixture
def vpn_id(ec2, vpn_network) -> str:
    return ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=vpn_network["cgw_id"],
        VpnGatewayId=vpn_network["vgw_id"],
        Options={"StaticRoutesOnly": True},
    )["VpnConnection"]["VpnConnectionId"]


def vpn_routes(ec2: Any, vpn_id: str) -> list[dict[str, str]]:
    response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
    return response["VpnConnections"][0]["Routes"]


def route_table(ec2: Any, route_table_id: str) -> dict[str, Any]:
    response = ec2.describe_route_tables(RouteTableIds=[route_table_id])
    assert_matches_output_shape("ec2", "DescribeRouteTables", response)
    return response["RouteTables"][0]


def propagated(table: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (route["DestinationCidrBlock"], route["GatewayId"], route["State"])
        for route in table["Routes"]
        if route.get("Origin") == "EnableVgwRoutePropagation"
    ]


def test_static_routes_appear_in_connection_routes(ec2, vpn_id) -> None:
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock="192.168.0.0/24")
    assert vpn_routes(ec2, vpn_id) == [
        {"DestinationCidrBlock": IDC_CIDR, "Source": "Static", "State": "available"},
        {"DestinationCidrBlock": "192.168.0.0/24", "Source": "Static", "State": "available"},
    ]
    # Adding a route that exists changes nothing.
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    assert len(vpn_routes(ec2, vpn_id)) == 2
    ec2.delete_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock="192.168.0.0/24")
    assert [route["DestinationCidrBlock"] for route in vpn_routes(ec2, vpn_id)] == [IDC_CIDR]


def test_static_route_errors(ec2, vpn_id) -> None:
    with pytest.raises(ClientError) as caught:
        ec2.create_vpn_connection_route(VpnConnectionId="vpn-0123456789abcdef0", DestinationCidrBlock=IDC_CIDR)
    assert caught.value.response["Error"]["Code"] == "InvalidVpnConnectionID.NotFound"
    with pytest.raises(ClientError) as caught:
        ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock="10.60.0.1/16")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as caught:
        ec2.delete_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    assert caught.value.response["Error"]["Code"] == "InvalidRoute.NotFound"


def test_deleted_connection_routes_are_deleted(ec2, vpn_id) -> None:
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    ec2.delete_vpn_connection(VpnConnectionId=vpn_id)
    assert [route["State"] for route in vpn_routes(ec2, vpn_id)] == ["deleted"]
    with pytest.raises(ClientError) as caught:
        ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock="192.168.0.0/24")
    assert caught.value.response["Error"]["Code"] == "InvalidVpnConnectionID.NotFound"


def test_route_propagation_shows_vgw_and_propagated_routes(ec2, vpn_network, vpn_id) -> None:
    table_id, vgw_id = vpn_network["route_table_id"], vpn_network["vgw_id"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    before = route_table(ec2, table_id)
    assert before.get("PropagatingVgws", []) == []
    assert propagated(before) == []

    ec2.enable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    table = route_table(ec2, table_id)
    assert table["PropagatingVgws"] == [{"GatewayId": vgw_id}]
    assert propagated(table) == [(IDC_CIDR, vgw_id, "active")]
    # The VPC's local route is still there, first.
    assert table["Routes"][0]["GatewayId"] == "local"

    # Routes follow the connection: a new static route propagates, a deleted one disappears.
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock="192.168.0.0/24")
    assert [cidr for cidr, _, _ in propagated(route_table(ec2, table_id))] == [IDC_CIDR, "192.168.0.0/24"]
    ec2.delete_vpn_connection(VpnConnectionId=vpn_id)
    assert propagated(route_table(ec2, table_id)) == []
    assert route_table(ec2, table_id)["PropagatingVgws"] == [{"GatewayId": vgw_id}]


def test_disabling_propagation_removes_propagated_routes(ec2, vpn_network, vpn_id) -> None:
    table_id, vgw_id = vpn_network["route_table_id"], vpn_network["vgw_id"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    ec2.enable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    ec2.enable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    assert route_table(ec2, table_id)["PropagatingVgws"] == [{"GatewayId": vgw_id}]
    ec2.disable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    table = route_table(ec2, table_id)
    assert table.get("PropagatingVgws", []) == []
    assert propagated(table) == []


def test_explicit_route_wins_over_propagated_one(ec2, vpn_network, vpn_id) -> None:
    table_id, vgw_id = vpn_network["route_table_id"], vpn_network["vgw_id"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock=IDC_CIDR, GatewayId=vgw_id)
    ec2.enable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    routes = [r for r in route_table(ec2, table_id)["Routes"] if r["DestinationCidrBlock"] == IDC_CIDR]
    assert [route["Origin"] for route in routes] == ["CreateRoute"]


def test_propagation_needs_an_attached_gateway(ec2, vpn_network) -> None:
    detached = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    with pytest.raises(ClientError) as caught:
        ec2.enable_vgw_route_propagation(RouteTableId=vpn_network["route_table_id"], GatewayId=detached)
    assert caught.value.response["Error"]["Code"] == "Gateway.NotAttached"
    with pytest.raises(ClientError) as caught:
        ec2.enable_vgw_route_propagation(RouteTableId=vpn_network["route_table_id"], GatewayId="vgw-0123456789abcdef0")
    assert caught.value.response["Error"]["Code"] == "InvalidVpnGatewayID.NotFound"
    with pytest.raises(ClientError) as caught:
        ec2.enable_vgw_route_propagation(RouteTableId="rtb-0123456789abcdef0", GatewayId=vpn_network["vgw_id"])
    assert caught.value.response["Error"]["Code"] == "InvalidRouteTableID.NotFound"


def test_detached_gateway_propagates_nothing(ec2, vpn_network, vpn_id) -> None:
    table_id, vgw_id = vpn_network["route_table_id"], vpn_network["vgw_id"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn_id, DestinationCidrBlock=IDC_CIDR)
    ec2.enable_vgw_route_propagation(RouteTableId=table_id, GatewayId=vgw_id)
    ec2.detach_vpn_gateway(VpnGatewayId=vgw_id, VpcId=vpn_network["vpc_id"])
    assert propagated(route_table(ec2, table_id)) == []
