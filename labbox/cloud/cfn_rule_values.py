"""What the rule functions that read the region answer: Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll.

As CloudFormation's template reference describes them, for the AWS-specific parameter types:

* ``{"Fn::RefAll": "AWS::EC2::VPC::Id"}``: every id of that type in the stack's region;
* ``{"Fn::ValueOf": ["SubnetParam", "VpcId"]}``: an attribute of the resource the parameter
  names (a list for a ``List<...>`` parameter);
* ``{"Fn::ValueOfAll": ["AWS::EC2::Subnet::Id", "Tags.Team"]}``: that attribute of every such
  resource in the region.

Attributes: ``Tags.<key>`` for VPCs, subnets and security groups; ``AvailabilityZone`` and
``VpcId`` for subnets; ``DefaultNetworkAcl`` and ``DefaultSecurityGroup`` for VPCs. Anything
else is refused with the reason, never answered wrongly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.ec2.models import ec2_backends

FUNCTIONS = ("Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll")


def _vpcs(backend: Any) -> Iterable[Any]:
    return backend.vpcs.values()


def _subnets(backend: Any) -> Iterable[Any]:
    return (subnet for zone in backend.subnets.values() for subnet in zone.values())


def _groups(backend: Any) -> Iterable[Any]:
    return (group for groups in backend.groups.values() for group in groups.values())


def _default_network_acl(backend: Any, vpc: Any) -> str | None:
    return next((acl.id for acl in backend.network_acls.values() if acl.vpc_id == vpc.id and acl.default == "true"), None)


def _default_security_group(backend: Any, vpc: Any) -> str | None:
    return next((g.id for g in backend.groups.get(vpc.id, {}).values() if g.name == "default"), None)


@dataclass(frozen=True)
class Kind:
    resources: Callable[[Any], Iterable[Any]]
    key: Callable[[Any], str]
    attributes: Mapping[str, Callable[[Any, Any], Any]] = field(default_factory=dict)


_KINDS: dict[str, Kind] = {
    "AWS::EC2::VPC::Id": Kind(
        _vpcs, lambda vpc: vpc.id, {"DefaultNetworkAcl": _default_network_acl, "DefaultSecurityGroup": _default_security_group}
    ),
    "AWS::EC2::Subnet::Id": Kind(
        _subnets, lambda subnet: subnet.id,
        {"AvailabilityZone": lambda b, s: s.availability_zone, "VpcId": lambda b, s: s.vpc_id},
    ),
    "AWS::EC2::SecurityGroup::Id": Kind(_groups, lambda group: group.id),
    "AWS::EC2::KeyPair::KeyName": Kind(lambda b: b.keypairs.values(), lambda pair: pair.name),
    "AWS::EC2::AvailabilityZone::Name": Kind(
        lambda b: b.describe_availability_zones(), lambda zone: zone.name
    ),
}


@dataclass(frozen=True)
class Region:
    """The stack's account and region, and its parameters' values and declared types."""

    account_id: str
    region_name: str
    values: Mapping[str, Any] = field(default_factory=dict)
    types: Mapping[str, str] = field(default_factory=dict)

    def with_parameters(self, values: Mapping[str, Any], declared: Mapping[str, Any]) -> Region:
        types = {name: str((spec or {}).get("Type", "")) for name, spec in declared.items()}
        return replace(self, values=dict(values), types=types)

    @property
    def backend(self) -> Any:
        return ec2_backends[self.account_id][self.region_name]


def _kind(type_name: str) -> tuple[str, Kind]:
    base = type_name[5:-1] if type_name.startswith("List<") and type_name.endswith(">") else type_name
    if base not in _KINDS:
        raise ValidationError(message=f"Template error: rule functions do not support parameter type {type_name}")
    return base, _KINDS[base]


def _attribute(region: Region, kind: Kind, resource: Any, attribute: str) -> Any:
    if attribute.startswith("Tags."):
        key = attribute[len("Tags."):]
        return next((tag["value"] for tag in resource.get_tags() if tag["key"] == key), "")
    if attribute not in kind.attributes:
        raise ValidationError(message=f"Template error: attribute {attribute} is not supported in rule functions")
    return kind.attributes[attribute](region.backend, resource)


def evaluate(name: str, argument: Any, region: Region) -> Any:
    """The value of rule function ``name`` with ``argument`` (as written in the template)."""
    if name == "Fn::RefAll":
        _base, kind = _kind(str(argument))
        return [kind.key(resource) for resource in kind.resources(region.backend)]
    parameter_or_type, attribute = argument
    if name == "Fn::ValueOfAll":
        _base, kind = _kind(str(parameter_or_type))
        return [_attribute(region, kind, resource, attribute) for resource in kind.resources(region.backend)]
    # Fn::ValueOf: the resource(s) the parameter names.
    type_name = region.types.get(str(parameter_or_type), "")
    _base, kind = _kind(type_name)
    wanted = region.values.get(str(parameter_or_type))
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    by_key = {kind.key(resource): resource for resource in kind.resources(region.backend)}
    answers = [_attribute(region, kind, by_key[key], attribute) for key in wanted_list if key in by_key]
    return answers if type_name.startswith("List<") else (answers[0] if answers else "")
