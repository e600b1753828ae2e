"""Site-to-Site VPN connections that look like AWS's: tunnels, telemetry, routes, XML.

moto's :class:`VPNConnection` has no tunnels: every connection reports the same fixed
XML, no ``Options.TunnelOptions``, no ``VgwTelemetry`` and no static routes, and
CloudFormation skips AWS::EC2::VPNConnection. :class:`TwinVpnConnection` extends it with
two :class:`~labbox.cloud.vpn_tunnels.VpnTunnel` objects (outside IP, inside CIDR, PSK,
options, telemetry), static routes, and the CloudFormation type, which AWS replaces on
any property change except ``Tags`` — the replacement is created before the old
connection is deleted, so it always gets new tunnel IPs (and new keys unless given).
The backend mixin validates requests like AWS and allocates addresses; everything works
the same for a connection on a virtual private gateway or on a transit gateway.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import (
    EC2ClientError,
    InvalidCustomerGatewayIdError,
    InvalidParameterCombination,
    InvalidParameterValue,
    InvalidTransitGatewayID,
    InvalidVpnConnectionIdError,
    InvalidVpnGatewayIdError,
    MissingParameterError,
)
from moto.ec2.models.vpn_connections import VPNConnection
from moto.ec2.utils import random_vpn_connection_id

from labbox.cloud import cfn_registry, vpn_config_xml
from labbox.cloud.vpn_addresses import (
    AddressPoolExhausted,
    InvalidTunnelParameter,
    allocate_inside_cidrs,
    generate_pre_shared_key,
    outside_ips,
)
from labbox.cloud.vpn_cfn_common import Ec2ModelResource, all_but_tags, tags_of
from labbox.cloud.vpn_ec2_classes import all_ec2_backends, extend_ec2_backend
from labbox.cloud.vpn_tunnels import VpnTunnel, parse_tunnel_requests

DEFAULT_NETWORK_CIDR = "0.0.0.0/0"
CONNECTION_TYPES = ("ipsec.1",)


class InvalidVpnConnectionRouteError(EC2ClientError):
    def __init__(self, vpn_connection_id: str, cidr: str) -> None:
        super().__init__(
            "InvalidRoute.NotFound",
            f"The route {cidr} does not exist on VPN connection {vpn_connection_id}",
        )


@dataclass
class VpnStaticRoute:
    """One entry of a connection's ``Routes`` (serialised by attribute name)."""

    destination_cidr_block: str
    source: str = "Static"
    state: str = "available"


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _ipv4_cidr(parameter: str, value: Any) -> str:
    try:
        return str(ipaddress.IPv4Network(value, strict=True))
    except (TypeError, ValueError) as error:
        raise InvalidParameterValue(f"Value ({value}) for parameter {parameter} is invalid.") from error


class TwinVpnConnection(Ec2ModelResource, CloudFormationModel, VPNConnection):
    """A VPN connection with two real tunnels; also the AWS::EC2::VPNConnection resource."""

    TYPE = "AWS::EC2::VPNConnection"
    ID_ATTRIBUTE = "VpnConnectionId"
    # AWS replaces a VPN connection on any change but Tags: new tunnel IPs and keys.
    CREATE_ONLY_PROPERTIES = all_but_tags(
        (
            "CustomerGatewayId",
            "EnableAcceleration",
            "LocalIpv4NetworkCidr",
            "LocalIpv6NetworkCidr",
            "OutsideIpAddressType",
            "PreSharedKeyStorage",
            "RemoteIpv4NetworkCidr",
            "RemoteIpv6NetworkCidr",
            "StaticRoutesOnly",
            "Tags",
            "TransitGatewayId",
            "TransportTransitGatewayAttachmentId",
            "TunnelBandwidth",
            "TunnelInsideIpVersion",
            "Type",
            "VpnConcentratorId",
            "VpnGatewayId",
            "VpnTunnelOptionsSpecifications",
        )
    )

    def __init__(
        self,
        ec2_backend: Any,
        vpn_connection_id: str,
        vpn_conn_type: str,
        customer_gateway_id: str,
        *,
        tunnels: list[VpnTunnel],
        customer_gateway_ip: str,
        customer_gateway_asn: int,
        gateway_asn: int,
        static_routes_only: bool = False,
        local_ipv4_network_cidr: str = DEFAULT_NETWORK_CIDR,
        remote_ipv4_network_cidr: str = DEFAULT_NETWORK_CIDR,
        enable_acceleration: bool = False,
        vpn_gateway_id: str | None = None,
        transit_gateway_id: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            ec2_backend,
            vpn_connection_id,
            vpn_conn_type,
            customer_gateway_id,
            vpn_gateway_id=vpn_gateway_id,
            transit_gateway_id=transit_gateway_id,
            tags=tags,
        )
        self.category = "VPN"
        self.tunnels: list[VpnTunnel] = list(tunnels)  # type: ignore[assignment]
        self.static_routes: list[VpnStaticRoute] = []  # type: ignore[assignment]
        self.static_routes_only = static_routes_only
        self.customer_gateway_ip = customer_gateway_ip
        self.customer_gateway_asn = customer_gateway_asn
        self.gateway_asn = gateway_asn
        # What a connection was created with never changes (AWS modifies in place only via
        # ModifyVpnTunnelOptions, which the lab does not use), so Options is built once.
        self.options = {  # type: ignore[assignment]
            "EnableAcceleration": enable_acceleration,
            "StaticRoutesOnly": static_routes_only,
            "LocalIpv4NetworkCidr": local_ipv4_network_cidr,
            "RemoteIpv4NetworkCidr": remote_ipv4_network_cidr,
            "OutsideIpAddressType": "PublicIpv4",
            "TunnelInsideIpVersion": "ipv4",
            "TunnelOptions": [tunnel.tunnel_option() for tunnel in self.tunnels],
        }
        self._configuration_xml: str | None = None

    # --- what describe_vpn_connections shows -------------------------------------------
    @property
    def vgw_telemetry(self) -> list[dict[str, Any]]:
        return [tunnel.telemetry() for tunnel in self.tunnels]

    @property
    def routes(self) -> list[VpnStaticRoute]:
        return self.static_routes

    @property
    def gateway_association_state(self) -> str:
        return "not-associated" if self.state == "deleted" else "associated"

    @property
    def customer_gateway_configuration(self) -> str:  # type: ignore[override]
        if self._configuration_xml is None:
            self._configuration_xml = vpn_config_xml.render(
                vpn_config_xml.GatewayConfiguration(
                    vpn_connection_id=self.id,
                    vpn_connection_type=self.type,
                    customer_gateway_id=self.customer_gateway_id,
                    customer_gateway_ip=self.customer_gateway_ip,
                    customer_gateway_asn=self.customer_gateway_asn,
                    gateway_asn=self.gateway_asn,
                    static_routes_only=self.static_routes_only,
                    tunnels=self.tunnels,
                    vpn_gateway_id=self.vpn_gateway_id,
                    transit_gateway_id=self.transit_gateway_id,
                )
            )
        return self._configuration_xml

    @property
    def gateway_id(self) -> str | None:
        """The virtual private gateway or transit gateway this connection ends on."""
        return self.vpn_gateway_id or self.transit_gateway_id

    def tunnel_by_outside_ip(self, outside_ip: str) -> VpnTunnel | None:
        return next((tunnel for tunnel in self.tunnels if tunnel.outside_ip == outside_ip), None)

    def get_filter_value(self, filter_name: str, method_name: str | None = None) -> Any:
        values = {
            "vpn-connection-id": self.id,
            "state": self.state,
            "type": self.type,
            "customer-gateway-id": self.customer_gateway_id,
            "customer-gateway-configuration": self.customer_gateway_configuration,
            "vpn-gateway-id": self.vpn_gateway_id,
            "transit-gateway-id": self.transit_gateway_id,
            "option.static-routes-only": str(self.static_routes_only).lower(),
            "route.destination-cidr-block": [route.destination_cidr_block for route in self.static_routes],
            "bgp-asn": str(self.customer_gateway_asn),
        }
        if filter_name in values:
            return values[filter_name]
        return super().get_filter_value(filter_name, method_name)

    # --- CloudFormation -----------------------------------------------------------------
    @classmethod
    def create_in(cls, backend: Any, properties: dict[str, Any]) -> TwinVpnConnection:
        options = {
            "StaticRoutesOnly": properties.get("StaticRoutesOnly", False),
            "TunnelOptions": properties.get("VpnTunnelOptionsSpecifications") or [],
        }
        for name in (
            "EnableAcceleration",
            "LocalIpv4NetworkCidr",
            "RemoteIpv4NetworkCidr",
            "OutsideIpAddressType",
            "TunnelInsideIpVersion",
        ):
            if name in properties:
                options[name] = properties[name]
        return backend.create_vpn_connection(
            properties.get("Type", "ipsec.1"),
            properties.get("CustomerGatewayId"),
            vpn_gateway_id=properties.get("VpnGatewayId"),
            transit_gateway_id=properties.get("TransitGatewayId"),
            tags=tags_of(properties),
            options=options,
        )

    def delete_in(self, backend: Any) -> None:
        backend.delete_vpn_connection(self.id)


def outside_ips_in_use() -> set[str]:
    """Tunnel outside IPs of every connection not deleted, in every account and region."""
    return {
        tunnel.outside_ip
        for backend in all_ec2_backends()
        for connection in backend.vpn_connections.values()
        if connection.state != "deleted"
        for tunnel in (getattr(connection, "tunnels", None) or [])
    }


def live_connections() -> list[TwinVpnConnection]:
    """Every connection not deleted, in every account and region."""
    return [
        connection
        for backend in all_ec2_backends()
        for connection in list(backend.vpn_connections.values())
        if isinstance(connection, TwinVpnConnection) and connection.state != "deleted"
    ]


def find_vpn_connection(vpn_connection_id: str) -> TwinVpnConnection | None:
    """A connection by id, whichever account and region holds it."""
    for backend in all_ec2_backends():
        connection = backend.vpn_connections.get(vpn_connection_id)
        if isinstance(connection, TwinVpnConnection):
            return connection
    return None


class VpnConnectionBackend:
    """EC2 backend mixin: AWS-like VPN connections and their static routes."""

    vpn_connections: dict[str, Any]

    def create_vpn_connection(
        self,
        vpn_conn_type: str,
        customer_gateway_id: str,
        vpn_gateway_id: str | None = None,
        transit_gateway_id: str | None = None,
        tags: dict[str, str] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> TwinVpnConnection:
        options = dict(options or {})
        if vpn_conn_type not in CONNECTION_TYPES:
            raise InvalidParameterValue(f"Value ({vpn_conn_type}) for parameter type is invalid.")
        if not customer_gateway_id:
            raise MissingParameterError("customerGatewayId")
        if vpn_gateway_id and transit_gateway_id:
            raise InvalidParameterValue("The request must not contain both parameter vpnGatewayId and transitGatewayId")
        if not (vpn_gateway_id or transit_gateway_id):
            raise MissingParameterError("vpnGatewayId or transitGatewayId")
        if vpn_gateway_id and _as_bool(options.get("EnableAcceleration", False)):
            # Acceleration (AWS Global Accelerator) exists for transit gateway VPNs only, and AWS
            # refuses it on a virtual private gateway rather than creating a plain connection.
            raise InvalidParameterCombination(
                "Acceleration is only supported for VPN connections attached to a transit gateway."
            )

        customer_gateway = self._live_customer_gateway(customer_gateway_id)
        gateway_asn = self._gateway_asn(vpn_gateway_id, transit_gateway_id)
        requests = self._tunnel_requests(options, vpn_gateway_id or transit_gateway_id)

        try:
            outside = outside_ips.allocate(len(requests), outside_ips_in_use())
            generated_cidrs = iter(allocate_inside_cidrs(len(requests), self._inside_cidrs_in_use()))
        except AddressPoolExhausted as error:
            raise EC2ClientError("VpnConnectionLimitExceeded", str(error)) from error
        tunnels = [
            VpnTunnel(
                outside_ip=outside_ip,
                inside_cidr=request.inside_cidr or next(generated_cidrs),
                pre_shared_key=request.pre_shared_key or generate_pre_shared_key(),
                options=request.options,
            )
            for outside_ip, request in zip(outside, requests, strict=True)
        ]

        connection = TwinVpnConnection(
            self,
            random_vpn_connection_id(),
            vpn_conn_type,
            customer_gateway_id,
            tunnels=tunnels,
            customer_gateway_ip=customer_gateway.ip_address,
            customer_gateway_asn=int(customer_gateway.bgp_asn),
            gateway_asn=gateway_asn,
            static_routes_only=_as_bool(options.get("StaticRoutesOnly", False)),
            local_ipv4_network_cidr=_ipv4_cidr(
                "LocalIpv4NetworkCidr", options.get("LocalIpv4NetworkCidr") or DEFAULT_NETWORK_CIDR
            ),
            remote_ipv4_network_cidr=_ipv4_cidr(
                "RemoteIpv4NetworkCidr", options.get("RemoteIpv4NetworkCidr") or DEFAULT_NETWORK_CIDR
            ),
            enable_acceleration=_as_bool(options.get("EnableAcceleration", False)),
            vpn_gateway_id=vpn_gateway_id,
            transit_gateway_id=transit_gateway_id,
            tags=tags,
        )
        self.vpn_connections[connection.id] = connection
        if transit_gateway_id:
            self.create_transit_gateway_vpn_attachment(  # type: ignore[attr-defined]
                vpn_id=connection.id, transit_gateway_id=transit_gateway_id
            )
        return connection

    def _live_customer_gateway(self, customer_gateway_id: str) -> Any:
        customer_gateway = self.get_customer_gateway(customer_gateway_id)  # type: ignore[attr-defined]
        if customer_gateway.state == "deleted":
            raise InvalidCustomerGatewayIdError(customer_gateway_id)
        return customer_gateway

    def _gateway_asn(self, vpn_gateway_id: str | None, transit_gateway_id: str | None) -> int:
        if vpn_gateway_id:
            gateway = self.get_vpn_gateway(vpn_gateway_id)  # type: ignore[attr-defined]
            if gateway.state == "deleted":
                raise InvalidVpnGatewayIdError(vpn_gateway_id)
            return int(gateway.amazon_side_asn or 64512)
        transit_gateway = self.transit_gateways.get(transit_gateway_id)  # type: ignore[attr-defined]
        if transit_gateway is None or transit_gateway.state == "deleted":
            raise InvalidTransitGatewayID(transit_gateway_id)
        return int(transit_gateway.options.get("AmazonSideAsn", 64512))

    def _tunnel_requests(self, options: Mapping[str, Any], gateway_id: str | None) -> list[Any]:
        for name, supported in (("TunnelInsideIpVersion", "ipv4"), ("OutsideIpAddressType", "PublicIpv4")):
            if options.get(name) not in (None, "", supported):
                raise InvalidParameterValue(
                    f"Value ({options[name]}) for parameter {name} is invalid. The twin supports {supported} only."
                )
        try:
            requests = parse_tunnel_requests(options.get("TunnelOptions"))
        except InvalidTunnelParameter as error:
            raise InvalidParameterValue(str(error)) from error
        # AWS: given inside CIDRs are unique across the connections of one gateway.
        on_gateway = self._inside_cidrs_in_use(gateway_id)
        for request in requests:
            if request.inside_cidr in on_gateway:
                raise InvalidParameterValue(
                    f"Value for parameter TunnelInsideCidr is invalid. {request.inside_cidr} is already "
                    f"used by another VPN connection of {gateway_id}."
                )
        return requests

    def _inside_cidrs_in_use(self, gateway_id: str | None = None) -> set[str]:
        return {
            tunnel.inside_cidr
            for connection in self.vpn_connections.values()
            if connection.state != "deleted"
            and isinstance(connection, TwinVpnConnection)
            and (gateway_id is None or connection.gateway_id == gateway_id)
            for tunnel in connection.tunnels
        }

    def get_vpn_connection(self, vpn_connection_id: str) -> TwinVpnConnection:
        connection = self.vpn_connections.get(vpn_connection_id)
        if connection is None:
            raise InvalidVpnConnectionIdError(vpn_connection_id)
        return connection

    def _live_vpn_connection(self, vpn_connection_id: str) -> TwinVpnConnection:
        connection = self.get_vpn_connection(vpn_connection_id)
        if connection.state == "deleted" or not isinstance(connection, TwinVpnConnection):
            raise InvalidVpnConnectionIdError(vpn_connection_id)
        return connection

    def delete_vpn_connection(self, vpn_connection_id: str) -> TwinVpnConnection:
        connection = self.get_vpn_connection(vpn_connection_id)
        connection.state = "deleted"
        for route in getattr(connection, "static_routes", None) or []:
            route.state = "deleted"
        if connection.transit_gateway_id:
            for attachment in self.transit_gateway_attachments.values():  # type: ignore[attr-defined]
                if attachment.resource_id == connection.id:
                    attachment.state = "deleted"
        return connection

    def create_vpn_connection_route(self, vpn_connection_id: str, destination_cidr_block: str) -> VpnStaticRoute:
        connection = self._live_vpn_connection(vpn_connection_id)
        cidr = _ipv4_cidr("DestinationCidrBlock", destination_cidr_block)
        for route in connection.static_routes:
            if route.destination_cidr_block == cidr:
                # Creating a route that exists changes nothing, as on AWS.
                return route
        route = VpnStaticRoute(destination_cidr_block=cidr)
        connection.static_routes.append(route)
        return route

    def delete_vpn_connection_route(self, vpn_connection_id: str, destination_cidr_block: str) -> None:
        connection = self._live_vpn_connection(vpn_connection_id)
        cidr = _ipv4_cidr("DestinationCidrBlock", destination_cidr_block)
        for route in connection.static_routes:
            if route.destination_cidr_block == cidr:
                connection.static_routes.remove(route)
                return
        raise InvalidVpnConnectionRouteError(vpn_connection_id, cidr)


def install() -> None:
    """Use :class:`VpnConnectionBackend` in every EC2 backend; register the CFN type."""
    extend_ec2_backend(VpnConnectionBackend)
    cfn_registry.refresh()
