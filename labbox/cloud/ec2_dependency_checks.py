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

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend


class DependencyChecksBackend:
    """EC2 backend mixin: deletes refused while something still uses the resource."""

    def delete_subnet(self, subnet_id: str) -> Any:
        if any(interface.subnet.id == subnet_id for interface in self.enis.values()):  # type: ignore[attr-defined]
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return super().delete_subnet(subnet_id)  # type: ignore[misc]

    def delete_security_group(self, name: str | None = None, group_id: str | None = None) -> None:
        group = self.get_security_group_by_name_or_id(group_id or name)  # type: ignore[attr-defined]
        if group is not None and any(group in interface.group_set for interface in self.enis.values()):  # type: ignore[attr-defined]
            raise DependencyViolationError(f"resource {group.id} has a dependent object")
        return super().delete_security_group(name=name, group_id=group_id)  # type: ignore[misc]

    def delete_vpc(self, vpc_id: str) -> Any:
        blockers = [
            *(gateway.id for gateway in self.internet_gateways.values()  # type: ignore[attr-defined]
              if gateway.vpc is not None and gateway.vpc.id == vpc_id),
            *(group.id for group in self.groups.get(vpc_id, {}).values() if group.name != "default"),  # type: ignore[attr-defined]
            *(interface.id for interface in self.enis.values() if interface.subnet.vpc_id == vpc_id),  # type: ignore[attr-defined]
        ]
        if blockers:
            raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
        return super().delete_vpc(vpc_id)  # type: ignore[misc]


def install() -> None:
    extend_ec2_backend(DependencyChecksBackend)
