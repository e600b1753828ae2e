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
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import EC2ClientError

from labbox.cloud import cfn_registry
from labbox.cloud.vpn_cfn_common import properties_of
from labbox.cloud.vpn_ec2_classes import ec2_backend


class VpnConnectionRouteResource(CloudFormationModel):
    """A static route of a VPN connection, managed by a stack."""

    # Both properties replace the route (the new one is created before the old one goes).
    CREATE_ONLY_PROPERTIES = ("DestinationCidrBlock", "VpnConnectionId")

    def __init__(self, account_id: str, region_name: str, vpn_connection_id: str, destination_cidr_block: str):
        self.account_id = account_id
        self.region_name = region_name
        self.vpn_connection_id = vpn_connection_id
        self.destination_cidr_block = destination_cidr_block

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::VPNConnectionRoute"

    @property
    def physical_resource_id(self) -> str:
        return f"{self.vpn_connection_id}|{self.destination_cidr_block}"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> VpnConnectionRouteResource:
        properties = properties_of(cloudformation_json)
        route = ec2_backend(account_id, region_name).create_vpn_connection_route(
            properties["VpnConnectionId"], properties["DestinationCidrBlock"]
        )
        return cls(account_id, region_name, properties["VpnConnectionId"], route.destination_cidr_block)

    def delete(self, account_id: str, region_name: str) -> None:
        # A route whose connection (or the route itself) is already gone has nothing left to delete.
        with contextlib.suppress(EC2ClientError):
            ec2_backend(account_id, region_name).delete_vpn_connection_route(
                self.vpn_connection_id, self.destination_cidr_block
            )


class VpnGatewayRoutePropagationResource(CloudFormationModel):
    """Propagation of one VGW's routes into a list of route tables."""

    # Both properties change in place (see update_from_cloudformation_json).
    CREATE_ONLY_PROPERTIES: tuple[str, ...] = ()

    def __init__(self, account_id: str, region_name: str, vpn_gateway_id: str, route_table_ids: list[str]):
        self.account_id = account_id
        self.region_name = region_name
        self.vpn_gateway_id = vpn_gateway_id
        self.route_table_ids = list(route_table_ids)

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::VPNGatewayRoutePropagation"

    @property
    def physical_resource_id(self) -> str:
        return "|".join([self.vpn_gateway_id, *self.route_table_ids])

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def is_created(self) -> bool:
        return True

    def _enable(self, route_table_ids: list[str]) -> None:
        backend = ec2_backend(self.account_id, self.region_name)
        for route_table_id in route_table_ids:
            backend.enable_vgw_route_propagation(route_table_id, self.vpn_gateway_id)

    def _disable(self, route_table_ids: list[str]) -> None:
        backend = ec2_backend(self.account_id, self.region_name)
        for route_table_id in route_table_ids:
            # A route table or gateway already gone took its propagation with it.
            with contextlib.suppress(EC2ClientError):
                backend.disable_vgw_route_propagation(route_table_id, self.vpn_gateway_id)

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> VpnGatewayRoutePropagationResource:
        properties = properties_of(cloudformation_json)
        resource = cls(account_id, region_name, properties["VpnGatewayId"], properties.get("RouteTableIds") or [])
        resource._enable(resource.route_table_ids)
        return resource

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: VpnGatewayRoutePropagationResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> VpnGatewayRoutePropagationResource:
        # Both properties update without interruption: the same resource, adjusted.
        properties = properties_of(cloudformation_json)
        new_gateway = properties["VpnGatewayId"]
        new_tables = list(properties.get("RouteTableIds") or [])
        if new_gateway != original_resource.vpn_gateway_id:
            original_resource._disable(original_resource.route_table_ids)
            original_resource.vpn_gateway_id = new_gateway
            original_resource._enable(new_tables)
        else:
            original_resource._disable(
                [table for table in original_resource.route_table_ids if table not in new_tables]
            )
            original_resource._enable([table for table in new_tables if table not in original_resource.route_table_ids])
        original_resource.route_table_ids = new_tables
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        self._disable(self.route_table_ids)


def install() -> None:
    """Register the two types with moto's CloudFormation parser."""
    cfn_registry.refresh()
