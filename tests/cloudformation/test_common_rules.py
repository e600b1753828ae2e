"""Rules every template keeps: IMDSv2, the AMI from SSM, optional key pairs, no literal addresses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cfn_helpers import TEMPLATE_NAMES, load_template, ref, resources_of_type

INSTANCE_TEMPLATES = ("idc", "aws", "tgw", "tgw_peer")
IPV4_LITERAL = re.compile(r"\b\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?\b")


def instances(template: str) -> dict[str, dict[str, Any]]:
    found = resources_of_type(load_template(template), "AWS::EC2::Instance")
    assert found
    return found


@pytest.mark.parametrize("template", INSTANCE_TEMPLATES)
def test_instances_require_imdsv2(template: str) -> None:
    for logical_id, instance in instances(template).items():
        options = instance["Properties"].get("MetadataOptions", {})
        assert options.get("HttpTokens") == "required", logical_id
        assert options.get("HttpEndpoint", "enabled") == "enabled", logical_id


@pytest.mark.parametrize("template", INSTANCE_TEMPLATES)
def test_instances_boot_the_ami_named_by_the_ssm_parameter(template: str) -> None:
    for logical_id, instance in instances(template).items():
        assert instance["Properties"]["ImageId"] == ref("ImageId"), logical_id
        assert instance["Properties"]["InstanceType"] == ref("InstanceType"), logical_id


@pytest.mark.parametrize("template", INSTANCE_TEMPLATES)
def test_key_pair_is_set_only_when_named(template: str) -> None:
    loaded = load_template(template)
    assert loaded["Conditions"]["HasKeyName"] == {"Fn::Not": [{"Fn::Equals": [ref("KeyName"), ""]}]}
    for logical_id, instance in instances(template).items():
        assert instance["Properties"]["KeyName"] == {
            "Fn::If": ["HasKeyName", ref("KeyName"), ref("AWS::NoValue")]
        }, logical_id


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_resources_take_addresses_from_parameters(template: str) -> None:
    # The only address literal a resource may carry is "anywhere".
    literals = {m.group(0) for s in strings_in(load_template(template)["Resources"]) for m in IPV4_LITERAL.finditer(s)}
    assert literals <= {"0.0.0.0/0"}


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_template_declares_its_format_version_and_a_description(template: str) -> None:
    loaded = load_template(template)
    assert loaded["AWSTemplateFormatVersion"] == "2010-09-09"
    assert len(loaded["Description"]) > 20


# EC2 accepts only these characters in a security group's and a rule's description (no apostrophe).
EC2_DESCRIPTION = re.compile(r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}")


@pytest.mark.parametrize("template", INSTANCE_TEMPLATES)
def test_security_group_descriptions_use_only_characters_ec2_accepts(template: str) -> None:
    loaded = load_template(template)
    descriptions = []
    for group in resources_of_type(loaded, "AWS::EC2::SecurityGroup").values():
        descriptions.append(group["Properties"]["GroupDescription"])
        descriptions += [rule["Description"] for rule in group["Properties"].get("SecurityGroupIngress", [])]
    for rule in resources_of_type(loaded, "AWS::EC2::SecurityGroupIngress").values():
        descriptions.append(rule["Properties"]["Description"])
    assert descriptions
    assert [d for d in descriptions if not EC2_DESCRIPTION.fullmatch(d)] == []
