"""Terminating an instance does to its interfaces and addresses what EC2 does.

* An interface RunInstances creates (from ``SubnetId``, or a ``NetworkInterfaces`` entry
  without an id) is ``DeleteOnTermination`` unless the request says otherwise; moto made it
  ``false``, so a terminated instance kept its interface, its private address and with them
  its subnet and security groups, which AWS would let a teardown delete.
* On termination, delete-on-termination interfaces are deleted and their private addresses
  given back to the subnet; any other interface is detached and ``available`` again (moto
  left it ``in-use``); Elastic IPs on the instance or its interfaces are disassociated.

The terminated instance keeps describing its last addresses (moto's instance model reads
them from its interfaces), as EC2 shows them for a while.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.ec2.models.instances import Instance

from labbox.cloud import patching
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend


def _prep_nics(self: Instance, nic_spec: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
    attached_by_id = {spec["NetworkInterfaceId"] for spec in nic_spec if spec.get("NetworkInterfaceId")}
    explicit = {int(spec.get("DeviceIndex", 0)) for spec in nic_spec if "DeleteOnTermination" in spec}
    patching.original(Instance, "prep_nics", self)(nic_spec, *args, **kwargs)
    for device_index, interface in self.nics.items():
        if interface.id not in attached_by_id and device_index not in explicit:
            interface.delete_on_termination = True


class TerminationBackend:
    """EC2 backend mixin: what terminating does to the instance's interfaces and addresses."""

    def terminate_instances(self, instance_ids: list[str]) -> list[Any]:
        running = [i for i in self.get_multi_instances_by_id(instance_ids) if i.state != "terminated"]  # type: ignore[attr-defined]
        interfaces = {instance.id: list(instance.nics.values()) for instance in running}
        for instance in running:
            for address in list(self.addresses):  # type: ignore[attr-defined]
                if address.instance is instance or address.eni in interfaces[instance.id]:
                    self.disassociate_address(address=address.public_ip)  # type: ignore[attr-defined]
        # Terminating an instance again is no error on AWS and changes nothing (moto would
        # delete its already deleted interfaces a second time and fail).
        terminated = super().terminate_instances([i.id for i in running]) if running else []  # type: ignore[misc]
        answers = {instance.id: previous for instance, previous in terminated}
        for instance in running:
            for interface in interfaces[instance.id]:
                _after_termination(self, interface)
        return [
            (instance, answers.get(instance.id) or copy.copy(instance._state))
            for instance in self.get_multi_instances_by_id(instance_ids)  # type: ignore[attr-defined]
        ]


def _after_termination(backend: Any, interface: Any) -> None:
    interface.instance = None
    interface.attachment_id = None
    if interface.delete_on_termination:
        # moto deleted it; its addresses go back to the subnet and its tags with it.
        for private in interface.private_ip_addresses:
            interface.subnet.del_subnet_ip(private["PrivateIpAddress"])
        backend.tags.pop(interface.id, None)
        return
    interface.attach_time = None
    interface.status = "available"
    interface.device_index = None
    if interface.public_ip_auto_assign:
        interface.public_ip = None


def install() -> None:
    patching.override(Instance, "prep_nics", _prep_nics)
    extend_ec2_backend(TerminationBackend)
