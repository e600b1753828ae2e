"""Every resource that can carry tags carries Name and hybridlab:lab = LabName.

Which types take tags comes from the resource provider schemas cfn-lint ships, so a new
resource cannot slip through by being missing from a hand-written list.
"""

from __future__ import annotations

import pytest
from cfn_helpers import TAGGED_TEMPLATES, TEMPLATE_NAMES, load_template, ref, resource_named, tag_value
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER


def taggable(resource_type: str) -> bool:
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("ap-northeast-2", resource_type).schema
    return "Tags" in schema.get("properties", {})


@pytest.mark.parametrize("template", TAGGED_TEMPLATES)
def test_every_taggable_resource_has_a_name_and_the_lab_tag(template: str) -> None:
    resources = load_template(template)["Resources"]
    tagged = {lid: r for lid, r in resources.items() if taggable(r["Type"])}
    assert tagged, "the schema lookup found nothing taggable"
    for logical_id, resource in tagged.items():
        name = tag_value(resource, "Name")
        assert isinstance(name, str) and name, f"{logical_id} has no Name tag"
        assert tag_value(resource, "hybridlab:lab") == ref("LabName"), f"{logical_id} lacks hybridlab:lab"


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_names_are_unique_within_a_stack(template: str) -> None:
    resources = load_template(template)["Resources"]
    names = [tag_value(r, "Name") for r in resources.values() if tag_value(r, "Name") is not None]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("template", "name", "resource_type"),
    [
        ("idc", "IDC-VPC", "AWS::EC2::VPC"),
        ("idc", "IDC-CGW", "AWS::EC2::Instance"),
        ("idc", "IDC-EC2", "AWS::EC2::Instance"),
        ("aws", "AWS-VPC", "AWS::EC2::VPC"),
        ("aws", "AWS-PublicRT", "AWS::EC2::RouteTable"),
        ("aws", "AWS-EC2", "AWS::EC2::Instance"),
        ("vpn", "AWS-VPNGW", "AWS::EC2::VPNGateway"),
        ("vpn", "IDC-VPN-CGW", "AWS::EC2::CustomerGateway"),
    ],
)
def test_seed_lab_names_are_kept(template: str, name: str, resource_type: str) -> None:
    # Inventory and playbooks find the lab's machines and tables by these names.
    _, resource = resource_named(load_template(template), name)
    assert resource["Type"] == resource_type
