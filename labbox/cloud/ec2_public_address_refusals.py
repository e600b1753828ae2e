"""Elastic and public addresses refused where AWS refuses them: the reason for ``DependsOn``.

AWS's CloudFormation guide names this case for the ``DependsOn`` attribute: an Elastic IP in a
VPC, or anything that maps a public address, needs the VPC's internet gateway attached first,
and on delete the addresses must be unmapped before the gateway is detached. EC2 answers:

- AssociateAddress into a VPC with no internet gateway attached: ``Gateway.NotAttached``
  ("Network vpc-... is not attached to any internet gateway");
- DetachInternetGateway while an interface in the VPC has a public address (an Elastic IP
  or one assigned at launch): ``DependencyViolation`` ("Network vpc-... has some mapped
  public address(es). Please unmap those public address(es) before detaching the gateway.");
- ReleaseAddress of an Elastic IP still associated: ``InvalidIPAddress.InUse``.

moto did all three, so a template without its ``DependsOn`` passed on the twin and failed on
AWS. Default VPCs are left alone: on AWS they come with an internet gateway (moto's have
none), and releasing there disassociates on its own.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import DependencyViolationError, EC2ClientError

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend


class PublicAddressRefusalsBackend:
    """EC2 backend mixin: the address calls refused while the VPC or the address says no."""

    def associate_address(self, instance: Any = None, eni: Any = None, **kwargs: Any) -> Any:
        interface = eni if eni is not None else (instance.nics.get(0) if instance is not None else None)
        vpc = _vpc_of(self, interface)
        if vpc is not None and not vpc.is_default and not _has_attached_gateway(self, vpc.id):
            raise EC2ClientError("Gateway.NotAttached", f"Network {vpc.id} is not attached to any internet gateway")
        return super().associate_address(instance=instance, eni=eni, **kwargs)  # type: ignore[misc]

    def detach_internet_gateway(self, internet_gateway_id: str, vpc_id: str) -> None:
        gateway = self.internet_gateways.get(internet_gateway_id)  # type: ignore[attr-defined]
        attached_here = gateway is not None and gateway.vpc is not None and gateway.vpc.id == vpc_id
        interfaces = self.enis.values()  # type: ignore[attr-defined]
        if attached_here and any(i.public_ip and i.subnet.vpc_id == vpc_id for i in interfaces):
            raise DependencyViolationError(
                f"Network {vpc_id} has some mapped public address(es). "
                "Please unmap those public address(es) before detaching the gateway."
            )
        return super().detach_internet_gateway(internet_gateway_id, vpc_id)  # type: ignore[misc]

    def release_address(self, address: str | None = None, allocation_id: str | None = None) -> None:
        if address:
            eip = self.address_by_ip([address])[0]  # type: ignore[attr-defined]
        else:
            eip = self.address_by_allocation([allocation_id])[0]  # type: ignore[attr-defined]
        vpc = _vpc_of(self, eip.eni)
        if (eip.eni is not None or eip.instance is not None) and not (vpc is not None and vpc.is_default):
            raise EC2ClientError("InvalidIPAddress.InUse", f"Address {eip.public_ip} is in use.")
        return super().release_address(address=address, allocation_id=allocation_id)  # type: ignore[misc]


def _vpc_of(backend: Any, interface: Any) -> Any:
    if interface is None or getattr(interface, "subnet", None) is None:
        return None
    return backend.vpcs.get(interface.subnet.vpc_id)


def _has_attached_gateway(backend: Any, vpc_id: str) -> bool:
    return any(gateway.vpc is not None and gateway.vpc.id == vpc_id for gateway in backend.internet_gateways.values())


def install() -> None:
    extend_ec2_backend(PublicAddressRefusalsBackend)
