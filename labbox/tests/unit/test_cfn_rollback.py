"""A stack that fails rolls back as on AWS: resources undone, reasons in events and status."""

from __future__ import annotations

import botocore.exceptions
import pytest

from shapes import assert_matches_output_shape
from stack_helpers import (
    lab_vpcs,
    outputs,
    physical_ids,
    ref,
    resource_events,
    security_group,
    stack,
    subnet,
    template,
    vpc,
)

BROKEN_SUBNET = subnet("Vpc", "10.99.0.0/24")  # outside the VPC's 10.60.0.0/16


def test_failed_create_deletes_what_was_created_and_ends_rollback_complete(cfn, ec2):
    body = template(
        {"Vpc": vpc(), "Group": security_group("Vpc"), "Broken": {**BROKEN_SUBNET, "DependsOn": "Group"}},
        outputs={"VpcId": ref("Vpc")},
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    described = cfn.describe_stacks(StackName="lab")
    assert_matches_output_shape("cloudformation", "DescribeStacks", described)
    current = described["Stacks"][0]
    assert current["StackStatus"] == "ROLLBACK_COMPLETE"
    assert current["StackStatusReason"] == (
        "The following resource(s) failed to create: [Broken]. Rollback requested by user."
    )
    assert "Outputs" not in current
    assert lab_vpcs(ec2) == []
    groups = [g for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"]
    assert groups == []


def test_failed_resource_event_names_the_error(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=template({"Vpc": vpc(), "Broken": BROKEN_SUBNET}))

    events = cfn.describe_stack_events(StackName="lab")
    assert_matches_output_shape("cloudformation", "DescribeStackEvents", events)
    failed = [e for e in events["StackEvents"] if e["ResourceStatus"] == "CREATE_FAILED"]
    assert [e["LogicalResourceId"] for e in failed] == ["Broken"]
    assert "10.99.0.0/24" in failed[0]["ResourceStatusReason"]
    assert "InvalidSubnet.Range" in failed[0]["ResourceStatusReason"]
    assert resource_events(cfn, "lab", "Vpc") == [
        ("CREATE_IN_PROGRESS", ""),
        ("CREATE_COMPLETE", ""),
        ("DELETE_IN_PROGRESS", ""),
        ("DELETE_COMPLETE", ""),
    ]
    stack_statuses = [e["ResourceStatus"] for e in events["StackEvents"] if e["LogicalResourceId"] == "lab"]
    assert stack_statuses[::-1] == ["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]


def test_resource_type_the_twin_lacks_fails_the_stack_instead_of_being_skipped(cfn, ec2):
    body = template(
        {
            "Vpc": vpc(),
            "Path": {
                "Type": "AWS::EC2::NetworkInsightsPath",
                "Properties": {"Source": "igw-0123456789abcdef0", "Protocol": "tcp"},
            },
        }
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    assert stack(cfn, "lab")["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [reason for status, reason in resource_events(cfn, "lab", "Path") if status == "CREATE_FAILED"]
    assert failed and "AWS::EC2::NetworkInsightsPath is not supported" in failed[0]
    assert lab_vpcs(ec2) == []


def test_unknown_resource_type_is_rejected_before_the_stack_exists(cfn):
    body = template({"Thing": {"Type": "AWS::EC2::NoSuchThing", "Properties": {}}})

    with pytest.raises(botocore.exceptions.ClientError) as refused:
        cfn.create_stack(StackName="lab", TemplateBody=body)

    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert "Unrecognized resource types: [AWS::EC2::NoSuchThing]" in refused.value.response["Error"]["Message"]
    assert cfn.list_stacks()["StackSummaries"] == []


def test_on_failure_do_nothing_keeps_resources_and_ends_create_failed(cfn, ec2):
    cfn.create_stack(
        StackName="lab", TemplateBody=template({"Vpc": vpc(), "Broken": BROKEN_SUBNET}), OnFailure="DO_NOTHING"
    )

    current = stack(cfn, "lab")
    assert current["StackStatus"] == "CREATE_FAILED"
    assert current["StackStatusReason"].startswith("The following resource(s) failed to create: [Broken].")
    assert len(lab_vpcs(ec2)) == 1


def test_on_failure_delete_removes_the_stack_after_rollback(cfn, ec2):
    response = cfn.create_stack(
        StackName="lab", TemplateBody=template({"Vpc": vpc(), "Broken": BROKEN_SUBNET}), OnFailure="DELETE"
    )

    deleted = cfn.describe_stacks(StackName=response["StackId"])["Stacks"][0]
    assert deleted["StackStatus"] == "DELETE_COMPLETE"
    assert lab_vpcs(ec2) == []


def test_failed_update_rolls_back_to_the_previous_resources(cfn, ec2):
    first = {"Vpc": vpc(Tags=[{"Key": "Name", "Value": "before"}]), "Public": subnet("Vpc", "10.60.0.0/24")}
    cfn.create_stack(StackName="lab", TemplateBody=template(first, outputs={"SubnetId": ref("Public")}))
    before = physical_ids(cfn, "lab")

    second = {
        "Vpc": vpc(Tags=[{"Key": "Name", "Value": "after"}]),
        "Public": subnet("Vpc", "10.60.0.0/24"),
        "Extra": subnet("Vpc", "10.60.5.0/24"),
        "Broken": {**BROKEN_SUBNET, "DependsOn": "Extra"},
    }
    cfn.update_stack(StackName="lab", TemplateBody=template(second, outputs={"SubnetId": ref("Public")}))

    current = stack(cfn, "lab")
    assert current["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert current["StackStatusReason"] == "The following resource(s) failed to create: [Broken]. "
    assert physical_ids(cfn, "lab") == before
    assert outputs(cfn, "lab") == {"SubnetId": before["Public"]}
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [before["Vpc"]]}])["Subnets"]
    assert [s["SubnetId"] for s in subnets] == [before["Public"]]
    tags = {t["Key"]: t["Value"] for t in ec2.describe_vpcs(VpcIds=[before["Vpc"]])["Vpcs"][0]["Tags"]}
    assert tags["Name"] == "before"
    statuses = [
        e["ResourceStatus"]
        for e in reversed(cfn.describe_stack_events(StackName="lab")["StackEvents"])
        if e["LogicalResourceId"] == "lab"
    ]
    assert statuses[-3:] == [
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE",
    ]


def test_stack_can_be_updated_again_after_an_update_rollback(cfn, ec2):
    first = {"Vpc": vpc()}
    cfn.create_stack(StackName="lab", TemplateBody=template(first))
    cfn.update_stack(StackName="lab", TemplateBody=template({"Vpc": vpc(), "Broken": BROKEN_SUBNET}))
    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"

    cfn.update_stack(StackName="lab", TemplateBody=template({"Vpc": vpc(), "Good": subnet("Vpc", "10.60.9.0/24")}))

    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"
    assert [
        s["CidrBlock"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": lab_vpcs(ec2)}])["Subnets"]
    ] == ["10.60.9.0/24"]


def test_stack_resources_report_their_real_status(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=template({"Vpc": vpc(), "Public": subnet("Vpc", "10.60.0.0/24")}))

    listed = cfn.list_stack_resources(StackName="lab")
    described = cfn.describe_stack_resources(StackName="lab")
    one = cfn.describe_stack_resource(StackName="lab", LogicalResourceId="Public")

    assert_matches_output_shape("cloudformation", "ListStackResources", listed)
    assert_matches_output_shape("cloudformation", "DescribeStackResources", described)
    assert_matches_output_shape("cloudformation", "DescribeStackResource", one)
    assert {s["LogicalResourceId"]: s["ResourceStatus"] for s in listed["StackResourceSummaries"]} == {
        "Vpc": "CREATE_COMPLETE",
        "Public": "CREATE_COMPLETE",
    }
    assert one["StackResourceDetail"]["PhysicalResourceId"].startswith("subnet-")
