"""VPC and subnet attributes from templates, on create and on update.

moto's template support dropped ``EnableDnsSupport``/``EnableDnsHostnames`` of a VPC and
``MapPublicIpOnLaunch`` of a subnet (so instances in the lab's public subnets got no
public address). They are applied at creation and changed in place on update, as
CloudFormation does.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.subnets import Subnet
from moto.ec2.models.vpcs import VPC

from labbox.cloud import patching
from labbox.cloud.cfn_resources import register_updater
from labbox.cloud.ec2_network_interface_cfn import as_bool

_VPC_ATTRIBUTES = {
    "EnableDnsSupport": ("enable_dns_support", True),
    "EnableDnsHostnames": ("enable_dns_hostnames", False),
}
_SUBNET_ATTRIBUTES = {"MapPublicIpOnLaunch": ("map_public_ip_on_launch", False)}


def _apply(resource: Any, attributes: dict[str, tuple[str, bool]], properties: dict[str, Any]) -> None:
    for prop, (attribute, default) in attributes.items():
        setattr(resource, attribute, as_bool(properties.get(prop), default=default))


def _creator(model: type, attributes: dict[str, tuple[str, bool]]) -> Any:
    """moto's ``create_from_cloudformation_json`` of ``model``, then the attributes it dropped."""

    def create(
        cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        resource = patching.original(model, "create_from_cloudformation_json")(
            resource_name, cloudformation_json, account_id, region_name, **kwargs
        )
        _apply(resource, attributes, cloudformation_json.get("Properties") or {})
        return resource

    return classmethod(create)


def _updater(attributes: dict[str, tuple[str, bool]], kind: str) -> Any:
    def update(resource: Any, old: dict[str, Any], new: dict[str, Any], account_id: str, region_name: str) -> Any:
        changed = {key for key in set(old) | set(new) if old.get(key) != new.get(key)} - {"Tags"}
        unsupported = changed - set(attributes)
        if unsupported:
            raise EC2ClientError(
                "UnsupportedOperation",
                f"The offline twin cannot change {', '.join(sorted(unsupported))} of a {kind} in place.",
            )
        _apply(resource, {k: v for k, v in attributes.items() if k in changed}, new)
        return resource

    return update


register_updater("AWS::EC2::VPC")(_updater(_VPC_ATTRIBUTES, "VPC"))
register_updater("AWS::EC2::Subnet")(_updater(_SUBNET_ATTRIBUTES, "subnet"))


def install() -> None:
    patching.override(VPC, "create_from_cloudformation_json", _creator(VPC, _VPC_ATTRIBUTES))
    patching.override(Subnet, "create_from_cloudformation_json", _creator(Subnet, _SUBNET_ATTRIBUTES))
