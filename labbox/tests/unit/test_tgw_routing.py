"""Transit gateway routing through the API: default association/propagation, routes, peering views."""

from __future__ import annotations

import pytest
from labbox_helpers import client

from shapes import assert_matches_output_shape

HOME, PEER = "ap-northeast-2", "ap-northeast-1"


def _gateway(ec2, association: str, propagation: str) -> dict:
    return ec2.create_transit_gateway(
        Description="lab",
        Options={"DefaultRouteTableAssociation": association, "DefaultRouteTablePropagation": propagation},
    )["TransitGateway"]


def _vpc_attachment(ec2, tgw_id: str, cidr: str) -> str:
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr.replace("0.0/16", "1.0/24"))["Subnet"]["SubnetId"]
    return ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet_id])[
        "TransitGatewayVpcAttachment"
    ]["TransitGatewayAttachmentId"]


def _routes(ec2, table_id: str) -> dict[str, tuple[str, str]]:
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id, Filters=[{"Name": "state", "Values": ["active", "blackhole"]}]
    )["Routes"]
    return {r["DestinationCidrBlock"]: (r["Type"], r["State"]) for r in routes}


def test_disabled_defaults_leave_a_new_attachment_unassociated_and_unpropagated(ec2):
    tgw = _gateway(ec2, "disable", "disable")
    attachment_id = _vpc_attachment(ec2, tgw["TransitGatewayId"], "10.1.0.0/16")
    described = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])
    assert_matches_output_shape("ec2", "DescribeTransitGatewayAttachments", described)
    assert "Association" not in described["TransitGatewayAttachments"][0]
    # With both defaults off the gateway has no default route table (tgw_lifecycle) to propagate to.
    assert "AssociationDefaultRouteTableId" not in tgw["Options"]
    tables = ec2.describe_transit_gateway_route_tables(Filters=[{"Name": "transit-gateway-id", "Values": [tgw["TransitGatewayId"]]}])
    assert tables["TransitGatewayRouteTables"] == []


def test_enabled_defaults_associate_and_propagate_to_the_default_table(ec2):
    tgw = _gateway(ec2, "enable", "enable")
    attachment_id = _vpc_attachment(ec2, tgw["TransitGatewayId"], "10.1.0.0/16")
    default_table = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])[
        "TransitGatewayAttachments"
    ][0]
    assert attachment["Association"] == {"TransitGatewayRouteTableId": default_table, "State": "associated"}
    assert _routes(ec2, default_table) == {"10.1.0.0/16": ("propagated", "active")}


def test_static_route_names_its_attachment_and_wins_over_a_propagated_one(ec2):
    tgw = _gateway(ec2, "disable", "disable")
    attachment_id = _vpc_attachment(ec2, tgw["TransitGatewayId"], "10.1.0.0/16")
    table_id = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw["TransitGatewayId"])[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment_id
    )
    created = ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table_id, DestinationCidrBlock="10.1.0.0/16", Blackhole=True
    )["Route"]
    assert (created["Type"], created["State"]) == ("static", "blackhole")
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table_id, DestinationCidrBlock="10.9.0.0/16", TransitGatewayAttachmentId=attachment_id
    )
    assert _routes(ec2, table_id) == {"10.1.0.0/16": ("static", "blackhole"), "10.9.0.0/16": ("static", "active")}
    by_attachment = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id,
        Filters=[{"Name": "attachment.transit-gateway-attachment-id", "Values": [attachment_id]}],
    )["Routes"]
    assert [r["DestinationCidrBlock"] for r in by_attachment] == ["10.9.0.0/16"]


def test_peering_attachment_is_described_from_each_side(aws):
    accepter_region = PEER
    home, peer = client("ec2", region_name=HOME), client("ec2", region_name=accepter_region)
    home_tgw = _gateway(home, "disable", "disable")["TransitGatewayId"]
    peer_tgw = _gateway(peer, "disable", "disable")["TransitGatewayId"]
    attachment_id = home.create_transit_gateway_peering_attachment(
        TransitGatewayId=home_tgw, PeerTransitGatewayId=peer_tgw, PeerAccountId="123456789012", PeerRegion=accepter_region
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]

    seen_by_peer = peer.describe_transit_gateway_attachments(
        Filters=[{"Name": "transit-gateway-id", "Values": [peer_tgw]}]
    )["TransitGatewayAttachments"]
    assert [(a["TransitGatewayAttachmentId"], a["ResourceId"], a["State"]) for a in seen_by_peer] == [
        (attachment_id, home_tgw, "pendingAcceptance")
    ]
    with pytest.raises(home.exceptions.ClientError):
        home.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    peer.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)

    # Each side associates the attachment with its own route table; neither moves the other's.
    for ec2, tgw_id in ((home, home_tgw), (peer, peer_tgw)):
        table_id = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)["TransitGatewayRouteTable"][
            "TransitGatewayRouteTableId"
        ]
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=table_id, TransitGatewayAttachmentId=attachment_id)
    for ec2, tgw_id in ((home, home_tgw), (peer, peer_tgw)):
        attachment = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])[
            "TransitGatewayAttachments"
        ][0]
        table = attachment["Association"]["TransitGatewayRouteTableId"]
        tables = ec2.describe_transit_gateway_route_tables(Filters=[{"Name": "transit-gateway-id", "Values": [tgw_id]}])
        assert table in {t["TransitGatewayRouteTableId"] for t in tables["TransitGatewayRouteTables"]}
        assert attachment["TransitGatewayId"] == tgw_id
