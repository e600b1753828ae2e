"""DeleteSubnet, DeleteSecurityGroup, DeleteRouteTable and DeleteVpc refuse while something uses them.

EC2 answers ``DependencyViolation`` to a subnet delete while a network interface is in the
subnet, to a security group delete while an interface carries the group or another group's
rule names it, to a delete of a VPC's main route table, and to a VPC delete while an internet
gateway is attached, a security group other than the default is left or an interface is
inside. moto deleted the subnet, the group and the main table anyway (and checked the VPC
only for subnets, VPN gateways and route tables), so a teardown that forgot an instance, an
interface or a rule passed on the twin and failed on AWS. The checks run for every caller:
the API and the twin's CloudFormation deleters alike.
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
        if group is not None and (
            any(group in interface.group_set for interface in self.enis.values())  # type: ignore[attr-defined]
            or _referenced_by_another_group(self, group.id)
        ):
            raise DependencyViolationError(f"resource {group.id} has a dependent object")
        return super().delete_security_group(name=name, group_id=group_id)  # type: ignore[misc]

    def delete_route_table(self, route_table_id: str) -> None:
        table = self.route_tables.get(route_table_id)  # type: ignore[attr-defined]
        # The main table goes only with its VPC (moto's delete_vpc deletes it through here).
        if table is not None and table.main_association_id is not None and self._vpc_being_deleted != table.vpc_id:
            raise DependencyViolationError(f"The routeTable '{route_table_id}' has dependencies and cannot be deleted.")
        return super().delete_route_table(route_table_id)  # type: ignore[misc]

    def delete_vpc(self, vpc_id: str) -> Any:
        blockers = [
            *(gateway.id for gateway in self.internet_gateways.values()  # type: ignore[attr-defined]
              if gateway.vpc is not None and gateway.vpc.id == vpc_id),
            *(group.id for group in self.groups.get(vpc_id, {}).values() if group.name != "default"),  # type: ignore[attr-defined]
            *(interface.id for interface in self.enis.values() if interface.subnet.vpc_id == vpc_id),  # type: ignore[attr-defined]
        ]
        if blockers:
            raise DependencyViolationError(f"The vpc '{vpc_id}' has dependencies and cannot be deleted.")
        self._vpc_being_deleted = vpc_id
        try:
            return super().delete_vpc(vpc_id)  # type: ignore[misc]
        finally:
            self._vpc_being_deleted = None

    _vpc_being_deleted: str | None = None


def _referenced_by_another_group(backend: Any, group_id: str) -> bool:
    """Whether a rule of some other security group names ``group_id`` as its source or destination."""
    for groups in backend.groups.values():
        for group in groups.values():
            if group.id != group_id and any(
                rule.source_group.get("GroupId") == group_id for rule in [*group.ingress_rules, *group.egress_rules]
            ):
                return True
    return False


def install() -> None:
    extend_ec2_backend(DependencyChecksBackend)
