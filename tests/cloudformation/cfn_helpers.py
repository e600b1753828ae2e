"""Small readers over decoded templates, shared by the template tests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = REPO_ROOT / "cloudformation"
TEMPLATE_NAMES = ("idc", "aws", "vpn", "tgw", "tgw_vpn", "tgw_attachment_routes", "tgw_peer", "tgw_peering")
# Templates that create taggable resources, hence take LabName (tgw_attachment_routes makes only
# associations and routes, which take no tags).
TAGGED_TEMPLATES = tuple(name for name in TEMPLATE_NAMES if name != "tgw_attachment_routes")


def template_path(name: str) -> Path:
    return TEMPLATE_DIR / f"{name}.yml"


@functools.cache
def load_template(name: str) -> dict[str, Any]:
    """Decode a template the way cfn-lint does; fail loudly on any parse error.

    Cached: tests read the decoded template and must not change it.
    """
    template, errors = decode(str(template_path(name)))
    assert not errors, f"{name}.yml does not parse: {errors}"
    assert isinstance(template, dict)
    return template


def ref(name: str) -> dict[str, str]:
    """The long form of ``!Ref name``."""
    return {"Ref": name}


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    """Logical ID -> resource, for every resource of one type."""
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def the_resource_of_type(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    """The only resource of a type (the lab has one VPC, one VGW, ... per stack)."""
    found = resources_of_type(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def properties(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return template["Resources"][logical_id].get("Properties", {})


def explicit_depends_on(resource: dict[str, Any]) -> set[str]:
    """The resource's DependsOn, a string or a list in CloudFormation, as a set."""
    depends_on = resource.get("DependsOn", [])
    return {depends_on} if isinstance(depends_on, str) else set(depends_on)


def refers_to(value: Any, logical_id: str) -> bool:
    """True when ``value`` is ``!Ref logical_id`` or ``!GetAtt logical_id.<attribute>``."""
    if value == ref(logical_id):
        return True
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        target = value["Fn::GetAtt"]
        name = target[0] if isinstance(target, list) else str(target).split(".", 1)[0]
        return name == logical_id
    return False


def gateway_attachment(template: dict[str, Any], gateway_id: str) -> str:
    """Logical ID of the VPCGatewayAttachment that attaches gateway ``gateway_id``."""
    found = [
        logical_id
        for logical_id, resource in resources_of_type(template, "AWS::EC2::VPCGatewayAttachment").items()
        if any(refers_to(resource["Properties"].get(key), gateway_id) for key in ("InternetGatewayId", "VpnGatewayId"))
    ]
    assert len(found) == 1, f"expected one attachment of {gateway_id}, found {found}"
    return found[0]


def ingress_rules(template: dict[str, Any], group_id: str) -> list[dict[str, Any]]:
    """Every ingress rule of security group ``group_id``: inline ones and standalone resources."""
    rules = list(properties(template, group_id).get("SecurityGroupIngress", []))
    for resource in resources_of_type(template, "AWS::EC2::SecurityGroupIngress").values():
        if refers_to(resource["Properties"].get("GroupId"), group_id):
            rules.append(resource["Properties"])
    return rules


def tag_value(resource: dict[str, Any], key: str) -> Any:
    """Value of tag ``key`` on a resource, or None."""
    for tag in resource.get("Properties", {}).get("Tags", []):
        if tag.get("Key") == key:
            return tag.get("Value")
    return None


def resource_named(template: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    """The one resource whose Name tag is ``name``."""
    found = {lid: r for lid, r in template["Resources"].items() if tag_value(r, "Name") == name}
    assert len(found) == 1, f"expected one resource named {name}, found {sorted(found)}"
    return next(iter(found.items()))
