"""A customer gateway named by a VPN connection, and a virtual private gateway attached to a
VPC, cannot be deleted (IncorrectState), and are left as they were; once free, they can."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def vpn(ec2) -> dict[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)["CustomerGateway"]["CustomerGatewayId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
    connection = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw, Options={"StaticRoutesOnly": True})
    return {"vpc": vpc, "cgw": cgw, "vgw": vgw, "vpn": connection["VpnConnection"]["VpnConnectionId"]}


def _refused(call) -> dict[str, str]:
    with pytest.raises(ClientError) as refused:
        call()
    return refused.value.response["Error"]


def test_a_customer_gateway_in_use_cannot_be_deleted(ec2, vpn) -> None:
    error = _refused(lambda: ec2.delete_customer_gateway(CustomerGatewayId=vpn["cgw"]))
    assert error["Code"] == "IncorrectState" and vpn["vpn"] in error["Message"]
    [gateway] = ec2.describe_customer_gateways(CustomerGatewayIds=[vpn["cgw"]])["CustomerGateways"]
    assert gateway["State"] == "available"
    ec2.delete_vpn_connection(VpnConnectionId=vpn["vpn"])
    ec2.delete_customer_gateway(CustomerGatewayId=vpn["cgw"])


def test_an_attached_virtual_private_gateway_cannot_be_deleted(ec2, vpn) -> None:
    error = _refused(lambda: ec2.delete_vpn_gateway(VpnGatewayId=vpn["vgw"]))
    assert error["Code"] == "IncorrectState" and vpn["vpc"] in error["Message"]
    [gateway] = ec2.describe_vpn_gateways(VpnGatewayIds=[vpn["vgw"]])["VpnGateways"]
    assert gateway["State"] == "available"
    ec2.detach_vpn_gateway(VpnGatewayId=vpn["vgw"], VpcId=vpn["vpc"])
    ec2.delete_vpn_gateway(VpnGatewayId=vpn["vgw"])


def test_acceleration_on_a_virtual_private_gateway_is_refused_and_nothing_is_made(ec2, vpn) -> None:
    """Accelerated VPNs are for transit gateways only (AWS Site-to-Site VPN user guide)."""
    before = {c["VpnConnectionId"] for c in ec2.describe_vpn_connections()["VpnConnections"]}
    error = _refused(
        lambda: ec2.create_vpn_connection(
            Type="ipsec.1", CustomerGatewayId=vpn["cgw"], VpnGatewayId=vpn["vgw"],
            Options={"StaticRoutesOnly": True, "EnableAcceleration": True},
        )
    )
    assert error["Code"] == "InvalidParameterCombination" and "transit gateway" in error["Message"]
    assert {c["VpnConnectionId"] for c in ec2.describe_vpn_connections()["VpnConnections"]} == before


def test_acceleration_on_a_transit_gateway_vpn_is_kept(ec2, vpn) -> None:
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    connection = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=vpn["cgw"], TransitGatewayId=tgw,
        Options={"StaticRoutesOnly": True, "EnableAcceleration": True},
    )["VpnConnection"]
    assert connection["Options"]["EnableAcceleration"] is True
