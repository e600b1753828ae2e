"""``Fn::GetAZs`` and ``Fn::GetAtt`` evaluated as CloudFormation does.

* ``!GetAZs ''`` gave us-east-1a.. in every region; it now lists the availability zones of
  the stack's region (``!GetAZs 'eu-west-1'`` those of the region named), from the EC2
  backend's own zone table, so ``!Select [0, !GetAZs '']`` in ap-northeast-2 is
  ap-northeast-2a.
* ``Fn::GetAtt`` on an attribute moto does not serve used to leave the raw
  ``{"Fn::GetAtt": ...}`` in the property value; it now serves the attributes the lab
  uses (a subnet's AvailabilityZone, a VPC's CidrBlock, ...) and otherwise fails the
  resource with CloudFormation's "does not support attribute type" error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException, ValidationError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_ip_addresses import ElasticAddress
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ec2.models.instances import Instance
from moto.ec2.models.internet_gateways import InternetGateway
from moto.ec2.models.route_tables import RouteTable
from moto.ec2.models.security_groups import SecurityGroup
from moto.ec2.models.subnets import Subnet
from moto.ec2.models.transit_gateway import TransitGateway
from moto.ec2.models.vpcs import VPC

from labbox.cloud import patching


def _default_security_group(vpc: VPC) -> str | None:
    group = vpc.ec2_backend.get_security_group_by_name_or_id("default", vpc_id=vpc.id)
    return group.id if group else None


def _default_network_acl(vpc: VPC) -> str | None:
    return next((acl.id for acl in vpc.ec2_backend.network_acls.values() if acl.vpc_id == vpc.id and acl.default), None)


# Attributes moto lacks or gets wrong, per model class (AWS's names and values).
ATTRIBUTES: dict[type, dict[str, Callable[[Any], Any]]] = {
    VPC: {
        "VpcId": lambda vpc: vpc.id,
        "CidrBlock": lambda vpc: vpc.cidr_block,
        "DefaultSecurityGroup": _default_security_group,
        "DefaultNetworkAcl": _default_network_acl,
        "CidrBlockAssociations": lambda vpc: [a["association_id"] for a in vpc.get_cidr_block_association_set()],
        "Ipv6CidrBlocks": lambda vpc: [a["cidr_block"] for a in vpc.get_cidr_block_association_set(ipv6=True)],
    },
    Subnet: {
        "SubnetId": lambda subnet: subnet.id,
        "AvailabilityZone": lambda subnet: subnet.availability_zone,
        "AvailabilityZoneId": lambda subnet: subnet.availability_zone_id,
        "CidrBlock": lambda subnet: subnet.cidr_block,
        "VpcId": lambda subnet: subnet.vpc_id,
    },
    SecurityGroup: {
        "GroupId": lambda group: group.id,
        "Id": lambda group: group.id,
        "VpcId": lambda group: group.vpc_id,
    },
    NetworkInterface: {
        "Id": lambda eni: eni.id,
        "PrimaryPrivateIpAddress": lambda eni: eni.private_ip_address,
        "SecondaryPrivateIpAddresses": lambda eni: [
            a["PrivateIpAddress"] for a in eni.private_ip_addresses if not a.get("Primary")
        ],
        "VpcId": lambda eni: eni.vpc_id,
    },
    ElasticAddress: {
        "AllocationId": lambda eip: eip.allocation_id,
        "PublicIp": lambda eip: eip.public_ip,
    },
    Instance: {
        "InstanceId": lambda instance: instance.id,
        "VpcId": lambda instance: instance.vpc_id,
        "State": lambda instance: instance.state,
    },
    RouteTable: {"RouteTableId": lambda table: table.id},
    InternetGateway: {"InternetGatewayId": lambda gateway: gateway.id},
    TransitGateway: {"Id": lambda gateway: gateway.id},
}


def availability_zones(account_id: str, region_name: str) -> list[str]:
    backend = ec2_backends[account_id][region_name]
    zones = backend.describe_availability_zones()
    return [zone.name for zone in zones if getattr(zone, "zone_type", "availability-zone") == "availability-zone"]


def get_attribute(resource: Any, logical_id: str, attribute: str) -> Any:
    for klass, getters in ATTRIBUTES.items():
        if isinstance(resource, klass) and attribute in getters:
            return getters[attribute](resource)
    try:
        value = resource.get_cfn_attribute(attribute)
    except (NotImplementedError, UnformattedGetAttTemplateException, AttributeError):
        value = None
    else:
        if value is not None:
            return value
    raise ValidationError(
        message=f"Template error: resource {logical_id} does not support attribute type {attribute} in Fn::GetAtt"
    )


def _clean_json(resource_json: Any, resources_map: parsing.ResourceMap) -> Any:
    if isinstance(resource_json, dict) and len(resource_json) == 1:
        if "Fn::GetAZs" in resource_json:
            region = parsing.clean_json(resource_json["Fn::GetAZs"], resources_map) or resources_map._region_name
            return availability_zones(resources_map._account_id, str(region))
        if "Fn::GetAtt" in resource_json:
            target = resource_json["Fn::GetAtt"]
            logical_id, attribute = target.split(".", 1) if isinstance(target, str) else target[:2]
            attribute = parsing.clean_json(attribute, resources_map)
            resource = resources_map.get(logical_id)
            if resource is None:
                raise ValidationError(
                    message=f"Template error: instance of Fn::GetAtt references undefined resource {logical_id}"
                )
            return get_attribute(resource, logical_id, str(attribute))
    return patching.original(parsing, "clean_json")(resource_json, resources_map)


def _has_attribute(klass: type) -> Any:
    def has_cfn_attr(cls: type, attr: str) -> bool:
        return attr in ATTRIBUTES[klass] or bool(patching.original(klass, "has_cfn_attr")(attr))

    return classmethod(has_cfn_attr)


def install() -> None:
    patching.override(parsing, "clean_json", _clean_json)
    # Outputs are validated against has_cfn_attr before the stack starts.
    for klass in ATTRIBUTES:
        patching.override(klass, "has_cfn_attr", _has_attribute(klass))
