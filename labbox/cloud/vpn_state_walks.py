"""Site-to-Site VPN resources walk AWS's states instead of being ``available`` at once.

* customer gateway: ``pending`` -> ``available``; delete: ``deleting`` -> ``deleted``
* VPN connection: ``pending`` -> ``available``; delete: ``deleting`` -> ``deleted`` (its
  tunnels are DOWN until it is available: the data plane builds only available ones)
* virtual private gateway attachment to a VPC: ``attaching`` -> ``attached``;
  detach: ``detaching`` -> ``detached``

Durations come from :mod:`~labbox.cloud.delay_policy`. A deleted connection or customer
gateway stays described as ``deleted`` for the policy's ``deleted_retention``, then is gone
(moto kept them forever).
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.customer_gateways import CustomerGateway
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment

from labbox.cloud import patching
from labbox.cloud.lifecycle import StateProperty, deleted_long_ago
from labbox.cloud.vpn_connections import TwinVpnConnection
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend

CUSTOMER_GATEWAY_STATES = StateProperty(
    {"available": ("pending", "customer_gateway.create"), "deleted": ("deleting", "customer_gateway.delete")}
)
VPN_CONNECTION_STATES = StateProperty(
    {"available": ("pending", "vpn_connection.create"), "deleted": ("deleting", "vpn_connection.delete")}
)
# moto uses one class for VPN and internet gateway attachments; only the VPN gateway's
# attachments are described with a state (an internet gateway's shows its VPC's).
VPN_GATEWAY_ATTACHMENT_STATES = StateProperty(
    {"attached": ("attaching", "vpn_gateway.attach"), "detached": ("detaching", "vpn_gateway.detach")}
)


def forget_long_deleted(records: dict[str, Any]) -> None:
    """Drop what was deleted longer ago than AWS keeps showing it."""
    for key in [key for key, record in records.items() if deleted_long_ago(record)]:
        del records[key]


class RetainedVpnRecordsBackend:
    """EC2 backend mixin: deleted connections and customer gateways are described for a while only."""

    def describe_vpn_connections(self, vpn_connection_ids: Any = None, filters: Any = None) -> Any:
        forget_long_deleted(self.vpn_connections)  # type: ignore[attr-defined]
        return super().describe_vpn_connections(vpn_connection_ids, filters)  # type: ignore[misc]

    def describe_customer_gateways(self, filters: Any = None, customer_gateway_ids: Any = None) -> Any:
        forget_long_deleted(self.customer_gateways)  # type: ignore[attr-defined]
        return super().describe_customer_gateways(filters, customer_gateway_ids)  # type: ignore[misc]


def install() -> None:
    patching.override(CustomerGateway, "state", CUSTOMER_GATEWAY_STATES)
    patching.override(TwinVpnConnection, "state", VPN_CONNECTION_STATES)
    patching.override(VPCGatewayAttachment, "state", VPN_GATEWAY_ATTACHMENT_STATES)
    extend_ec2_backend(RetainedVpnRecordsBackend)
