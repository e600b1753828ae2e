"""A transit gateway's life as AWS runs it: its default route table, what blocks its delete,
what goes with it, and an attachment associated once.

* A gateway created with both ``DefaultRouteTableAssociation`` and
  ``DefaultRouteTablePropagation`` off has no default route table (moto made one anyway, and
  reported its id in ``AssociationDefaultRouteTableId``). moto's attachment code needs the
  table object, so it is kept but never described and never named (``tgw_routing`` clears
  the association moto gives a new attachment with it).
* DeleteTransitGateway is refused with ``IncorrectState`` while an attachment of the gateway
  (VPC, VPN, or a peering on either side) is not ``deleted``; once deleted, its route tables
  are ``deleted`` too (moto left them ``available`` for ever).
* DeleteTransitGateway of a gateway already ``deleting`` or ``deleted`` is ``IncorrectState``.
* AssociateTransitGatewayRouteTable of an attachment that is already associated (with any
  route table) is ``Resource.AlreadyAssociated``; it must be disassociated first.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError

from labbox.cloud.state_refusals import IncorrectState
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend

_HIDDEN = "labbox_not_created"
# States in which an attachment no longer holds its gateway.
_GONE = ("deleted", "rejected", "failed")


class AlreadyAssociated(EC2ClientError):
    def __init__(self, attachment_id: str) -> None:
        super().__init__(
            "Resource.AlreadyAssociated", f"Transit Gateway Attachment {attachment_id} is already associated to a route table."
        )


class GatewayInUse(EC2ClientError):
    def __init__(self, gateway_id: str, attachment_ids: list[str]) -> None:
        super().__init__(
            "IncorrectState",
            f"{gateway_id} has non-deleted Transit Gateway Attachments: {', '.join(sorted(attachment_ids))}",
        )


def _attachments_holding(backend: Any, gateway_id: str) -> list[str]:
    holding = []
    for attachment in backend.transit_gateway_attachments.values():
        peer = (getattr(attachment, "accepter_tgw_info", None) or {}).get("TransitGatewayId")
        if gateway_id in (attachment.transit_gateway_id, peer) and attachment.state not in _GONE:
            holding.append(attachment.id)
    return holding


class TransitGatewayLifecycleBackend:
    """EC2 backend mixin (API and CloudFormation alike)."""

    def create_transit_gateway(self, *args: Any, **kwargs: Any) -> Any:
        gateway = super().create_transit_gateway(*args, **kwargs)  # type: ignore[misc]
        options = gateway.options
        if options.get("DefaultRouteTableAssociation") == "disable" and options.get("DefaultRouteTablePropagation") == "disable":
            setattr(gateway.default_route_table, _HIDDEN, True)
            options.pop("AssociationDefaultRouteTableId", None)
            options.pop("PropagationDefaultRouteTableId", None)
        return gateway

    def delete_transit_gateway(self, transit_gateway_id: str) -> Any:
        gateway = self.transit_gateways.get(transit_gateway_id)  # type: ignore[attr-defined]
        if gateway is not None:
            if gateway.state in ("deleting", "deleted"):
                raise IncorrectState(gateway.id, gateway.state)
            holding = _attachments_holding(self, gateway.id)
            if holding:
                raise GatewayInUse(gateway.id, holding)
        deleted = super().delete_transit_gateway(transit_gateway_id)  # type: ignore[misc]
        for table in self.transit_gateways_route_tables.values():  # type: ignore[attr-defined]
            if table.transit_gateway_id == transit_gateway_id:
                table.state = "deleted"
        return deleted

    def get_all_transit_gateway_route_tables(self, *args: Any, **kwargs: Any) -> Any:
        tables = super().get_all_transit_gateway_route_tables(*args, **kwargs)  # type: ignore[misc]
        return [table for table in tables if not getattr(table, _HIDDEN, False)]

    def associate_transit_gateway_route_table(self, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str) -> Any:
        current = self.transit_gateway_associations.get(transit_gateway_attachment_id)  # type: ignore[attr-defined]
        if current is not None and current.state in ("associating", "associated"):
            raise AlreadyAssociated(transit_gateway_attachment_id)
        return super().associate_transit_gateway_route_table(  # type: ignore[misc]
            transit_gateway_attachment_id, transit_gateway_route_table_id
        )


def install() -> None:
    extend_ec2_backend(TransitGatewayLifecycleBackend)
