"""Fn::GetAZs gives the stack region's zones; Fn::GetAtt serves AWS's attributes or fails."""

from __future__ import annotations

import pytest
from labbox_helpers import client
from stack_helpers import get_att, outputs, ref, resource_events, stack, subnet, template, vpc


def _zones_template() -> str:
    return template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24", AvailabilityZone={"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        },
        outputs={
            "Zones": {"Fn::Join": [",", {"Fn::GetAZs": ""}]},
            "Irish": {"Fn::Join": [",", {"Fn::GetAZs": "eu-west-1"}]},
            "SubnetZone": get_att("Public", "AvailabilityZone"),
            "HereZone": {"Fn::Select": [1, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]},
        },
    )


@pytest.mark.parametrize("region", ["ap-northeast-2", "us-west-2"])
def test_get_azs_lists_the_stack_regions_zones(aws, region):
    cfn = client("cloudformation", region)
    cfn.create_stack(StackName="lab", TemplateBody=_zones_template())

    out = outputs(cfn, "lab")

    assert out["Zones"].split(",")[:3] == [f"{region}a", f"{region}b", f"{region}c"]
    assert out["SubnetZone"] == f"{region}a"
    assert out["HereZone"] == f"{region}b"
    assert out["Irish"].split(",")[:3] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]


def test_get_att_serves_attributes_moto_lacked(cfn):
    body = template(
        {"Vpc": vpc(), "Public": subnet("Vpc", "10.60.0.0/24")},
        outputs={
            "Cidr": get_att("Vpc", "CidrBlock"),
            "DefaultGroup": get_att("Vpc", "DefaultSecurityGroup"),
            "SubnetVpc": get_att("Public", "VpcId"),
            "SubnetCidr": get_att("Public", "CidrBlock"),
            "VpcRef": ref("Vpc"),
        },
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    out = outputs(cfn, "lab")

    assert out["Cidr"] == "10.60.0.0/16" and out["SubnetCidr"] == "10.60.0.0/24"
    assert out["SubnetVpc"] == out["VpcRef"]
    assert out["DefaultGroup"].startswith("sg-")


def test_get_att_of_an_attribute_that_does_not_exist_fails_the_resource(cfn):
    body = template(
        {"Vpc": vpc(), "Public": subnet("Vpc", "10.60.0.0/24", AvailabilityZone=get_att("Vpc", "NoSuchThing"))}
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)

    assert stack(cfn, "lab")["StackStatus"] == "ROLLBACK_COMPLETE"
    reasons = [r for s, r in resource_events(cfn, "lab", "Public") if s == "CREATE_FAILED"]
    assert "does not support attribute type NoSuchThing in Fn::GetAtt" in reasons[0]
