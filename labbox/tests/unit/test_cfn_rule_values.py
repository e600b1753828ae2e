"""Rules that read the region (Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll), as CloudFormation's
template reference describes them: a stack whose parameters break them is refused."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from stack_helpers import dumps, stack, vpc


def _template(rule: dict, parameters: dict) -> str:
    return dumps({
        "Parameters": parameters,
        "Rules": {"Check": {"Assertions": [{"Assert": rule, "AssertDescription": "the rule refuses these parameters"}]}},
        "Resources": {"Vpc": vpc("10.9.0.0/16")},
    })


def _create(cfn, body: str, parameters: dict[str, str]) -> str:
    name = f"rules-{len(cfn.list_stacks()['StackSummaries'])}"
    cfn.create_stack(StackName=name, TemplateBody=body, Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    return stack(cfn, name)["StackStatus"]


def _refused(cfn, body: str, parameters: dict[str, str]) -> str:
    with pytest.raises(ClientError) as refused:
        _create(cfn, body, parameters)
    return refused.value.response["Error"]["Message"]


@pytest.fixture
def network(ec2) -> dict[str, str]:
    lab = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    other = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[lab], Tags=[{"Key": "Team", "Value": "network"}])
    lab_subnet = ec2.create_subnet(VpcId=lab, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    other_subnet = ec2.create_subnet(VpcId=other, CidrBlock="10.70.1.0/24")["Subnet"]["SubnetId"]
    return {"lab": lab, "other": other, "lab_subnet": lab_subnet, "other_subnet": other_subnet}


def test_value_of_a_subnet_parameter_checks_its_vpc(cfn, network) -> None:
    body = _template(
        {"Fn::Equals": [{"Fn::ValueOf": ["Subnet", "VpcId"]}, {"Ref": "Vpc"}]},
        {"Vpc": {"Type": "AWS::EC2::VPC::Id"}, "Subnet": {"Type": "AWS::EC2::Subnet::Id"}},
    )
    assert _create(cfn, body, {"Vpc": network["lab"], "Subnet": network["lab_subnet"]}) == "CREATE_COMPLETE"
    assert _refused(cfn, body, {"Vpc": network["lab"], "Subnet": network["other_subnet"]}) == "the rule refuses these parameters"


def test_ref_all_lists_every_vpc_of_the_region(cfn, network) -> None:
    body = _template({"Fn::Contains": [{"Fn::RefAll": "AWS::EC2::VPC::Id"}, {"Ref": "Vpc"}]}, {"Vpc": {"Type": "String"}})
    assert _create(cfn, body, {"Vpc": network["other"]}) == "CREATE_COMPLETE"
    assert _refused(cfn, body, {"Vpc": "vpc-0123456789abcdef0"}) == "the rule refuses these parameters"


def test_value_of_all_reads_a_tag_of_every_vpc(cfn, network) -> None:
    body = _template(
        {"Fn::Contains": [{"Fn::ValueOfAll": ["AWS::EC2::VPC::Id", "Tags.Team"]}, {"Ref": "Team"}]}, {"Team": {"Type": "String"}}
    )
    assert _create(cfn, body, {"Team": "network"}) == "CREATE_COMPLETE"
    assert _refused(cfn, body, {"Team": "finance"}) == "the rule refuses these parameters"


def test_each_member_in_with_a_list_parameter(cfn, network) -> None:
    body = _template(
        {"Fn::EachMemberIn": [{"Fn::ValueOf": ["Subnets", "VpcId"]}, [network["lab"]]]},
        {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}},
    )
    assert _create(cfn, body, {"Subnets": network["lab_subnet"]}) == "CREATE_COMPLETE"
    assert _refused(cfn, body, {"Subnets": f"{network['lab_subnet']},{network['other_subnet']}"}) == "the rule refuses these parameters"
