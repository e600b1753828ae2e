"""The templates' parameters: the agreed interface, the seed lab's values as defaults, and
constraints that turn bad input into an early, readable error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cfn_contract import CONTRACT, REQUIRED
from cfn_helpers import TEMPLATE_NAMES, load_template

ALL_PARAMETERS = [(name, parameter) for name in TEMPLATE_NAMES for parameter in CONTRACT[name]]


def parameter(template: str, name: str) -> dict[str, Any]:
    return load_template(template)["Parameters"][name]


def accepts(pattern: str, value: str) -> bool:
    """CloudFormation matches AllowedPattern against the whole value (Java's matches())."""
    return re.fullmatch(pattern, value) is not None


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_template_declares_exactly_the_agreed_parameters(template: str) -> None:
    assert set(load_template(template)["Parameters"]) == set(CONTRACT[template])


@pytest.mark.parametrize(("template", "name"), ALL_PARAMETERS)
def test_parameter_default_is_the_seed_value(template: str, name: str) -> None:
    declared = parameter(template, name)
    expected = CONTRACT[template][name]
    if expected is REQUIRED:
        assert "Default" not in declared, f"{template}.{name} must be given, not defaulted"
    else:
        assert "Default" in declared, f"{template}.{name} has no default"
        # Number defaults may be written as numbers or strings; CloudFormation reads both.
        assert str(declared["Default"]) == str(expected)


@pytest.mark.parametrize(("template", "name"), ALL_PARAMETERS)
def test_every_parameter_is_described(template: str, name: str) -> None:
    assert len(parameter(template, name).get("Description", "").strip()) > 10


@pytest.mark.parametrize(("template", "name"), ALL_PARAMETERS)
def test_every_parameter_is_constrained_with_an_explanation(template: str, name: str) -> None:
    declared = parameter(template, name)
    if declared["Type"] == "String":
        assert declared.get("AllowedPattern"), f"{template}.{name} accepts any string"
        assert declared.get("ConstraintDescription"), f"{template}.{name} has a pattern but no explanation"
    elif declared["Type"] == "Number":
        assert "MinValue" in declared and "MaxValue" in declared, f"{template}.{name} accepts any number"
        assert declared.get("ConstraintDescription"), f"{template}.{name} has a range but no explanation"
    elif declared["Type"] == "CommaDelimitedList":
        # CloudFormation checks each member of the list against the pattern.
        assert declared.get("AllowedPattern"), f"{template}.{name} accepts any list"
        assert declared.get("ConstraintDescription"), f"{template}.{name} has a pattern but no explanation"
    else:
        # AWS-specific types (SSM parameter, VPC ID) are checked by CloudFormation itself.
        assert declared["Type"].startswith("AWS::"), f"{template}.{name} has type {declared['Type']}"


@pytest.mark.parametrize(("template", "name"), ALL_PARAMETERS)
def test_default_satisfies_its_own_constraints(template: str, name: str) -> None:
    declared = parameter(template, name)
    if "Default" not in declared:
        return
    if "AllowedPattern" in declared and declared["Type"] == "CommaDelimitedList":
        assert all(accepts(declared["AllowedPattern"], item) for item in str(declared["Default"]).split(","))
    elif "AllowedPattern" in declared:
        assert accepts(declared["AllowedPattern"], str(declared["Default"]))
    if declared["Type"] == "Number":
        assert declared["MinValue"] <= int(declared["Default"]) <= declared["MaxValue"]


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_typed_parameters_use_aws_parameter_types(template: str) -> None:
    declared = load_template(template)["Parameters"]
    if "ImageId" in declared:
        assert declared["ImageId"]["Type"] == "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    if "VpcId" in declared:
        assert declared["VpcId"]["Type"] == "AWS::EC2::VPC::Id"


@pytest.mark.parametrize(("name", "low", "high"), [("VgwAsn", 64512, 65534), ("CgwBgpAsn", 1, 2147483647)])
def test_asn_parameters_are_numbers_within_aws_ranges(name: str, low: int, high: int) -> None:
    declared = parameter("vpn", name)
    assert declared["Type"] == "Number"
    assert (declared["MinValue"], declared["MaxValue"]) == (low, high)
    assert declared.get("ConstraintDescription")


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_console_groups_and_labels_every_parameter_once(template: str) -> None:
    loaded = load_template(template)
    interface = loaded["Metadata"]["AWS::CloudFormation::Interface"]
    grouped = [name for group in interface["ParameterGroups"] for name in group["Parameters"]]
    assert sorted(grouped) == sorted(loaded["Parameters"]), "each parameter in exactly one group"
    assert set(interface["ParameterLabels"]) == set(loaded["Parameters"])
    assert all(group["Label"]["default"] for group in interface["ParameterGroups"])
