"""Small helpers to write CloudFormation tests against the twin: templates and stack reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

AMI = "ami-03cf127a"  # one of moto's bundled Amazon Linux images
# The lab's own templates (hybridlab.aws, the repository beside this package) serve as real-world
# fixtures: the twin must build and delete exactly what the lab deploys.
TEMPLATES = Path(__file__).resolve().parents[3] / "cloudformation"


def _params(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def create_lab_stack(cfn: Any, name: str, values: dict[str, str]) -> dict[str, str]:
    """Create the lab's stack ``name`` (cloudformation/<name>.yml); check it and return its outputs."""
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


def deploy_lab(cfn: Any, psks: tuple[str, str] = ("cloudneta", "cloudneta")) -> dict[str, dict[str, str]]:
    """The whole S2S lab from its templates: the outputs of the idc, aws and vpn stacks."""
    operator = {"OperatorCidr": "192.0.2.0/24"}
    idc = create_lab_stack(cfn, "idc", operator)
    aws = create_lab_stack(cfn, "aws", operator)
    vpn = create_lab_stack(
        cfn,
        "vpn",
        {
            "VpcId": aws["VpcId"],
            "PublicRouteTableId": aws["PublicRouteTableId"],
            "CgwPublicIp": idc["CgwPublicIp"],
            "Tunnel1Psk": psks[0],
            "Tunnel2Psk": psks[1],
        },
    )
    return {"idc": idc, "aws": aws, "vpn": vpn}


def template(
    resources: dict[str, Any], outputs: dict[str, Any] | None = None, parameters: dict[str, Any] | None = None
) -> str:
    body: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    if outputs:
        body["Outputs"] = {key: {"Value": value} for key, value in outputs.items()}
    if parameters:
        body["Parameters"] = parameters
    return json.dumps(body)


def ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def get_att(name: str, attribute: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, attribute]}


def vpc(cidr: str = "10.60.0.0/16", **properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": cidr, **properties}}


def subnet(vpc_name: str, cidr: str, **properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": ref(vpc_name), "CidrBlock": cidr, **properties}}


def security_group(vpc_name: str, **properties: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {"GroupDescription": "test group", "VpcId": ref(vpc_name), **properties},
    }


def stack(cfn: Any, name: str) -> dict[str, Any]:
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def outputs(cfn: Any, name: str) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack(cfn, name).get("Outputs", [])}


def events(cfn: Any, name: str) -> list[dict[str, Any]]:
    """The stack's events, oldest first."""
    return list(reversed(cfn.describe_stack_events(StackName=name)["StackEvents"]))


def resource_events(cfn: Any, name: str, logical_id: str) -> list[tuple[str, str]]:
    return [
        (e["ResourceStatus"], e.get("ResourceStatusReason", ""))
        for e in events(cfn, name)
        if e["LogicalResourceId"] == logical_id
    ]


def physical_ids(cfn: Any, name: str) -> dict[str, str]:
    summaries = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    return {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries}


def lab_vpcs(ec2: Any) -> list[str]:
    return [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]


def live_instances(ec2: Any) -> list[str]:
    return [
        i["InstanceId"]
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] != "terminated"
    ]


def dumps(value: Any) -> str:
    return json.dumps(value, default=str)


def site_template() -> str:
    """templates/site.template: a lab-like site (VPC, subnets, routes, ENI, EIP, two instances)."""
    from pathlib import Path

    return (Path(__file__).parent / "templates" / "site.template").read_text()
