"""The lab's own templates (cloudformation/*.yml) live their whole life on the twin."""

from __future__ import annotations

from pathlib import Path

import botocore.exceptions
import pytest
from stack_helpers import lab_vpcs, live_instances, outputs, stack

TEMPLATES = Path(__file__).resolve().parents[2] / "cloudformation"
OPERATOR = {"OperatorCidr": "192.0.2.0/24"}


def _params(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def _create(cfn, name: str, values: dict[str, str]) -> dict[str, str]:
    body = (TEMPLATES / f"{name}.yml").read_text()
    cfn.create_stack(StackName=f"hybridlab-{name}", TemplateBody=body, Parameters=_params(values))
    current = stack(cfn, f"hybridlab-{name}")
    failures = [
        f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
        for e in cfn.describe_stack_events(StackName=f"hybridlab-{name}")["StackEvents"]
        if e["ResourceStatus"].endswith("FAILED")
    ]
    assert current["StackStatus"] == "CREATE_COMPLETE", failures
    with pytest.raises(botocore.exceptions.ClientError, match="No updates are to be performed."):
        cfn.update_stack(StackName=f"hybridlab-{name}", TemplateBody=body, Parameters=_params(values))
    return outputs(cfn, f"hybridlab-{name}")


def test_lab_stacks_create_answer_no_op_updates_and_delete_without_leftovers(cfn, ec2):
    idc = _create(cfn, "idc", OPERATOR)
    aws = _create(cfn, "aws", OPERATOR)
    vpn = _create(
        cfn,
        "vpn",
        {
            "VpcId": aws["VpcId"],
            "PublicRouteTableId": aws["PublicRouteTableId"],
            "CgwPublicIp": idc["CgwPublicIp"],
            "Tunnel1Psk": "cloudneta",
            "Tunnel2Psk": "cloudneta",
        },
    )

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
