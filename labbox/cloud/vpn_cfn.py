"""AWS::EC2::VPNConnectionRoute and AWS::EC2::VPNGatewayRoutePropagation on the twin.

moto skips both types silently, so a stack that routes 10.60.0.0/16 over the VPN and
propagates it into AWS-PublicRT reports CREATE_COMPLETE without doing either. These
resources drive the backend calls of :mod:`labbox.cloud.vpn_connections` and
:mod:`labbox.cloud.vpn_route_propagation`.

When a stack update replaces the VPN connection, the route's ``VpnConnectionId`` resolves
to the new id, so the stack engine replaces the route too: it is created on the new
connection, and the old route goes with the old connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import EC2ClientError

from labbox.cloud import cfn_registry
from labbox.cloud.cfn_resource_base import TwinResource


class VpnConnectionRouteResource(TwinResource, CloudFormationModel):
    """A static route of a VPN connection, managed by a stack."""

    TYPE = "AWS::EC2::VPNConnectionRoute"
    # Both properties replace the route (the new one is created before the old one goes).
    CREATE_ONLY_PROPERTIES = ("DestinationCidrBlock", "VpnConnectionId")

    def create(self) -> str:
        connection_id = self.properties["VpnConnectionId"]
        route = self.ec2_backend.create_vpn_connection_route(connection_id, self.properties["DestinationCidrBlock"])
        return f"{connection_id}|{route.destination_cidr_block}"

    def remove(self) -> None:
        # A route whose connection (or the route itself) is already gone has nothing left to delete.
        with contextlib.suppress(EC2ClientError):
            self.ec2_backend.delete_vpn_connection_route(
                self.properties["VpnConnectionId"], self.properties["DestinationCidrBlock"]
            )


def _route_table_ids(properties: Mapping[str, Any]) -> list[str]:
    return list(properties.get("RouteTableIds") or [])


def _propagation_id(properties: Mapping[str, Any]) -> str:
    return "|".join([properties["VpnGatewayId"], *_route_table_ids(properties)])


class VpnGatewayRoutePropagationResource(TwinResource, CloudFormationModel):
    """Propagation of one VGW's routes into a list of route tables."""

    TYPE = "AWS::EC2::VPNGatewayRoutePropagation"
    # Both properties change in place (see update).
    CREATE_ONLY_PROPERTIES: tuple[str, ...] = ()

    def _enable(self, vpn_gateway_id: str, route_table_ids: list[str]) -> None:
        for route_table_id in route_table_ids:
            self.ec2_backend.enable_vgw_route_propagation(route_table_id, vpn_gateway_id)

    def _disable(self, vpn_gateway_id: str, route_table_ids: list[str]) -> None:
        for route_table_id in route_table_ids:
            # A route table or gateway already gone took its propagation with it.
            with contextlib.suppress(EC2ClientError):
                self.ec2_backend.disable_vgw_route_propagation(route_table_id, vpn_gateway_id)

    def create(self) -> str:
        self._enable(self.properties["VpnGatewayId"], _route_table_ids(self.properties))
        return _propagation_id(self.properties)

    def update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        # Both properties update without interruption: the same resource, adjusted.
        old_gateway, new_gateway = old["VpnGatewayId"], new["VpnGatewayId"]
        old_tables, new_tables = _route_table_ids(old), _route_table_ids(new)
        if new_gateway != old_gateway:
            self._disable(old_gateway, old_tables)
            self._enable(new_gateway, new_tables)
        else:
            self._disable(old_gateway, [table for table in old_tables if table not in new_tables])
            self._enable(new_gateway, [table for table in new_tables if table not in old_tables])
        self.physical_id = _propagation_id(new)

    def remove(self) -> None:
        self._disable(self.properties["VpnGatewayId"], _route_table_ids(self.properties))


def install() -> None:
    """Register the two types with moto's CloudFormation parser."""
    cfn_registry.refresh()
