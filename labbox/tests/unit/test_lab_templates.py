"""The lab's own templates (cloudformation/*.yml) live their whole life on the twin."""

from __future__ import annotations

from stack_helpers import deploy_lab, lab_vpcs, live_instances


def test_lab_stacks_create_answer_no_op_updates_and_delete_without_leftovers(cfn, ec2):
    lab = deploy_lab(cfn)
    idc, aws, vpn = lab["idc"], lab["aws"], lab["vpn"]

    assert idc["CgwPrivateIp"] == "10.60.0.100" and idc["IdcEc2PrivateIp"] == "10.60.1.100"
    assert aws["AwsEc2PrivateIp"] == "10.50.1.100"
    assert idc["CgwPublicIp"].startswith("198.51.100.")
    assert idc["AvailabilityZone"] == aws["AvailabilityZone"] == "ap-northeast-2a"
    cgw = ec2.describe_instances(InstanceIds=[idc["CgwInstanceId"]])["Reservations"][0]["Instances"][0]
    assert (cgw["SourceDestCheck"], cgw["PublicIpAddress"]) == (False, idc["CgwPublicIp"])
    assert vpn["VpnConnectionId"].startswith("vpn-")

    for name in ("vpn", "aws", "idc"):
        cfn.delete_stack(StackName=f"hybridlab-{name}")

    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"] * 3
    assert lab_vpcs(ec2) == []
    assert live_instances(ec2) == []
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    assert ec2.describe_addresses()["Addresses"] == []
