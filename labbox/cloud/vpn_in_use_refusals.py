"""Customer and virtual private gateways cannot be deleted while something uses them.

AWS refuses, with ``IncorrectState``, to delete a customer gateway that a VPN connection not
yet ``deleted`` still names, and a virtual private gateway still attached to a VPC (attaching,
attached or detaching); the gateway stays as it was. moto marked both ``deleted`` anyway, so
a teardown in the wrong order passed on the twin and stopped half-way on AWS. The checks hold
for every caller: the API and the twin's CloudFormation deletes (which wait for the VPN
connection to be deleted and the attachment detached first, as CloudFormation does).
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend


class GatewayInUse(EC2ClientError):
    def __init__(self, message: str) -> None:
        super().__init__("IncorrectState", message)


class VpnInUseRefusalsBackend:
    """EC2 backend mixin: the deletes refused while the gateway is in use."""

    def delete_customer_gateway(self, customer_gateway_id: str) -> None:
        users = sorted(
            connection.id
            for connection in self.vpn_connections.values()  # type: ignore[attr-defined]
            if connection.customer_gateway_id == customer_gateway_id and connection.state != "deleted"
        )
        if users:
            raise GatewayInUse(f"The customer gateway {customer_gateway_id} is in use by {', '.join(users)}.")
        return super().delete_customer_gateway(customer_gateway_id)  # type: ignore[misc]

    def delete_vpn_gateway(self, vpn_gateway_id: str) -> Any:
        gateway = self.vpn_gateways.get(vpn_gateway_id)  # type: ignore[attr-defined]
        if gateway is not None:
            vpcs = sorted(vpc_id for vpc_id, attachment in gateway.attachments.items() if attachment.state != "detached")
            if vpcs:
                raise GatewayInUse(f"The virtual private gateway {vpn_gateway_id} is attached to {', '.join(vpcs)}.")
        return super().delete_vpn_gateway(vpn_gateway_id)  # type: ignore[misc]


def install() -> None:
    extend_ec2_backend(VpnInUseRefusalsBackend)
