"""AWS::EC2::Instance honours its network properties and updates like CloudFormation."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest
from shapes import assert_matches_output_shape
from stack_helpers import (
    AMI,
    outputs,
    ref,
    resource_events,
    security_group,
    site_template,
    stack,
    subnet,
    template,
    vpc,
)


def _instance(ec2, instance_id: str) -> dict:
    response = ec2.describe_instances(InstanceIds=[instance_id])
    assert_matches_output_shape("ec2", "DescribeInstances", response)
    return response["Reservations"][0]["Instances"][0]


def test_site_instances_get_their_groups_addresses_and_source_dest_check(cfn, ec2):
    cfn.create_stack(StackName="site", TemplateBody=site_template())
    out = outputs(cfn, "site")

    host = _instance(ec2, out["HostInstanceId"])
    assert host["PrivateIpAddress"] == "10.60.1.100" == out["HostPrivateIp"]
    assert [g["GroupId"] for g in host["SecurityGroups"]] == [out["HostGroupId"]]
    assert host["SubnetId"] == out["PrivateSubnetId"]
    assert host["SourceDestCheck"] is True
    assert host["MetadataOptions"]["HttpTokens"] == "required"
    assert host["MetadataOptions"]["HttpPutResponseHopLimit"] == 2
    assert "PublicIpAddress" not in host
    assert {t["Key"]: t["Value"] for t in host["Tags"]}["Name"] == "SITE-HOST"

    gateway = _instance(ec2, out["GatewayInstanceId"])
    assert gateway["SourceDestCheck"] is False
    assert gateway["PrivateIpAddress"] == "10.60.0.100"
    assert gateway["PublicIpAddress"] == out["GatewayPublicIp"]
    assert [i["NetworkInterfaceId"] for i in gateway["NetworkInterfaces"]] == [out["GatewayEniId"]]
    assert [g["GroupId"] for g in gateway["SecurityGroups"]] == [out["GatewayGroupId"]]
    assert gateway["Placement"]["AvailabilityZone"] == out["AvailabilityZone"] == "ap-northeast-2a"
    assert gateway["VpcId"] == out["VpcId"]


def _network_template(**instance_properties) -> str:
    return template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24"),
            "Group": security_group("Vpc"),
            "Server": {
                "Type": "AWS::EC2::Instance",
                "Properties": {"ImageId": AMI, "InstanceType": "t3.micro", **instance_properties},
            },
        },
        outputs={"InstanceId": ref("Server"), "GroupId": ref("Group"), "SubnetId": ref("Public")},
    )


def test_network_interfaces_property_creates_interfaces_as_specified(cfn, ec2):
    body = _network_template(
        NetworkInterfaces=[
            {
                "DeviceIndex": "0",
                "SubnetId": ref("Public"),
                "PrivateIpAddress": "10.60.0.50",
                "GroupSet": [ref("Group")],
                "AssociatePublicIpAddress": True,
            }
        ],
        SourceDestCheck=False,
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)
    out = outputs(cfn, "lab")

    server = _instance(ec2, out["InstanceId"])
    [interface] = server["NetworkInterfaces"]
    assert interface["PrivateIpAddress"] == "10.60.0.50"
    assert interface["SubnetId"] == out["SubnetId"]
    assert [g["GroupId"] for g in interface["Groups"]] == [out["GroupId"]]
    assert interface["Attachment"]["DeleteOnTermination"] is True
    assert server["SourceDestCheck"] is False
    assert server["PublicIpAddress"].startswith("198.51.100.")
    eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[interface["NetworkInterfaceId"]])["NetworkInterfaces"][0]
    assert eni["SourceDestCheck"] is False

    cfn.delete_stack(StackName="lab")
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []


def test_fixed_private_ip_already_taken_fails_with_ec2_error(cfn):
    body = template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24"),
            "First": {
                "Type": "AWS::EC2::Instance",
                "Properties": {"ImageId": AMI, "SubnetId": ref("Public"), "PrivateIpAddress": "10.60.0.10"},
            },
            "Second": {
                "Type": "AWS::EC2::Instance",
                "DependsOn": "First",
                "Properties": {"ImageId": AMI, "SubnetId": ref("Public"), "PrivateIpAddress": "10.60.0.10"},
            },
        }
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    assert stack(cfn, "lab")["StackStatus"] == "ROLLBACK_COMPLETE"
    reasons = [r for s, r in resource_events(cfn, "lab", "Second") if s == "CREATE_FAILED"]
    assert "InvalidIPAddress.InUse" in reasons[0] and "10.60.0.10" in reasons[0]


def _update(cfn, body: str) -> None:
    cfn.update_stack(StackName="lab", TemplateBody=body)
    current = stack(cfn, "lab")
    failures = [
        e.get("ResourceStatusReason")
        for e in cfn.describe_stack_events(StackName="lab")["StackEvents"]
        if e["ResourceStatus"].endswith("FAILED")
    ]
    assert current["StackStatus"] == "UPDATE_COMPLETE", failures


def test_instance_type_update_keeps_the_instance(cfn, ec2):
    cfn.create_stack(StackName="lab", TemplateBody=_network_template(SubnetId=ref("Public")))
    before = outputs(cfn, "lab")["InstanceId"]

    body = json.loads(_network_template(SubnetId=ref("Public")))
    body["Resources"]["Server"]["Properties"]["InstanceType"] = "t3.small"
    _update(cfn, json.dumps(body))

    assert outputs(cfn, "lab")["InstanceId"] == before
    server = _instance(ec2, before)
    assert server["InstanceType"] == "t3.small"
    assert server["State"]["Name"] == "running"


def test_security_groups_and_source_dest_check_update_in_place(cfn, ec2):
    cfn.create_stack(StackName="lab", TemplateBody=_network_template(SubnetId=ref("Public")))
    before = outputs(cfn, "lab")

    _update(
        cfn,
        _network_template(
            SubnetId=ref("Public"),
            SecurityGroupIds=[ref("Group")],
            SourceDestCheck=False,
            MetadataOptions={"HttpTokens": "required"},
        ),
    )

    server = _instance(ec2, before["InstanceId"])
    assert outputs(cfn, "lab")["InstanceId"] == before["InstanceId"]
    assert [g["GroupId"] for g in server["SecurityGroups"]] == [before["GroupId"]]
    assert server["SourceDestCheck"] is False
    assert server["MetadataOptions"]["HttpTokens"] == "required"


def test_image_change_replaces_the_instance(cfn, ec2):
    cfn.create_stack(
        StackName="lab", TemplateBody=_network_template(SubnetId=ref("Public"), PrivateIpAddress="10.60.0.20")
    )
    before = outputs(cfn, "lab")["InstanceId"]

    body = json.loads(_network_template(SubnetId=ref("Public"), PrivateIpAddress="10.60.0.21"))
    body["Resources"]["Server"]["Properties"]["ImageId"] = "ami-0123456789abcdef0"
    _update(cfn, json.dumps(body))

    after = outputs(cfn, "lab")["InstanceId"]
    assert after != before
    assert _instance(ec2, before)["State"]["Name"] == "terminated"
    replaced = _instance(ec2, after)
    assert (replaced["ImageId"], replaced["PrivateIpAddress"]) == ("ami-0123456789abcdef0", "10.60.0.21")
    assert (
        "UPDATE_IN_PROGRESS",
        "Requested update requires the creation of a new physical resource; hence creating one.",
    ) in resource_events(cfn, "lab", "Server")


def test_instance_and_subnet_together_refused_with_interfaces(cfn):
    body = _network_template(
        SubnetId=ref("Public"), NetworkInterfaces=[{"DeviceIndex": "0", "SubnetId": ref("Public")}]
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    reasons = [r for s, r in resource_events(cfn, "lab", "Server") if s == "CREATE_FAILED"]
    assert "InvalidParameterCombination" in reasons[0]


def test_direct_api_still_reports_source_dest_check(ec2):
    # The instance-level attribute is the primary interface's; EC2's own calls keep working.
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    instance_id = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet_id)["Instances"][0][
        "InstanceId"
    ]

    ec2.modify_instance_attribute(InstanceId=instance_id, SourceDestCheck={"Value": False})

    assert _instance(ec2, instance_id)["SourceDestCheck"] is False
    with pytest.raises(botocore.exceptions.ClientError):
        ec2.describe_instances(InstanceIds=["i-0000000000000000f"])
