"""Transit Gateway types from templates: attachments, route tables, associations, routes, peering."""

from __future__ import annotations

from shapes import assert_matches_output_shape
from stack_helpers import get_att, lab_vpcs, outputs, ref, stack, subnet, template, vpc

TGW = {
    "Type": "AWS::EC2::TransitGateway",
    "Properties": {"AmazonSideAsn": 64513, "Tags": [{"Key": "Name", "Value": "TGW"}]},
}


def _tgw_template(subnets: list[str], attachment_type: str = "AWS::EC2::TransitGatewayVpcAttachment") -> str:
    return template(
        {
            "Vpc": vpc("10.1.0.0/16"),
            "A": subnet("Vpc", "10.1.0.0/24"),
            "B": subnet("Vpc", "10.1.1.0/24"),
            "Tgw": TGW,
            "Attachment": {
                "Type": attachment_type,
                "Properties": {
                    "TransitGatewayId": ref("Tgw"),
                    "VpcId": ref("Vpc"),
                    "SubnetIds": [ref(s) for s in subnets],
                },
            },
            "Table": {"Type": "AWS::EC2::TransitGatewayRouteTable", "Properties": {"TransitGatewayId": ref("Tgw")}},
            "Association": {
                "Type": "AWS::EC2::TransitGatewayRouteTableAssociation",
                "Properties": {
                    "TransitGatewayAttachmentId": ref("Attachment"),
                    "TransitGatewayRouteTableId": ref("Table"),
                },
            },
            "Propagation": {
                "Type": "AWS::EC2::TransitGatewayRouteTablePropagation",
                "Properties": {
                    "TransitGatewayAttachmentId": ref("Attachment"),
                    "TransitGatewayRouteTableId": ref("Table"),
                },
            },
            "Route": {
                "Type": "AWS::EC2::TransitGatewayRoute",
                "Properties": {
                    "TransitGatewayRouteTableId": ref("Table"),
                    "DestinationCidrBlock": "10.9.0.0/16",
                    "TransitGatewayAttachmentId": ref("Attachment"),
                },
            },
            "Blackhole": {
                "Type": "AWS::EC2::TransitGatewayRoute",
                "Properties": {
                    "TransitGatewayRouteTableId": ref("Table"),
                    "DestinationCidrBlock": "10.8.0.0/16",
                    "Blackhole": True,
                },
            },
        },
        outputs={
            "Tgw": ref("Tgw"),
            "Attachment": ref("Attachment"),
            "Table": get_att("Table", "TransitGatewayRouteTableId"),
            "A": ref("A"),
            "B": ref("B"),
        },
    )


def test_transit_gateway_stack_builds_attachment_table_association_and_routes(cfn, ec2):
    cfn.create_stack(StackName="tgw", TemplateBody=_tgw_template(["A"]))
    assert stack(cfn, "tgw")["StackStatus"] == "CREATE_COMPLETE"
    out = outputs(cfn, "tgw")

    attachments = ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[out["Attachment"]])
    assert_matches_output_shape("ec2", "DescribeTransitGatewayVpcAttachments", attachments)
    assert attachments["TransitGatewayVpcAttachments"][0]["SubnetIds"] == [out["A"]]
    associations = ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=out["Table"])
    assert [a["TransitGatewayAttachmentId"] for a in associations["Associations"]] == [out["Attachment"]]
    propagations = ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=out["Table"])
    assert [p["TransitGatewayAttachmentId"] for p in propagations["TransitGatewayRouteTablePropagations"]] == [
        out["Attachment"]
    ]
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=out["Table"], Filters=[{"Name": "state", "Values": ["active", "blackhole"]}]
    )["Routes"]
    assert_matches_output_shape("ec2", "SearchTransitGatewayRoutes", {"Routes": routes, "AdditionalRoutesAvailable": False})
    assert {r["DestinationCidrBlock"]: (r["Type"], r["State"]) for r in routes} == {
        "10.1.0.0/16": ("propagated", "active"),  # the attached VPC, from the propagation
        "10.9.0.0/16": ("static", "active"),
        "10.8.0.0/16": ("static", "blackhole"),
    }
    by_cidr = {r["DestinationCidrBlock"]: r for r in routes}
    assert [a["TransitGatewayAttachmentId"] for a in by_cidr["10.9.0.0/16"]["TransitGatewayAttachments"]] == [
        out["Attachment"]
    ]
    assert by_cidr["10.1.0.0/16"]["TransitGatewayAttachments"][0]["ResourceType"] == "vpc"


def test_attachment_subnets_update_in_place(cfn, ec2):
    # SubnetIds is updatable on TransitGatewayAttachment (create-only on ...VpcAttachment).
    cfn.create_stack(StackName="tgw", TemplateBody=_tgw_template(["A"], "AWS::EC2::TransitGatewayAttachment"))
    before = outputs(cfn, "tgw")

    cfn.update_stack(StackName="tgw", TemplateBody=_tgw_template(["A", "B"], "AWS::EC2::TransitGatewayAttachment"))

    assert stack(cfn, "tgw")["StackStatus"] == "UPDATE_COMPLETE"
    after = outputs(cfn, "tgw")
    assert after["Attachment"] == before["Attachment"]
    attachment = ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[after["Attachment"]])
    assert sorted(attachment["TransitGatewayVpcAttachments"][0]["SubnetIds"]) == sorted([after["A"], after["B"]])


def test_transit_gateway_stack_deletes_everything(cfn, ec2):
    cfn.create_stack(StackName="tgw", TemplateBody=_tgw_template(["A", "B"]))
    out = outputs(cfn, "tgw")

    cfn.delete_stack(StackName="tgw")

    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]
    assert lab_vpcs(ec2) == []
    # As on AWS, a deleted gateway is still described for a while, as deleted.
    assert [g["State"] for g in ec2.describe_transit_gateways()["TransitGateways"]] == ["deleted"]
    live = [
        a for a in ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"] if a["State"] != "deleted"
    ]
    assert live == []
    tables = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[out["Table"]])[
        "TransitGatewayRouteTables"
    ]
    assert [t["State"] for t in tables] in ([], ["deleted"])


def test_peering_attachment_waits_for_the_peer(cfn, ec2):
    body = template(
        {
            "Here": TGW,
            "There": TGW,
            "Peering": {
                "Type": "AWS::EC2::TransitGatewayPeeringAttachment",
                "Properties": {
                    "TransitGatewayId": ref("Here"),
                    "PeerTransitGatewayId": ref("There"),
                    "PeerRegion": "ap-northeast-2",
                },
            },
        },
        outputs={"Peering": ref("Peering")},
    )
    cfn.create_stack(StackName="peer", TemplateBody=body)

    response = ec2.describe_transit_gateway_peering_attachments(
        TransitGatewayAttachmentIds=[outputs(cfn, "peer")["Peering"]]
    )
    assert_matches_output_shape("ec2", "DescribeTransitGatewayPeeringAttachments", response)
    assert response["TransitGatewayPeeringAttachments"][0]["State"] == "pendingAcceptance"
