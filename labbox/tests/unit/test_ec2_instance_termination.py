"""Terminating an instance deletes the interfaces RunInstances created for it, as EC2 does;
what an interface still uses cannot be deleted."""

from __future__ import annotations

import botocore.exceptions
import pytest

IMAGE = "ami-03cf127a"


@pytest.fixture
def subnet(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="lab", Description="lab", VpcId=vpc)["GroupId"]
    return {"vpc": vpc, "subnet": subnet_id, "group": group}


def _interfaces(ec2, subnet_id):
    return ec2.describe_network_interfaces(Filters=[{"Name": "subnet-id", "Values": [subnet_id]}])["NetworkInterfaces"]


def _launch(ec2, **request):
    return ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, **request)["Instances"][0]


def test_a_terminated_instance_leaves_its_subnet_and_group_deletable(ec2, subnet):
    instance = _launch(ec2, SubnetId=subnet["subnet"], SecurityGroupIds=[subnet["group"]])
    [interface] = instance["NetworkInterfaces"]
    assert interface["Attachment"]["DeleteOnTermination"] is True
    for refused_delete in (
        lambda: ec2.delete_subnet(SubnetId=subnet["subnet"]),
        lambda: ec2.delete_security_group(GroupId=subnet["group"]),
        lambda: ec2.delete_vpc(VpcId=subnet["vpc"]),
    ):
        with pytest.raises(botocore.exceptions.ClientError) as in_use:
            refused_delete()
        assert in_use.value.response["Error"]["Code"] == "DependencyViolation"

    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])

    assert _interfaces(ec2, subnet["subnet"]) == []
    ec2.delete_security_group(GroupId=subnet["group"])
    ec2.delete_subnet(SubnetId=subnet["subnet"])
    ec2.delete_vpc(VpcId=subnet["vpc"])


def test_an_interface_asked_to_survive_termination_survives(ec2, subnet):
    instance = _launch(
        ec2,
        NetworkInterfaces=[
            {"DeviceIndex": 0, "SubnetId": subnet["subnet"], "Groups": [subnet["group"]], "DeleteOnTermination": False}
        ],
    )
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    [kept] = _interfaces(ec2, subnet["subnet"])
    assert kept["Status"] == "available"


def test_an_interface_attached_by_id_outlives_the_instance(ec2, subnet):
    interface = ec2.create_network_interface(SubnetId=subnet["subnet"], Groups=[subnet["group"]])["NetworkInterface"]
    instance = _launch(ec2, NetworkInterfaces=[{"DeviceIndex": 0, "NetworkInterfaceId": interface["NetworkInterfaceId"]}])
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    assert [kept["NetworkInterfaceId"] for kept in _interfaces(ec2, subnet["subnet"])] == [interface["NetworkInterfaceId"]]


def test_terminating_a_terminated_instance_again_changes_nothing(ec2, subnet):
    instance = _launch(ec2, SubnetId=subnet["subnet"])["InstanceId"]
    ec2.terminate_instances(InstanceIds=[instance])
    [again] = ec2.terminate_instances(InstanceIds=[instance])["TerminatingInstances"]
    assert again["PreviousState"]["Name"] == "terminated"
    [described] = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
    assert described["State"]["Name"] == "terminated"
