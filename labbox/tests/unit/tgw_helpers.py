"""A transit gateway with its own route table and one VPC attached, for the twin's TGW tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NO_DEFAULTS = {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}


def attached_gateway(ec2: Any, cidr: str = "10.50.0.0/16", after_gateway: Callable[[], None] = lambda: None) -> dict[str, str]:
    """Ids of ``vpc``, ``subnet``, ``tgw`` (both defaults off), its ``table`` and the VPC's ``attachment``.

    ``after_gateway`` runs once the gateway exists (a test's clock moves it to ``available``).
    """
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    tgw_id = ec2.create_transit_gateway(Options=NO_DEFAULTS)["TransitGateway"]["TransitGatewayId"]
    after_gateway()
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)["TransitGatewayRouteTable"]
    attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet_id])
    return {
        "vpc": vpc_id,
        "subnet": subnet_id,
        "tgw": tgw_id,
        "table": table["TransitGatewayRouteTableId"],
        "attachment": attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"],
    }


def peering_request(ec2: Any, after_gateways: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Two gateways in ``ec2``'s region and a peering request between them (the API's answer)."""
    local = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    peer = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    after_gateways()
    return ec2.create_transit_gateway_peering_attachment(
        TransitGatewayId=local, PeerTransitGatewayId=peer, PeerAccountId="123456789012", PeerRegion=ec2.meta.region_name
    )["TransitGatewayPeeringAttachment"]
