"""The EC2 API calls for VPN connections that moto answers wrongly or not at all.

``CreateVpnConnection`` in moto drops ``Options`` (static routing, tunnel PSKs and inside
CIDRs); ``CreateVpnConnectionRoute`` and ``DeleteVpnConnectionRoute`` are missing (HTTP
500). This response mixin reads the request and hands it to the backend mixin of
:mod:`labbox.cloud.vpn_connections`; moto's serializer writes the answer from botocore's
model, so the shapes are AWS's.
"""

from __future__ import annotations

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.responses._base_response import EC2BaseResponse
from moto.ec2.utils import add_tag_specification

from labbox.cloud.vpn_ec2_classes import extend_ec2_response


class VpnConnectionResponses(EC2BaseResponse):
    """EC2 response mixin for VPN connections and their static routes."""

    def create_vpn_connection(self) -> ActionResult:
        self.error_on_dryrun()
        connection = self.ec2_backend.create_vpn_connection(
            self._get_param("Type"),
            self._get_param("CustomerGatewayId"),
            vpn_gateway_id=self._get_param("VpnGatewayId"),
            transit_gateway_id=self._get_param("TransitGatewayId"),
            tags=add_tag_specification(self._get_param("TagSpecifications", [])),
            options=self._get_param("Options") or {},
        )
        return ActionResult({"VpnConnection": connection})

    def create_vpn_connection_route(self) -> EmptyResult:
        self.ec2_backend.create_vpn_connection_route(
            self._get_param("VpnConnectionId"),
            self._get_param("DestinationCidrBlock"),
        )
        return EmptyResult()

    def delete_vpn_connection_route(self) -> EmptyResult:
        self.ec2_backend.delete_vpn_connection_route(
            self._get_param("VpnConnectionId"),
            self._get_param("DestinationCidrBlock"),
        )
        return EmptyResult()


def install() -> None:
    """Answer the VPN connection calls with :class:`VpnConnectionResponses`."""
    extend_ec2_response(VpnConnectionResponses)
