"""Transit gateway resources walk AWS's states instead of being ``available`` at once.

* transit gateway: ``pending`` -> ``available``; delete: ``deleting`` -> ``deleted``
* VPC and VPN attachments: ``pending`` -> ``available``; delete: ``deleting`` -> ``deleted``
* route table association: ``associating`` -> ``associated``; propagation: ``enabling`` -> ``enabled``
* peering attachment: ``initiatingRequest`` -> ``pendingAcceptance``; accepted: ``pending``
  -> ``available``; delete: ``deleting`` -> ``deleted`` (its Status.Code follows its state)

Durations come from :mod:`~labbox.cloud.delay_policy`. moto dropped a deleted gateway or
VPC attachment from its records at once; AWS describes it as ``deleted`` for a while, so
here it stays in the records (everything that reads them already skips states that are
not live) until the policy's ``deleted_retention`` has passed.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.transit_gateway import TransitGateway
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachment, TransitGatewayPeeringAttachment
from moto.ec2.models.transit_gateway_route_tables import (
    RouteTableAssociation,
    RouteTablePropagation,
    TransitGatewayRelations,
)

from labbox.cloud import patching
from labbox.cloud.lifecycle import StateProperty
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend
from labbox.cloud.vpn_state_walks import forget_long_deleted

TRANSIT_GATEWAY_STATES = StateProperty(
    {"available": ("pending", "transit_gateway.create"), "deleted": ("deleting", "transit_gateway.delete")}
)
ATTACHMENT_STATES = StateProperty(
    {"available": ("pending", "tgw_attachment.create"), "deleted": ("deleting", "tgw_attachment.delete")}
)
PEERING_STATES = StateProperty(
    {
        "pendingAcceptance": ("initiatingRequest", "tgw_peering.request"),
        "available": ("pending", "tgw_peering.accept"),
        "deleted": ("deleting", "tgw_peering.delete"),
    }
)
ASSOCIATION_STATES = StateProperty({"associated": ("associating", "tgw_association.create")})
PROPAGATION_STATES = StateProperty({"enabled": ("enabling", "tgw_propagation.create")})
# moto's one class for an association and a propagation record.
RELATION_STATES = StateProperty(
    {"associated": ("associating", "tgw_association.create"), "enabled": ("enabling", "tgw_propagation.create")}
)


def _peering_status(self: TransitGatewayPeeringAttachment) -> dict[str, str]:
    """AWS's Status.Code is the attachment's state; moto's stayed where accept/reject left it."""
    state = self.state
    messages = {
        "initiatingRequest": "Initiating Request",
        "pendingAcceptance": "Pending Acceptance",
        "pending": "Pending",
        "available": "Available",
        "deleting": "Deleting",
        "deleted": "Deleted",
        "rejected": "Rejected",
    }
    return {"Code": state, "Message": messages.get(state, self._peering_status.message)}


def _association(self: TransitGatewayAttachment) -> dict[str, str] | None:
    """The attachment's own view of its association, in the association record's state."""
    table = self.transit_gateway_route_table
    if self.state != "available" or not table:
        return None
    relation = self.ec2_backend.transit_gateway_associations.get(self.id)
    state = relation.state if relation is not None else "associated"
    return {"State": state, "TransitGatewayRouteTableId": table.id}


class RetainedTransitGatewayRecordsBackend:
    """EC2 backend mixin: deleted gateways and attachments are described as ``deleted`` for a while."""

    def delete_transit_gateway(self, transit_gateway_id: str) -> TransitGateway:
        gateway = super().delete_transit_gateway(transit_gateway_id)  # type: ignore[misc]
        gateway.state = "deleted"
        self.transit_gateways[gateway.id] = gateway  # type: ignore[attr-defined]
        return gateway

    def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id: str) -> Any:
        attachment = super().delete_transit_gateway_vpc_attachment(transit_gateway_attachment_id)  # type: ignore[misc]
        self.transit_gateway_attachments[attachment.id] = attachment  # type: ignore[attr-defined]
        return attachment

    def describe_transit_gateways(self, filters: Any = None, transit_gateway_ids: Any = None) -> Any:
        forget_long_deleted(self.transit_gateways)  # type: ignore[attr-defined]
        return super().describe_transit_gateways(filters, transit_gateway_ids)  # type: ignore[misc]

    def describe_transit_gateway_attachments(self, *args: Any, **kwargs: Any) -> Any:
        forget_long_deleted(self.transit_gateway_attachments)  # type: ignore[attr-defined]
        return super().describe_transit_gateway_attachments(*args, **kwargs)  # type: ignore[misc]


def install() -> None:
    patching.override(TransitGateway, "state", TRANSIT_GATEWAY_STATES)
    patching.override(TransitGatewayAttachment, "state", ATTACHMENT_STATES)
    patching.override(TransitGatewayPeeringAttachment, "state", PEERING_STATES)
    patching.override(TransitGatewayPeeringAttachment, "status", property(_peering_status))
    patching.override(TransitGatewayAttachment, "association", property(_association))
    patching.override(RouteTableAssociation, "state", ASSOCIATION_STATES)
    patching.override(RouteTablePropagation, "state", PROPAGATION_STATES)
    patching.override(TransitGatewayRelations, "state", RELATION_STATES)
    extend_ec2_backend(RetainedTransitGatewayRecordsBackend)
