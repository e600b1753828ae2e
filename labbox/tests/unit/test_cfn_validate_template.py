"""ValidateTemplate as CloudFormation's API reference describes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from shapes import assert_matches_output_shape
from stack_helpers import TEMPLATES, dumps, ref, security_group, template, vpc


def _refused(cfn, body: str) -> str:
    with pytest.raises(ClientError) as refused:
        cfn.validate_template(TemplateBody=body)
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    return refused.value.response["Error"]["Message"]


def test_parameters_description_and_no_echo_are_listed(cfn) -> None:
    body = dumps({
        "Description": "IDC side",
        "Parameters": {
            "Psk": {"Type": "String", "NoEcho": True, "Description": "tunnel key"},
            "Cidrs": {"Type": "CommaDelimitedList", "Default": ["10.60.0.0/24", "10.60.1.0/24"]},
        },
        "Resources": {"Vpc": vpc()},
    })
    answer = cfn.validate_template(TemplateBody=body)
    assert_matches_output_shape("cloudformation", "ValidateTemplate", answer)
    assert answer["Description"] == "IDC side" and answer["Capabilities"] == []
    assert {p["ParameterKey"]: p for p in answer["Parameters"]} == {
        "Psk": {"ParameterKey": "Psk", "NoEcho": True, "Description": "tunnel key"},
        "Cidrs": {"ParameterKey": "Cidrs", "NoEcho": False, "DefaultValue": "10.60.0.0/24,10.60.1.0/24"},
    }


@pytest.mark.parametrize(("properties", "capability"), [({}, "CAPABILITY_IAM"), ({"RoleName": "lab-role"}, "CAPABILITY_NAMED_IAM")])
def test_iam_resources_need_their_capability(cfn, properties, capability) -> None:
    role = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}, **properties}}
    answer = cfn.validate_template(TemplateBody=template({"Role": role}))
    assert answer["Capabilities"] == [capability]
    assert answer["CapabilitiesReason"] == "The following resource(s) require capabilities: [AWS::IAM::Role]"


def test_a_template_a_linter_only_warns_about_is_valid(cfn) -> None:
    # An ingress rule open to the world is a linter's warning, never CloudFormation's error.
    open_group = security_group("Vpc", SecurityGroupIngress=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}])
    assert cfn.validate_template(TemplateBody=template({"Vpc": vpc(), "Group": open_group}))["Parameters"] == []


def test_format_errors_are_named_as_cloudformation_names_them(cfn) -> None:
    assert _refused(cfn, dumps({"Resources": {}})) == "Template format error: At least one Resources member must be defined."
    dangling = template({"Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": ref("Missing"), "CidrBlock": "10.0.0.0/24"}}})
    assert _refused(cfn, dangling) == "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"
    assert "Unrecognized resource types: [AWS::EC2::Nothing]" in _refused(cfn, template({"X": {"Type": "AWS::EC2::Nothing"}}))


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.yml")), ids=lambda p: Path(p).name)
def test_the_lab_s_templates_validate_with_their_parameters(cfn, path) -> None:
    answer = cfn.validate_template(TemplateBody=path.read_text())
    assert answer["Parameters"] and answer["Description"]
