"""AWS::EC2::EIPAssociation: moto skipped it, so the lab's customer gateway had no public IP.

The association binds an Elastic IP (``AllocationId``, or ``EIP`` for the address) to an
instance or a network interface; ``Ref`` gives the association id, and deleting it frees
the address again. Every property is create-only, so any change replaces it.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel

from labbox.cloud import cfn_registry
from labbox.cloud.cfn_resource_base import TwinResource
from labbox.cloud.cfn_resources import ResourceFailure


class EipAssociationResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::EIPAssociation"
    ATTRIBUTES = ("Id",)

    def create(self) -> str:
        backend = self.ec2_backend
        props = self.properties
        allocation_id, address = props.get("AllocationId"), props.get("EIP")
        if not allocation_id and not address:
            raise ResourceFailure("Either AllocationId or EIP is required for AWS::EC2::EIPAssociation.")
        eni = backend.get_network_interface(props["NetworkInterfaceId"]) if props.get("NetworkInterfaceId") else None
        instance = backend.get_instance(props["InstanceId"]) if props.get("InstanceId") else None
        if eni is None and instance is None:
            raise ResourceFailure("Either InstanceId or NetworkInterfaceId is required for AWS::EC2::EIPAssociation.")
        if eni is not None and instance is None:
            instance = eni.instance
        eip = backend.associate_address(
            instance=instance,
            eni=eni,
            address=address if not allocation_id else None,
            allocation_id=allocation_id,
            reassociate=True,
        )
        self.address = eip.public_ip
        # EC2-Classic addresses have no association id; their physical id is the address.
        return eip.association_id or eip.public_ip

    def remove(self) -> None:
        backend = self.ec2_backend
        for eip in backend.addresses:
            if eip.public_ip == self.address and (eip.association_id or eip.public_ip) == self.physical_id:
                backend.disassociate_address(address=eip.public_ip)

    def attribute(self, name: str) -> Any:
        return self.physical_id


def install() -> None:
    cfn_registry.refresh()
