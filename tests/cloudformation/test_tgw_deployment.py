"""The Transit Gateway templates deploy on the offline twin as the TGW playbooks chain them:
tgw -> (idc) -> tgw_vpn -> routes to the VPN attachment; tgw_peer in a second region ->
tgw_peering -> accepted -> routes on both sides; and they are deleted with nothing left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from test_twin_deployment import OPERATOR, PSK, REGION, create_stack, offline_twin, tags_of

PEER_REGION = "ap-northeast-1"


@pytest.fixture(scope="module")
def lab() -> Iterator[dict[str, dict[str, str]]]:
    with offline_twin():
        idc = create_stack("lab-idc", "idc", {"OperatorCidr": OPERATOR})
        tgw = create_stack("lab-tgw", "tgw", {"OperatorCidr": OPERATOR})
        vpn = create_stack(
            "lab-tgw-vpn",
            "tgw_vpn",
            {
                "TransitGatewayId": tgw["TransitGatewayId"],
                "CgwPublicIp": idc["CgwPublicIp"],
                "IdcPrivateRouteTableId": idc["PrivateRouteTableId"],
                "CgwNetworkInterfaceId": idc["CgwNetworkInterfaceId"],
                "Tunnel1Psk": PSK,
                "Tunnel2Psk": PSK,
            },
        )
        ec2 = boto3.client("ec2", region_name=REGION)
        (vpn_attachment,) = ec2.describe_transit_gateway_attachments(
            Filters=[{"Name": "resource-id", "Values": [vpn["VpnConnectionId"]]}]
        )["TransitGatewayAttachments"]
        vpn_routes = create_stack(
            "lab-tgw-vpn-routes",
            "tgw_attachment_routes",
            {
                "TransitGatewayRouteTableId": tgw["TransitGatewayRouteTableId"],
                "TransitGatewayAttachmentId": vpn_attachment["TransitGatewayAttachmentId"],
                "Destination1Cidr": "10.60.0.0/16",
            },
        )
        peer = create_stack("lab-tgw-peer", "tgw_peer", {}, region=PEER_REGION)
        peering = create_stack(
            "lab-tgw-peering",
            "tgw_peering",
            {"TransitGatewayId": tgw["TransitGatewayId"], "PeerTransitGatewayId": peer["TransitGatewayId"], "PeerRegion": PEER_REGION},
        )
        boto3.client("ec2", region_name=PEER_REGION).accept_transit_gateway_peering_attachment(
            TransitGatewayAttachmentId=peering["PeeringAttachmentId"]
        )
        home_routes = create_stack(
            "lab-tgw-peering-routes",
            "tgw_attachment_routes",
            {
                "TransitGatewayRouteTableId": tgw["TransitGatewayRouteTableId"],
                "TransitGatewayAttachmentId": peering["PeeringAttachmentId"],
                "Destination1Cidr": "10.3.0.0/16",
            },
        )
        peer_routes = create_stack(
            "lab-tgw-peering-routes",
            "tgw_attachment_routes",
            {
                "TransitGatewayRouteTableId": peer["TransitGatewayRouteTableId"],
                "TransitGatewayAttachmentId": peering["PeeringAttachmentId"],
                "Destination1Cidr": "10.0.0.0/16",
                "Destination2Cidr": "10.1.0.0/16",
                "Destination3Cidr": "10.2.0.0/16",
            },
            region=PEER_REGION,
        )
        yield {
            "idc": idc,
            "tgw": tgw,
            "vpn": vpn,
            "vpn_routes": vpn_routes,
            "peer": peer,
            "peering": peering,
            "home_routes": home_routes,
            "peer_routes": peer_routes,
            "vpn_attachment": {"Id": vpn_attachment["TransitGatewayAttachmentId"]},
        }


def _routes(region: str, table_id: str) -> dict[str, tuple[str, str]]:
    ec2 = boto3.client("ec2", region_name=region)
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table_id, Filters=[{"Name": "state", "Values": ["active", "blackhole"]}]
    )["Routes"]
    return {r["DestinationCidrBlock"]: (r["Type"], r["TransitGatewayAttachments"][0]["ResourceType"]) for r in routes}


def _lab_resources(ec2: Any, operation: str, key: str) -> list[dict[str, Any]]:
    return [
        item
        for item in getattr(ec2, operation)(Filters=[{"Name": "tag:hybridlab:lab", "Values": ["hybridlab"]}])[key]
        if item.get("State") not in ("deleted",)
    ]


def test_tgw_stack_builds_the_diary_lab(lab: dict[str, dict[str, str]]) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc_ids = [lab["tgw"][f"Vpc{n}Id"] for n in range(3)]
    vpcs = ec2.describe_vpcs(VpcIds=vpc_ids)["Vpcs"]
    assert sorted(v["CidrBlock"] for v in vpcs) == ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])["Subnets"]
    assert len(subnets) == 12
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])["RouteTables"]
    assert len([t for t in tables if not any(a.get("Main") for a in t.get("Associations", []))]) == 4
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])["SecurityGroups"]
    assert sorted(tags_of(g).get("Name", "") for g in groups if g["GroupName"] != "default") == [
        "VPC0-EC2-SG",
        "VPC0-Endpoint-SG",
        "VPC1-EC2-SG",
        "VPC2-EC2-SG",
    ]
    (endpoint,) = ec2.describe_vpc_endpoints(VpcEndpointIds=[lab["tgw"]["VpcEndpointId"]])["VpcEndpoints"]
    assert endpoint["VpcEndpointType"] == "Interface" and endpoint["ServiceName"] == f"com.amazonaws.{REGION}.ec2"
    vpc0_ports = {(p["IpProtocol"], p.get("FromPort")) for g in groups if tags_of(g).get("Name") == "VPC0-EC2-SG" for p in g["IpPermissions"]}
    assert vpc0_ports == {("tcp", 22), ("tcp", 80), ("tcp", 443), ("tcp", 3128), ("icmp", -1)}


def test_every_vpc_routes_the_lab_networks_to_the_transit_gateway(lab: dict[str, dict[str, str]]) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc_ids = [lab["tgw"][f"Vpc{n}Id"] for n in range(3)]
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": vpc_ids}])["RouteTables"]
    for table in tables:
        if any(a.get("Main") for a in table.get("Associations", [])):
            continue
        targets = {r.get("DestinationCidrBlock"): r.get("TransitGatewayId") for r in table["Routes"]}
        assert targets.get("10.0.0.0/8") == lab["tgw"]["TransitGatewayId"], tags_of(table)


def test_tgw_route_table_holds_the_vpcs_the_idc_and_the_peer(lab: dict[str, dict[str, str]]) -> None:
    assert _routes(REGION, lab["tgw"]["TransitGatewayRouteTableId"]) == {
        "10.0.0.0/16": ("propagated", "vpc"),
        "10.1.0.0/16": ("propagated", "vpc"),
        "10.2.0.0/16": ("propagated", "vpc"),
        "10.60.0.0/16": ("static", "vpn"),
        "10.3.0.0/16": ("static", "peering"),
    }
    assert _routes(PEER_REGION, lab["peer"]["TransitGatewayRouteTableId"]) == {
        "10.3.0.0/16": ("propagated", "vpc"),
        "10.0.0.0/16": ("static", "peering"),
        "10.1.0.0/16": ("static", "peering"),
        "10.2.0.0/16": ("static", "peering"),
    }


def test_vpn_attachment_is_associated_and_idc_routes_to_the_cgw(lab: dict[str, dict[str, str]]) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    (attachment,) = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[lab["vpn_attachment"]["Id"]])[
        "TransitGatewayAttachments"
    ]
    assert attachment["Association"]["TransitGatewayRouteTableId"] == lab["tgw"]["TransitGatewayRouteTableId"]
    (idc_private,) = ec2.describe_route_tables(RouteTableIds=[lab["idc"]["PrivateRouteTableId"]])["RouteTables"]
    routes = {r.get("DestinationCidrBlock"): r.get("NetworkInterfaceId") for r in idc_private["Routes"]}
    assert routes["10.0.0.0/14"] == lab["idc"]["CgwNetworkInterfaceId"]


def test_peering_is_available_and_associated_on_both_sides(lab: dict[str, dict[str, str]]) -> None:
    for region, stack in ((REGION, "tgw"), (PEER_REGION, "peer")):
        ec2 = boto3.client("ec2", region_name=region)
        (attachment,) = ec2.describe_transit_gateway_attachments(
            TransitGatewayAttachmentIds=[lab["peering"]["PeeringAttachmentId"]]
        )["TransitGatewayAttachments"]
        assert attachment["State"] == "available"
        assert attachment["TransitGatewayId"] == lab[stack]["TransitGatewayId"]
        assert attachment["Association"]["TransitGatewayRouteTableId"] == lab[stack]["TransitGatewayRouteTableId"]


def test_peering_to_the_same_region_is_refused_before_anything_is_made(lab: dict[str, dict[str, str]]) -> None:
    cfn = boto3.client("cloudformation", region_name=REGION)
    with pytest.raises(cfn.exceptions.ClientError, match="PeerRegion must be another region"):
        cfn.create_stack(
            StackName="lab-bad-peering",
            TemplateBody=open("cloudformation/tgw_peering.yml").read(),
            Parameters=[
                {"ParameterKey": "TransitGatewayId", "ParameterValue": lab["tgw"]["TransitGatewayId"]},
                {"ParameterKey": "PeerTransitGatewayId", "ParameterValue": lab["peer"]["TransitGatewayId"]},
                {"ParameterKey": "PeerRegion", "ParameterValue": REGION},
            ],
        )


def test_deleting_the_stacks_newest_first_leaves_nothing(lab: dict[str, dict[str, str]]) -> None:
    home = boto3.client("cloudformation", region_name=REGION)
    peer = boto3.client("cloudformation", region_name=PEER_REGION)
    for client, name in (
        (peer, "lab-tgw-peering-routes"),
        (home, "lab-tgw-peering-routes"),
        (home, "lab-tgw-peering"),
        (peer, "lab-tgw-peer"),
        (home, "lab-tgw-vpn-routes"),
        (home, "lab-tgw-vpn"),
        (home, "lab-tgw"),
        (home, "lab-idc"),
    ):
        client.delete_stack(StackName=name)
        statuses = {s["StackName"]: s["StackStatus"] for s in client.list_stacks()["StackSummaries"] if s["StackName"] == name}
        assert statuses == {name: "DELETE_COMPLETE"}
    for region in (REGION, PEER_REGION):
        ec2 = boto3.client("ec2", region_name=region)
        assert not [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")]
        assert not [t for t in ec2.describe_transit_gateways()["TransitGateways"] if t["State"] != "deleted"]
        assert not [
            a for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"] if a["State"] != "deleted"
        ]
        assert not _lab_resources(ec2, "describe_vpc_endpoints", "VpcEndpoints")
