"""Transit gateway attachments as each region sees them, peering attachments above all.

moto stores one peering attachment object and shows it in both regions, but always as the
requester sees it: in the accepter's region DescribeTransitGatewayAttachments named the
*requester's* gateway as ``TransitGatewayId`` (AWS names the local gateway there and the
remote one as ``ResourceId``), and both regions shared one ``Association``, so associating the
attachment with a route table on one side moved it on the other. Here every attachment is
described from the asking region: its local gateway, the remote one as the resource, and the
association found in that region's own route tables.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models import EC2Backend
from moto.utilities.utils import filter_resources

from labbox.cloud import patching


class LocalView:
    """An attachment as one region's API shows it (reads everything else from the attachment)."""

    def __init__(self, attachment: Any, backend: Any) -> None:
        self._attachment = attachment
        self._backend = backend

    def __getattr__(self, name: str) -> Any:
        return getattr(self._attachment, name)

    def _is_accepter_side(self) -> bool:
        info = getattr(self._attachment, "accepter_tgw_info", None)
        requester = getattr(self._attachment, "requester_tgw_info", None) or {}
        return bool(info) and info.get("Region") == self._backend.region_name and requester.get("Region") != info.get("Region")

    @property
    def transit_gateway_id(self) -> str:
        if self._is_accepter_side():
            return str(self._attachment.accepter_tgw_info["TransitGatewayId"])
        return str(self._attachment.transit_gateway_id)

    @property
    def resource_id(self) -> str:
        if self._is_accepter_side():
            return str(self._attachment.requester_tgw_info["TransitGatewayId"])
        return str(self._attachment.resource_id)

    @property
    def association(self) -> dict[str, str] | None:
        return local_association(self._backend, self._attachment)


def local_association(backend: Any, attachment: Any) -> dict[str, str] | None:
    """The association of ``attachment`` with one of ``backend``'s own route tables."""
    if attachment.state not in ("available", "modifying"):
        return None
    for table in backend.transit_gateways_route_tables.values():
        if attachment.id in table.route_table_associations and table.state != "deleted":
            return {"State": "associated", "TransitGatewayRouteTableId": table.id}
    return None


# DescribeTransitGatewayAttachments' filters, applied to the local view.
_FILTERS = (
    ("resource-id", "resource_id"),
    ("resource-type", "resource_type"),
    ("transit-gateway-id", "transit_gateway_id"),
    ("transit-gateway-attachment-id", "id"),
    ("state", "state"),
)


def _describe(
    self: Any, transit_gateways_attachment_ids: list[str] | None = None, filters: Any = None
) -> list[Any]:
    found = patching.original(EC2Backend, "describe_transit_gateway_attachments", self)(
        transit_gateways_attachment_ids=transit_gateways_attachment_ids
    )
    views = [LocalView(attachment, self) for attachment in found]
    return filter_resources(views, filters, _FILTERS) if filters else views


def install() -> None:
    patching.override(EC2Backend, "describe_transit_gateway_attachments", _describe)
