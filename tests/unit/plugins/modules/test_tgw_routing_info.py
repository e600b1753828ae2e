"""hybridlab.aws.tgw_routing_info against stubbed EC2: one record of a gateway's routing, and waiting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_wait
from ansible_collections.hybridlab.aws.plugins.modules.tgw_routing_info import main
from ansible_collections.hybridlab.aws.tests.unit.plugins.fake_clock import FakeTime

TGW = "tgw-0123456789abcdef0"
TABLE = "tgw-rtb-0123456789abcdef0"
VPC_ATTACHMENT = "tgw-attach-0000000000000000a"
VPN_ATTACHMENT = "tgw-attach-0000000000000000b"
VPN = "vpn-0f1e2d3c4b5a69788"
WHEN = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(lab_wait, "time", fake)
    return fake


def _named(name: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}]


def _attachment(attachment_id: str, resource_type: str, resource_id: str, state: str, associated: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "TransitGatewayAttachmentId": attachment_id,
        "TransitGatewayId": TGW,
        "ResourceType": resource_type,
        "ResourceId": resource_id,
        "State": state,
        "CreationTime": WHEN,
    }
    if associated:
        found["Association"] = {"TransitGatewayRouteTableId": TABLE, "State": "associated"}
    return found


def _queue_routing(aws, vpn_state: str | None) -> None:
    ec2 = aws("ec2")
    ec2.add_response(
        "describe_transit_gateways",
        {"TransitGateways": [{"TransitGatewayId": TGW, "State": "available", "Options": {"AmazonSideAsn": 64512}, "Tags": _named("LAB-TGW")}]},
        {"TransitGatewayIds": [TGW]},
    )
    attachments = [_attachment(VPC_ATTACHMENT, "vpc", "vpc-0123456789abcdef0", "available", True)]
    if vpn_state:
        attachments.append(_attachment(VPN_ATTACHMENT, "vpn", VPN, vpn_state, False))
    ec2.add_response(
        "describe_transit_gateway_attachments",
        {"TransitGatewayAttachments": attachments},
        {"Filters": [{"Name": "transit-gateway-id", "Values": [TGW]}]},
    )
    ec2.add_response(
        "describe_transit_gateway_route_tables",
        {"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": TABLE, "TransitGatewayId": TGW, "State": "available", "Tags": _named("LAB-TGW-RT")}]},
        {"Filters": [{"Name": "transit-gateway-id", "Values": [TGW]}]},
    )
    ec2.add_response(
        "get_transit_gateway_route_table_associations",
        {"Associations": [{"TransitGatewayAttachmentId": VPC_ATTACHMENT, "ResourceType": "vpc", "State": "associated"}]},
        {"TransitGatewayRouteTableId": TABLE},
    )
    ec2.add_response(
        "get_transit_gateway_route_table_propagations",
        {"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": VPC_ATTACHMENT, "ResourceType": "vpc", "State": "enabled"}]},
        {"TransitGatewayRouteTableId": TABLE},
    )
    ec2.add_response(
        "search_transit_gateway_routes",
        {
            "Routes": [
                {
                    "DestinationCidrBlock": "10.0.0.0/16",
                    "Type": "propagated",
                    "State": "active",
                    "TransitGatewayAttachments": [
                        {"TransitGatewayAttachmentId": VPC_ATTACHMENT, "ResourceId": "vpc-0123456789abcdef0", "ResourceType": "vpc"}
                    ],
                },
                {"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"},
            ]
        },
        {"TransitGatewayRouteTableId": TABLE, "Filters": [{"Name": "state", "Values": ["active", "blackhole", "pending"]}]},
    )


def test_reads_attachments_tables_associations_propagations_and_routes(aws, run_module) -> None:
    _queue_routing(aws, "available")

    result = run_module(main, {"transit_gateway_id": TGW, "region": "ap-northeast-2"})

    assert result.exit_code == 0, result
    assert result["changed"] is False
    assert (result["name"], result["amazon_side_asn"]) == ("LAB-TGW", 64512)
    assert [(a["resource_type"], a["associated_route_table_id"]) for a in result["attachments"]] == [("vpc", TABLE), ("vpn", None)]
    (table,) = result["route_tables"]
    assert (table["name"], table["associations"], table["propagations"]) == ("LAB-TGW-RT", [VPC_ATTACHMENT], [VPC_ATTACHMENT])
    assert [(r["destination_cidr_block"], r["type"], r["state"], r["resource_type"]) for r in table["routes"]] == [
        ("10.0.0.0/16", "propagated", "active", "vpc"),
        ("10.9.0.0/16", "static", "blackhole", None),
    ]


def test_finds_a_vpn_attachment_and_waits_until_it_is_available(aws, run_module, fake_time) -> None:
    _queue_routing(aws, None)
    _queue_routing(aws, "pending")
    _queue_routing(aws, "available")

    result = run_module(main, {"transit_gateway_id": TGW, "resource_type": "vpn", "resource_id": VPN, "wait": "available", "wait_delay": 4})

    assert result.exit_code == 0, result
    assert [a["transit_gateway_attachment_id"] for a in result["matched_attachments"]] == [VPN_ATTACHMENT]
    assert fake_time.sleeps == [4, 4]


def test_waiting_fails_at_once_for_an_attachment_that_will_never_be_available(aws, run_module) -> None:
    _queue_routing(aws, "failed")

    result = run_module(main, {"transit_gateway_id": TGW, "resource_type": "vpn", "resource_id": VPN, "wait": "available"})

    assert result["failed"] is True
    assert result["msg"].endswith(f"is failed and will never be available: {VPN_ATTACHMENT} failed")


def test_waiting_times_out_naming_what_was_seen(aws, run_module) -> None:
    _queue_routing(aws, None)
    _queue_routing(aws, None)

    result = run_module(main, {"transit_gateway_id": TGW, "resource_type": "vpn", "resource_id": VPN, "wait": "available", "wait_timeout": 5, "wait_delay": 5})

    assert result["failed"] is True
    assert result["msg"] == (
        f"Timed out after 5s waiting for an attachment with resource_type=vpn, resource_id={VPN} on {TGW} "
        "to be available; last seen: none yet"
    )


def test_an_unknown_gateway_fails_naming_it(aws, run_module) -> None:
    aws("ec2").add_response("describe_transit_gateways", {"TransitGateways": []}, {"TransitGatewayIds": [TGW]})

    result = run_module(main, {"transit_gateway_id": TGW, "region": "ap-northeast-2"})

    assert result["failed"] is True
    assert result["msg"] == f"Transit gateway {TGW} does not exist in ap-northeast-2"
