"""A deleted stack leaves nothing behind; a delete that cannot finish says so."""

from __future__ import annotations

import botocore.exceptions
import pytest
from shapes import assert_matches_output_shape
from stack_helpers import (
    lab_vpcs,
    live_instances,
    physical_ids,
    resource_events,
    site_template,
    stack,
    subnet,
    template,
    vpc,
)


def _nothing_left(ec2) -> dict[str, list]:
    default_vpcs = {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["IsDefault"]}
    return {
        "vpcs": lab_vpcs(ec2),
        "subnets": [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["VpcId"] not in default_vpcs],
        "instances": live_instances(ec2),
        "interfaces": [e["NetworkInterfaceId"] for e in ec2.describe_network_interfaces()["NetworkInterfaces"]],
        "addresses": [a["PublicIp"] for a in ec2.describe_addresses()["Addresses"]],
        "gateways": [g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]],
        "route_tables": [
            r["RouteTableId"] for r in ec2.describe_route_tables()["RouteTables"] if r["VpcId"] not in default_vpcs
        ],
        "security_groups": [
            g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["VpcId"] not in default_vpcs
        ],
    }


def test_deleted_site_stack_leaves_no_resources_behind(cfn, ec2):
    cfn.create_stack(StackName="site", TemplateBody=site_template())
    assert stack(cfn, "site")["StackStatus"] == "CREATE_COMPLETE"
    stack_id = stack(cfn, "site")["StackId"]

    cfn.delete_stack(StackName="site")

    assert _nothing_left(ec2) == {key: [] for key in _nothing_left(ec2)}
    deleted = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
    assert deleted["StackStatus"] == "DELETE_COMPLETE"
    with pytest.raises(botocore.exceptions.ClientError):
        cfn.describe_stacks(StackName="site")


def test_delete_goes_dependents_first(cfn):
    cfn.create_stack(StackName="site", TemplateBody=site_template())

    cfn.delete_stack(StackName="site")

    stack_id = cfn.list_stacks()["StackSummaries"][0]["StackId"]
    order = [
        e["LogicalResourceId"]
        for e in reversed(cfn.describe_stack_events(StackName=stack_id)["StackEvents"])
        if e["ResourceStatus"] == "DELETE_COMPLETE" and e["LogicalResourceId"] != "site"
    ]
    assert order.index("Gateway") < order.index("GatewayEni") < order.index("PublicSubnet") < order.index("Vpc")
    assert order.index("GatewayEipAssoc") < order.index("GatewayEip")
    assert order.index("ToOtherSite") < order.index("PrivateRt")
    assert order.index("PublicAssoc") < order.index("PublicSubnet")
    assert order.index("IgwAttach") < order.index("Igw")


def test_delete_blocked_by_a_foreign_resource_ends_delete_failed_and_can_be_retried(cfn, ec2):
    cfn.create_stack(StackName="lab", TemplateBody=template({"Vpc": vpc(), "Public": subnet("Vpc", "10.60.0.0/24")}))
    vpc_id = physical_ids(cfn, "lab")["Vpc"]
    foreign = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.60.7.0/24")["Subnet"]["SubnetId"]

    cfn.delete_stack(StackName="lab")

    described = cfn.describe_stacks(StackName="lab")
    assert_matches_output_shape("cloudformation", "DescribeStacks", described)
    current = described["Stacks"][0]
    assert current["StackStatus"] == "DELETE_FAILED"
    assert current["StackStatusReason"] == "The following resource(s) failed to delete: [Vpc]. "
    reasons = [reason for status, reason in resource_events(cfn, "lab", "Vpc") if status == "DELETE_FAILED"]
    assert "DependencyViolation" in reasons[0] and vpc_id in reasons[0]
    assert vpc_id in lab_vpcs(ec2)

    ec2.delete_subnet(SubnetId=foreign)
    cfn.delete_stack(StackName="lab")

    assert lab_vpcs(ec2) == []
    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]


def test_retained_resource_survives_the_stack(cfn, ec2):
    cfn.create_stack(StackName="lab", TemplateBody=template({"Vpc": {**vpc(), "DeletionPolicy": "Retain"}}))

    cfn.delete_stack(StackName="lab")

    assert len(lab_vpcs(ec2)) == 1
    assert ("DELETE_SKIPPED", "") in [
        (e["ResourceStatus"], e.get("ResourceStatusReason", ""))
        for e in cfn.describe_stack_events(StackName=cfn.list_stacks()["StackSummaries"][0]["StackId"])["StackEvents"]
    ]
