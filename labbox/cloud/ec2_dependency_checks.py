"""DeleteSubnet, DeleteSecurityGroup and DeleteVpc refuse while something still uses them.

EC2 answers ``DependencyViolation`` to a subnet delete while a network interface is in the
subnet, to a security group delete while an interface carries the group, and to a VPC
delete while an internet gateway is attached, a security group other than the default is
left or an interface is inside. moto deleted the subnet and the group anyway (and checked
the VPC only for subnets, VPN gateways and route tables), so a teardown that forgot an
instance or an interface passed on the twin and failed on AWS. The checks run for every
caller: the API and the twin's CloudFormation deleters alike.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models import EC2Backend

from labbox.cloud import patching


def _delete_subnet(self: EC2Backend, subnet_id: str) -> Any:
    if any(interface.subnet.id == subnet_id for interface in self.enis.values()):
        raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
    return patching.original(EC2Backend, "delete_subnet", self)(subnet_id)


def _delete_security_group(self: EC2Backend, name: str | None = None, group_id: str | None = None) -> None:
    group = self.get_security_group_by_name_or_id(group_id or name)  # type: ignore[arg-type]
    if group is not None and any(group in interface.group_set for interface in self.enis.values()):
        raise DependencyViolationError(f"resource {group.id} has a dependent object")
    return patching.original(EC2Backend, "delete_security_group", self)(name=name, group_id=group_id)


def _delete_vpc(self: EC2Backend, vpc_id: str) -> Any:
    blockers = [
        *(gateway.id for gateway in self.internet_gateways.values() if gateway.vpc is not None and gateway.vpc.id == vpc_id),
        *(group.id for group in self.groups.get(vpc_id, {}).values() if group.name != "default"),
        *(interface.id for interface in self.enis.values() if interface.subnet.vpc_id == vpc_id),
    ]
    if blockers:
        raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
    return patching.original(EC2Backend, "delete_vpc", self)(vpc_id)


def install() -> None:
    patching.override(EC2Backend, "delete_subnet", _delete_subnet)
    patching.override(EC2Backend, "delete_security_group", _delete_security_group)
    patching.override(EC2Backend, "delete_vpc", _delete_vpc)
