"""A transit gateway's life as AWS's API reference describes it: no default route table when
both defaults are off, no delete while an attachment holds it, its route tables deleted with
it, one association per attachment."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from labbox_helpers import client
from tgw_helpers import NO_DEFAULTS, attached_gateway

def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return error.value.response["Error"]["Code"]


def _tables(ec2, tgw_id: str) -> dict[str, str]:
    tables = ec2.describe_transit_gateway_route_tables(Filters=[{"Name": "transit-gateway-id", "Values": [tgw_id]}])
    return {t["TransitGatewayRouteTableId"]: t["State"] for t in tables["TransitGatewayRouteTables"]}


@pytest.fixture
def attached(ec2) -> dict[str, str]:
    return attached_gateway(ec2, cidr="10.1.0.0/16")


def test_no_default_route_table_when_both_defaults_are_off(ec2) -> None:
    gateway = ec2.create_transit_gateway(Options=NO_DEFAULTS)["TransitGateway"]
    assert "AssociationDefaultRouteTableId" not in gateway["Options"]
    assert "PropagationDefaultRouteTableId" not in gateway["Options"]
    assert _tables(ec2, gateway["TransitGatewayId"]) == {}


def test_one_default_on_keeps_the_default_route_table(ec2) -> None:
    gateway = ec2.create_transit_gateway(Options={"DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "disable"})
    options = gateway["TransitGateway"]["Options"]
    assert list(_tables(ec2, gateway["TransitGateway"]["TransitGatewayId"])) == [options["AssociationDefaultRouteTableId"]]


def test_a_gateway_with_a_live_attachment_cannot_be_deleted(ec2, attached) -> None:
    with pytest.raises(ClientError) as refused:
        ec2.delete_transit_gateway(TransitGatewayId=attached["tgw"])
    assert _code(refused) == "IncorrectState" and attached["attachment"] in refused.value.response["Error"]["Message"]
    [gateway] = ec2.describe_transit_gateways(TransitGatewayIds=[attached["tgw"]])["TransitGateways"]
    assert gateway["State"] == "available", "a refused delete must leave the gateway as it was"


def test_deleting_a_gateway_deletes_its_route_tables_and_a_second_delete_is_refused(ec2, attached) -> None:
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attached["attachment"])
    ec2.delete_transit_gateway(TransitGatewayId=attached["tgw"])
    assert _tables(ec2, attached["tgw"]) == {attached["table"]: "deleted"}
    with pytest.raises(ClientError) as again:
        ec2.delete_transit_gateway(TransitGatewayId=attached["tgw"])
    assert _code(again) == "IncorrectState"


def test_an_associated_attachment_must_be_disassociated_before_another_association(ec2, attached) -> None:
    other = ec2.create_transit_gateway_route_table(TransitGatewayId=attached["tgw"])["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=attached["table"], TransitGatewayAttachmentId=attached["attachment"])
    with pytest.raises(ClientError) as refused:
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=other, TransitGatewayAttachmentId=attached["attachment"])
    assert _code(refused) == "Resource.AlreadyAssociated"
    ec2.disassociate_transit_gateway_route_table(TransitGatewayRouteTableId=attached["table"], TransitGatewayAttachmentId=attached["attachment"])
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=other, TransitGatewayAttachmentId=attached["attachment"])


def test_a_peering_holds_the_gateway_on_the_accepter_side_too(aws) -> None:
    home, peer = client("ec2", "ap-northeast-2"), client("ec2", "ap-northeast-1")
    home_tgw = home.create_transit_gateway(Options=NO_DEFAULTS)["TransitGateway"]["TransitGatewayId"]
    peer_tgw = peer.create_transit_gateway(Options=NO_DEFAULTS)["TransitGateway"]["TransitGatewayId"]
    peering = home.create_transit_gateway_peering_attachment(
        TransitGatewayId=home_tgw, PeerTransitGatewayId=peer_tgw, PeerAccountId="123456789012", PeerRegion="ap-northeast-1"
    )["TransitGatewayPeeringAttachment"]["TransitGatewayAttachmentId"]
    peer.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering)
    with pytest.raises(ClientError) as refused:
        peer.delete_transit_gateway(TransitGatewayId=peer_tgw)
    assert _code(refused) == "IncorrectState" and peering in refused.value.response["Error"]["Message"]
    home.delete_transit_gateway_peering_attachment(TransitGatewayAttachmentId=peering)
    peer.delete_transit_gateway(TransitGatewayId=peer_tgw)
    home.delete_transit_gateway(TransitGatewayId=home_tgw)
