"""Resources walk AWS's state sequences under the default ``short`` delays (time moved by hand)."""

from __future__ import annotations

import pytest

from delay_helpers import short, short_delays_on_a_fake_clock
from tgw_helpers import attached_gateway, peering_request

CIDR = "10.50.0.0/16"


@pytest.fixture
def clock(aws: None):
    with short_delays_on_a_fake_clock() as clock:
        yield clock


def _vpc_with_subnet(ec2) -> tuple[str, str]:
    vpc_id = ec2.create_vpc(CidrBlock=CIDR)["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.50.1.0/24")["Subnet"]["SubnetId"]
    return vpc_id, subnet_id


def _vpn_connection_state(ec2, vpn_id: str) -> str:
    return ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]["State"]


def _attachment_states(ec2, vgw_id: str) -> list[str]:
    gateway = ec2.describe_vpn_gateways(VpnGatewayIds=[vgw_id])["VpnGateways"][0]
    return [a["State"] for a in gateway["VpcAttachments"]]


def _cgw(ec2) -> dict:
    return ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000)["CustomerGateway"]


def test_customer_gateway_is_pending_then_available(ec2, clock) -> None:
    cgw = _cgw(ec2)
    assert cgw["State"] == "pending"
    clock.advance(short("customer_gateway.create"))
    assert ec2.describe_customer_gateways()["CustomerGateways"][0]["State"] == "available"


def test_vpn_gateway_attachment_is_attaching_then_attached_and_detaching_then_detached(ec2, clock) -> None:
    vpc_id = ec2.create_vpc(CidrBlock=CIDR)["Vpc"]["VpcId"]
    vgw_id = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]

    ec2.attach_vpn_gateway(VpnGatewayId=vgw_id, VpcId=vpc_id)
    assert _attachment_states(ec2, vgw_id) == ["attaching"]
    clock.advance(short("vpn_gateway.attach") - 0.1)
    assert _attachment_states(ec2, vgw_id) == ["attaching"]
    clock.advance(0.1)
    assert _attachment_states(ec2, vgw_id) == ["attached"]

    ec2.detach_vpn_gateway(VpnGatewayId=vgw_id, VpcId=vpc_id)
    assert _attachment_states(ec2, vgw_id) == ["detaching"]
    clock.advance(short("vpn_gateway.detach"))
    assert _attachment_states(ec2, vgw_id) == ["detached"]


def test_vpn_connection_is_pending_then_available_and_deleting_then_deleted_then_gone(ec2, clock) -> None:
    vgw_id = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    cgw_id = _cgw(ec2)["CustomerGatewayId"]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw_id, VpnGatewayId=vgw_id, Options={"StaticRoutesOnly": True}
    )["VpnConnection"]
    vpn_id = vpn["VpnConnectionId"]

    assert vpn["State"] == "pending"
    clock.advance(short("vpn_connection.create") - 0.1)
    assert _vpn_connection_state(ec2, vpn_id) == "pending"
    clock.advance(0.1)
    assert _vpn_connection_state(ec2, vpn_id) == "available"

    ec2.delete_vpn_connection(VpnConnectionId=vpn_id)
    assert _vpn_connection_state(ec2, vpn_id) == "deleting"
    clock.advance(short("vpn_connection.delete"))
    assert _vpn_connection_state(ec2, vpn_id) == "deleted"
    # Still described as deleted for a while, as on AWS; then gone.
    clock.advance(short("deleted_retention") - 1)
    assert _vpn_connection_state(ec2, vpn_id) == "deleted"
    clock.advance(1)
    assert ec2.describe_vpn_connections()["VpnConnections"] == []


def test_transit_gateway_and_vpc_attachment_walk_to_available_and_to_deleted(ec2, clock) -> None:
    vpc_id, subnet_id = _vpc_with_subnet(ec2)
    tgw_id = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]

    def tgw_state() -> str:
        return ec2.describe_transit_gateways(TransitGatewayIds=[tgw_id])["TransitGateways"][0]["State"]

    def attachment_state(attachment_id: str) -> str:
        found = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])
        return found["TransitGatewayAttachments"][0]["State"]

    assert tgw_state() == "pending"
    clock.advance(short("transit_gateway.create"))
    assert tgw_state() == "available"

    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]
    attachment_id = attachment["TransitGatewayAttachmentId"]
    assert attachment["State"] == "pending"
    clock.advance(short("tgw_attachment.create"))
    assert attachment_state(attachment_id) == "available"

    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert attachment_state(attachment_id) == "deleting"
    clock.advance(short("tgw_attachment.delete"))
    assert attachment_state(attachment_id) == "deleted"

    ec2.delete_transit_gateway(TransitGatewayId=tgw_id)
    assert tgw_state() == "deleting"
    clock.advance(short("transit_gateway.delete"))
    assert tgw_state() == "deleted"
    clock.advance(short("deleted_retention"))
    assert ec2.describe_transit_gateways()["TransitGateways"] == []


def test_route_table_association_and_propagation_walk_to_associated_and_enabled(ec2, clock) -> None:
    ids = attached_gateway(ec2, after_gateway=lambda: clock.advance(short("transit_gateway.create")))
    table_id, attachment_id = ids["table"], ids["attachment"]
    clock.advance(short("tgw_attachment.create"))

    association = ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment_id
    )["Association"]
    propagation = ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment_id
    )["Propagation"]
    assert (association["State"], propagation["State"]) == ("associating", "enabling")

    def listed() -> tuple[str, str]:
        associations = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table_id)
        propagations = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table_id)
        return (
            associations["Associations"][0]["State"],
            propagations["TransitGatewayRouteTablePropagations"][0]["State"],
        )

    assert listed() == ("associating", "enabling")
    clock.advance(max(short("tgw_association.create"), short("tgw_propagation.create")))
    assert listed() == ("associated", "enabled")


def test_peering_attachment_initiates_waits_for_acceptance_then_becomes_available(ec2, clock) -> None:
    attachment = peering_request(ec2, after_gateways=lambda: clock.advance(short("transit_gateway.create")))
    attachment_id = attachment["TransitGatewayAttachmentId"]

    def described() -> tuple[str, str]:
        found = ec2.describe_transit_gateway_peering_attachments(TransitGatewayAttachmentIds=[attachment_id])
        peering = found["TransitGatewayPeeringAttachments"][0]
        return peering["State"], peering["Status"]["Code"]

    assert described() == ("initiatingRequest", "initiatingRequest")
    clock.advance(short("tgw_peering.request"))
    assert described() == ("pendingAcceptance", "pendingAcceptance")

    ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    assert described() == ("pending", "pending")
    clock.advance(short("tgw_peering.accept"))
    assert described() == ("available", "available")

    ec2.delete_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    assert described()[0] == "deleting"
    clock.advance(short("tgw_peering.delete"))
    assert described()[0] == "deleted"
