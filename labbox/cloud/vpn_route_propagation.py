"""Route propagation from a virtual private gateway into VPC route tables.

moto has no ``EnableVgwRoutePropagation`` / ``DisableVgwRoutePropagation`` (HTTP 500), and
its route tables never list ``PropagatingVgws``. On AWS, a route table that propagates a
VGW shows, for every static route of that VGW's VPN connections, a route with
``Origin: EnableVgwRoutePropagation`` and ``GatewayId: vgw-…`` — this is how the lab's
AWS-PublicRT learns 10.60.0.0/16. The propagated routes are derived on every describe
from the connections' current routes, so they follow route changes and deletions.

A route table keeps its own routes: a propagated route whose destination the table
already routes explicitly is not shown (AWS prefers the static route).
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.exceptions import EC2ClientError, InvalidVpnGatewayIdError
from moto.ec2.responses._base_response import EC2BaseResponse

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend, extend_ec2_response

PROPAGATED_ORIGIN = "EnableVgwRoutePropagation"


class GatewayNotAttachedToVpcError(EC2ClientError):
    def __init__(self, vpn_gateway_id: str, vpc_id: str) -> None:
        super().__init__("Gateway.NotAttached", f"resource {vpn_gateway_id} is not attached to network {vpc_id}")


class RoutePropagationBackend:
    """EC2 backend mixin: which VGWs each route table propagates, and what that adds."""

    vpn_connections: dict[str, Any]
    vpn_gateways: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # route table id -> VGW ids, in the order propagation was enabled.
        self.vgw_route_propagations: dict[str, list[str]] = {}
        super().__init__(*args, **kwargs)

    def _attached_vpn_gateway(self, vpn_gateway_id: str, vpc_id: str) -> Any:
        gateway = self.vpn_gateways.get(vpn_gateway_id)
        if gateway is None or gateway.state == "deleted":
            raise InvalidVpnGatewayIdError(vpn_gateway_id)
        attachment = gateway.attachments.get(vpc_id)
        if attachment is None or attachment.state != "attached":
            raise GatewayNotAttachedToVpcError(vpn_gateway_id, vpc_id)
        return gateway

    def enable_vgw_route_propagation(self, route_table_id: str, gateway_id: str) -> None:
        route_table = self.get_route_table(route_table_id)  # type: ignore[attr-defined]
        # As on AWS, the gateway must already be attached to the table's VPC.
        self._attached_vpn_gateway(gateway_id, route_table.vpc_id)
        propagating = self.vgw_route_propagations.setdefault(route_table_id, [])
        if gateway_id not in propagating:
            propagating.append(gateway_id)

    def disable_vgw_route_propagation(self, route_table_id: str, gateway_id: str) -> None:
        self.get_route_table(route_table_id)  # type: ignore[attr-defined]
        if gateway_id not in self.vpn_gateways:
            raise InvalidVpnGatewayIdError(gateway_id)
        propagating = self.vgw_route_propagations.get(route_table_id, [])
        if gateway_id in propagating:
            propagating.remove(gateway_id)

    def propagating_vgw_ids(self, route_table_id: str) -> list[str]:
        return list(self.vgw_route_propagations.get(route_table_id, []))

    def propagated_routes(self, route_table: Any) -> list[dict[str, str]]:
        """The routes a table shows because it propagates VGWs (``Route`` shape)."""
        explicit = {route.destination_cidr_block for route in route_table.routes}
        routes: list[dict[str, str]] = []
        for vpn_gateway_id in self.propagating_vgw_ids(route_table.id):
            gateway = self.vpn_gateways.get(vpn_gateway_id)
            attachment = gateway.attachments.get(route_table.vpc_id) if gateway else None
            if attachment is None or attachment.state != "attached":
                continue
            for connection in self.vpn_connections.values():
                if connection.state == "deleted" or connection.vpn_gateway_id != vpn_gateway_id:
                    continue
                for static_route in getattr(connection, "static_routes", None) or []:
                    cidr = static_route.destination_cidr_block
                    if static_route.state != "available" or cidr in explicit:
                        continue
                    explicit.add(cidr)
                    routes.append(
                        {
                            "DestinationCidrBlock": cidr,
                            "GatewayId": vpn_gateway_id,
                            "Origin": PROPAGATED_ORIGIN,
                            "State": "active",
                        }
                    )
        return routes


class RouteTableWithPropagation:
    """A view of moto's route table that adds ``PropagatingVgws`` and propagated routes.

    Only the API answer needs them, so moto's model stays as it is and the view delegates
    every other attribute to it.
    """

    def __init__(self, route_table: Any, propagating_vgw_ids: list[str], propagated: list[dict[str, str]]):
        self._route_table = route_table
        self.propagating_vgws = [{"GatewayId": gateway_id} for gateway_id in propagating_vgw_ids]
        self.routes = list(route_table.routes) + propagated

    def __getattr__(self, name: str) -> Any:
        return getattr(self._route_table, name)


class RoutePropagationResponses(EC2BaseResponse):
    """EC2 response mixin: the propagation calls, and route tables that show propagation."""

    def enable_vgw_route_propagation(self) -> EmptyResult:
        self.error_on_dryrun()
        self.ec2_backend.enable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return EmptyResult()

    def disable_vgw_route_propagation(self) -> EmptyResult:
        self.error_on_dryrun()
        self.ec2_backend.disable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return EmptyResult()

    def describe_route_tables(self) -> ActionResult:
        result = super().describe_route_tables()  # type: ignore[misc]
        backend = self.ec2_backend
        views = [
            RouteTableWithPropagation(table, backend.propagating_vgw_ids(table.id), backend.propagated_routes(table))
            for table in result.result["RouteTables"]
        ]
        return ActionResult({"RouteTables": views})


def install() -> None:
    """Use the propagation mixins in every EC2 backend and response."""
    extend_ec2_backend(RoutePropagationBackend)
    extend_ec2_response(RoutePropagationResponses)
