"""What AWS refuses on a resource still on its way is refused by the twin too."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from delay_helpers import short, short_delays_on_a_fake_clock
from tgw_helpers import attached_gateway, peering_request


@pytest.fixture
def clock(aws: None):
    with short_delays_on_a_fake_clock() as clock:
        yield clock


@pytest.fixture
def pending_attachment(ec2, clock) -> dict[str, str]:
    ids = attached_gateway(ec2, after_gateway=lambda: clock.advance(short("transit_gateway.create")))
    route_table_id = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [ids["vpc"]]}])["RouteTables"][0][
        "RouteTableId"
    ]
    return {**ids, "route_table": route_table_id}


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return error.value.response["Error"]["Code"]


def test_an_attachment_on_a_pending_transit_gateway_is_refused(ec2, clock) -> None:
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.50.1.0/24")["Subnet"]["SubnetId"]
    tgw_id = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    with pytest.raises(ClientError) as refused:
        ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=[subnet_id])
    assert _code(refused) == "IncorrectState"


def test_routing_through_a_pending_attachment_is_refused_until_it_is_available(ec2, clock, pending_attachment) -> None:
    p = pending_attachment
    with pytest.raises(ClientError) as vpc_route:
        ec2.create_route(RouteTableId=p["route_table"], DestinationCidrBlock="10.0.0.0/8", TransitGatewayId=p["tgw"])
    assert _code(vpc_route) == "InvalidTransitGatewayID.NotFound"
    with pytest.raises(ClientError) as tgw_route:
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=p["table"], DestinationCidrBlock="10.1.0.0/16", TransitGatewayAttachmentId=p["attachment"]
        )
    assert _code(tgw_route) == "IncorrectState"
    for call in (ec2.associate_transit_gateway_route_table, ec2.enable_transit_gateway_route_table_propagation):
        with pytest.raises(ClientError) as refused:
            call(TransitGatewayRouteTableId=p["table"], TransitGatewayAttachmentId=p["attachment"])
        assert _code(refused) == "IncorrectState"

    clock.advance(short("tgw_attachment.create"))
    ec2.create_route(RouteTableId=p["route_table"], DestinationCidrBlock="10.0.0.0/8", TransitGatewayId=p["tgw"])
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=p["table"], DestinationCidrBlock="10.1.0.0/16", TransitGatewayAttachmentId=p["attachment"]
    )
    ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=p["table"], TransitGatewayAttachmentId=p["attachment"])


def test_a_peering_is_accepted_only_while_pending_acceptance(ec2, clock) -> None:
    attachment_id = peering_request(ec2, after_gateways=lambda: clock.advance(short("transit_gateway.create")))[
        "TransitGatewayAttachmentId"
    ]
    with pytest.raises(ClientError) as too_early:
        ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    assert _code(too_early) == "IncorrectState"
    clock.advance(short("tgw_peering.request"))
    ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    with pytest.raises(ClientError) as twice:
        ec2.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)
    assert _code(twice) == "IncorrectState"
