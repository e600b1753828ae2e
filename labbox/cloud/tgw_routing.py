"""Transit gateway routing as AWS shows it: routes with their attachments, propagation, defaults.

moto kept a transit gateway route table's static routes but answered
SearchTransitGatewayRoutes with ``TransitGatewayAttachments: []`` (its route dicts did not fit
the response shape), produced no propagated routes at all, and associated every new VPC or
VPN attachment with the gateway's default route table even when the gateway was created with
``DefaultRouteTableAssociation: disable`` (and never propagated when it was ``enable``). Here:

* a route names its attachment (in CreateTransitGatewayRoute's answer too) (id, resource id, resource type), as AWS answers;
* an enabled propagation of a VPC attachment puts the VPC's CIDR blocks in the table as
  ``propagated`` routes (a static route for the same CIDR wins, as on AWS); routes to an
  attachment that is gone are ``blackhole``;
* new VPC and VPN attachments are associated with / propagated to the default route table
  exactly as the gateway's ``DefaultRouteTableAssociation`` / ``DefaultRouteTablePropagation``
  say;
* the filters AWS documents for the search (``type``, ``state``, ``route-search.exact-match``,
  ``attachment.transit-gateway-attachment-id``, ``attachment.resource-type``) apply.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models import EC2Backend

from labbox.cloud import patching

_LIVE = ("available", "pending", "modifying", "pendingAcceptance")


def _attachment_ref(backend: Any, attachment_id: str) -> dict[str, str]:
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    ref = {"TransitGatewayAttachmentId": attachment_id}
    if attachment is not None:
        ref.update(ResourceId=attachment.resource_id, ResourceType=attachment.resource_type)
    return ref


def _live(backend: Any, attachment_id: str | None) -> bool:
    attachment = backend.transit_gateway_attachments.get(attachment_id or "")
    return attachment is not None and attachment.state in _LIVE


def table_routes(backend: Any, table: Any) -> list[dict[str, Any]]:
    """Every route of one transit gateway route table, static and propagated, in AWS's shape."""
    routes: dict[str, dict[str, Any]] = {}
    for propagation in table.route_table_propagation:
        attachment_id = propagation.transitGatewayAttachmentId
        attachment = backend.transit_gateway_attachments.get(attachment_id)
        if attachment is None or attachment.resource_type != "vpc" or not _live(backend, attachment_id):
            continue
        vpc = backend.vpcs.get(attachment.resource_id)
        if vpc is None:
            continue
        for cidr in [vpc.cidr_block]:
            routes[cidr] = {
                "DestinationCidrBlock": cidr,
                "TransitGatewayAttachments": [_attachment_ref(backend, attachment_id)],
                "Type": "propagated",
                "State": "active",
            }
    for cidr, stored in table.routes.items():
        if stored.get("state") == "deleted":
            continue
        attachment_id = (stored.get("transitGatewayAttachments") or {}).get("transitGatewayAttachmentId")
        route: dict[str, Any] = {"DestinationCidrBlock": cidr, "Type": "static"}
        if attachment_id:
            route["TransitGatewayAttachments"] = [_attachment_ref(backend, attachment_id)]
            route["State"] = "active" if _live(backend, attachment_id) else "blackhole"
        else:
            route["State"] = "blackhole"
        routes[cidr] = route
    return [routes[cidr] for cidr in sorted(routes)]


_FILTERS = {
    "type": lambda route: [route["Type"]],
    "state": lambda route: [route["State"]],
    "route-search.exact-match": lambda route: [route["DestinationCidrBlock"]],
    "attachment.transit-gateway-attachment-id": lambda route: [
        a["TransitGatewayAttachmentId"] for a in route.get("TransitGatewayAttachments", [])
    ],
    "attachment.resource-type": lambda route: [a.get("ResourceType") for a in route.get("TransitGatewayAttachments", [])],
    "attachment.resource-id": lambda route: [a.get("ResourceId") for a in route.get("TransitGatewayAttachments", [])],
}


def _search(
    self: Any, transit_gateway_route_table_id: str, filters: Any, max_results: int | None = None
) -> list[dict[str, Any]]:
    table = self.transit_gateways_route_tables.get(transit_gateway_route_table_id)
    if table is None:
        return []
    found = table_routes(self, table)
    for name, values in (filters or {}).items():
        if name in _FILTERS and values:
            found = [route for route in found if set(_FILTERS[name](route)) & set(values)]
    return found[: int(max_results)] if max_results else found


def _create_route(self: Any, transit_gateway_route_table_id: str, destination_cidr_block: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    patching.original(EC2Backend, "create_transit_gateway_route", self)(
        transit_gateway_route_table_id, destination_cidr_block, *args, **kwargs
    )
    table = self.transit_gateways_route_tables[transit_gateway_route_table_id]
    return next(r for r in table_routes(self, table) if r["DestinationCidrBlock"] == destination_cidr_block)


def _apply_defaults(backend: Any, attachment: Any) -> None:
    """Associate/propagate a new attachment as its gateway's default options say."""
    gateway = backend.transit_gateways[attachment.transit_gateway_id]
    options, default = gateway.options, gateway.default_route_table
    for table in backend.transit_gateways_route_tables.values():
        table.route_table_associations.pop(attachment.id, None)
    attachment.transit_gateway_route_table = None
    if options.get("DefaultRouteTableAssociation", "enable") == "enable":
        backend.associate_transit_gateway_route_table(attachment.id, default.id)
        attachment.transit_gateway_route_table = default
    if options.get("DefaultRouteTablePropagation", "enable") == "enable":
        backend.enable_transit_gateway_route_table_propagation(attachment.id, default.id)


def _create_vpc_attachment(self: Any, *args: Any, **kwargs: Any) -> Any:
    attachment = patching.original(EC2Backend, "create_transit_gateway_vpc_attachment", self)(*args, **kwargs)
    _apply_defaults(self, attachment)
    return attachment


def _create_vpn_attachment(self: Any, *args: Any, **kwargs: Any) -> Any:
    attachment = patching.original(EC2Backend, "create_transit_gateway_vpn_attachment", self)(*args, **kwargs)
    _apply_defaults(self, attachment)
    return attachment


def install() -> None:
    patching.override(EC2Backend, "search_transit_gateway_routes", _search)
    patching.override(EC2Backend, "create_transit_gateway_route", _create_route)
    patching.override(EC2Backend, "create_transit_gateway_vpc_attachment", _create_vpc_attachment)
    patching.override(EC2Backend, "create_transit_gateway_vpn_attachment", _create_vpn_attachment)
