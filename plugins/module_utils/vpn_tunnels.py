# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A site-to-site VPN connection seen from the customer gateway: its two tunnels, in AWS's order.

EC2 spreads what a customer gateway needs over three parts of DescribeVpnConnections:
``Options.TunnelOptions`` (outside IP, inside CIDR, PSK), ``VgwTelemetry`` (each tunnel's
status, keyed by outside IP) and the ``CustomerGatewayConfiguration`` XML (the tunnels in the
numbering AWS uses everywhere else, the customer gateway's IP, and PSKs). This module joins them
into one record per tunnel.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridlab.aws.plugins.module_utils.aws_errors import error_handler
from ansible_collections.hybridlab.aws.plugins.module_utils.cgw_configuration import CustomerGatewayConfigurationError
from ansible_collections.hybridlab.aws.plugins.module_utils.cgw_configuration import parse_customer_gateway_configuration

Record = Dict[str, Any]


class VpnTunnelError(AnsibleAWSError):
    """Looking up a VPN connection or its customer gateway failed."""


# amazon.aws's own describe_vpn_connections helper treats only InvalidVpcID.NotFound as
# "missing", so an unknown VPN ID would surface as a failure rather than as None.
_VpnConnectionErrorHandler = error_handler(VpnTunnelError, "InvalidVpnConnectionID.NotFound")
_CustomerGatewayErrorHandler = error_handler(VpnTunnelError, "InvalidCustomerGatewayID.NotFound")


@_VpnConnectionErrorHandler.list_error_handler("describe VPN connection", None)
@AWSRetry.jittered_backoff()
def describe_vpn_connection(client: Any, vpn_connection_id: str) -> Optional[Record]:
    """The connection as DescribeVpnConnections returns it, or None when EC2 does not know it."""
    connections = client.describe_vpn_connections(VpnConnectionIds=[vpn_connection_id])["VpnConnections"]
    return connections[0] if connections else None


@_CustomerGatewayErrorHandler.list_error_handler("describe customer gateway", None)
@AWSRetry.jittered_backoff()
def describe_customer_gateway_ip(client: Any, customer_gateway_id: str) -> Optional[str]:
    """The customer gateway's outside IP address, or None when EC2 does not know the gateway."""
    gateways = client.describe_customer_gateways(CustomerGatewayIds=[customer_gateway_id])["CustomerGateways"]
    return gateways[0].get("IpAddress") if gateways else None


def inside_addresses(inside_cidr: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """The (AWS side, customer side) inside addresses of a tunnel's /30.

    AWS takes the first host address of the inside CIDR for the virtual private gateway and
    leaves the second to the customer gateway.
    """
    if not inside_cidr:
        return None, None
    network = ipaddress.ip_network(inside_cidr, strict=False)
    return str(network.network_address + 1), str(network.network_address + 2)


def _isoformat(value: Any) -> Optional[str]:
    """boto3 gives datetimes; results must be JSON, so render them as ISO 8601."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _parsed_configuration(connection: Record, warn: Optional[Callable[[str], None]]) -> Record:
    """The parsed XML, or an empty parse (with a warning) when it is absent or unreadable."""
    document = connection.get("CustomerGatewayConfiguration")
    if document:
        try:
            return parse_customer_gateway_configuration(document)
        except CustomerGatewayConfigurationError as e:
            if warn is not None:
                warn(f"Ignoring the CustomerGatewayConfiguration of {connection.get('VpnConnectionId')}: {e}")
    return {"customer_gateway_ip": None, "tunnels": []}


def _by_outside_ip(items: List[Record], key: str, outside_ip: Optional[str]) -> Record:
    return next((item for item in items if outside_ip and item.get(key) == outside_ip), {})


def _joined_tunnels(connection: Record, xml_tunnels: List[Record]) -> List[Tuple[Record, Record]]:
    """Pairs of (TunnelOptions entry, XML tunnel) in AWS's tunnel order.

    The XML's order wins when it describes the same outside IPs as TunnelOptions (or when there
    are no TunnelOptions): EC2 does not promise that TunnelOptions follows the tunnel numbering.
    An XML that disagrees with TunnelOptions is stale or foreign, so TunnelOptions then decides.
    """
    options: List[Record] = (connection.get("Options") or {}).get("TunnelOptions") or []
    option_ips = sorted(str(option.get("OutsideIpAddress")) for option in options)
    xml_ips = sorted(str(tunnel.get("outside_ip")) for tunnel in xml_tunnels)
    if xml_tunnels and (not options or option_ips == xml_ips):
        return [(_by_outside_ip(options, "OutsideIpAddress", tunnel["outside_ip"]), tunnel) for tunnel in xml_tunnels]
    if options:
        return [(option, _by_outside_ip(xml_tunnels, "outside_ip", option.get("OutsideIpAddress"))) for option in options]
    # Neither source: the telemetry is all that names the tunnels.
    return [({"OutsideIpAddress": item.get("OutsideIpAddress")}, {}) for item in connection.get("VgwTelemetry") or []]


def _tunnel_record(option: Record, xml_tunnel: Record, telemetry: Record, include_pre_shared_keys: bool) -> Record:
    outside_ip = option.get("OutsideIpAddress") or xml_tunnel.get("outside_ip")
    inside_cidr = option.get("TunnelInsideCidr") or xml_tunnel.get("inside_cidr")
    if inside_cidr:
        inside_cidr = str(ipaddress.ip_network(inside_cidr, strict=False))
    inside_ip_aws, inside_ip_customer = inside_addresses(inside_cidr)
    record: Record = {
        "outside_ip": outside_ip,
        "inside_cidr": inside_cidr,
        "inside_ip_aws": inside_ip_aws,
        "inside_ip_customer": inside_ip_customer,
        "status": telemetry.get("Status"),
        "status_message": telemetry.get("StatusMessage"),
        "last_status_change": _isoformat(telemetry.get("LastStatusChange")),
        "accepted_route_count": telemetry.get("AcceptedRouteCount"),
    }
    if include_pre_shared_keys:
        record["pre_shared_key"] = option.get("PreSharedKey") or xml_tunnel.get("pre_shared_key")
    return record


def pre_shared_keys(connection: Record) -> Set[str]:
    """Every PSK the connection's description carries, wherever it appears.

    A module registers these as no_log values so that none can leak into its output by accident.
    """
    keys = {
        option["PreSharedKey"]
        for option in (connection.get("Options") or {}).get("TunnelOptions") or []
        if option.get("PreSharedKey")
    }
    document = connection.get("CustomerGatewayConfiguration")
    if document:
        try:
            parsed = parse_customer_gateway_configuration(document)
        except CustomerGatewayConfigurationError:
            parsed = {"tunnels": []}
        keys.update(tunnel["pre_shared_key"] for tunnel in parsed["tunnels"] if tunnel["pre_shared_key"])
    return keys


def vpn_connection_tunnels(
    connection: Record,
    include_pre_shared_keys: bool = False,
    customer_gateway_ip: Optional[str] = None,
    warn: Optional[Callable[[str], None]] = None,
) -> Record:
    """The module's view of one VpnConnection from DescribeVpnConnections.

    ``customer_gateway_ip`` is used when the XML does not state it (the caller can look it up
    with describe_customer_gateway_ip). PSKs are included only when asked for.
    """
    parsed = _parsed_configuration(connection, warn)
    telemetry: List[Record] = connection.get("VgwTelemetry") or []
    tunnels = [
        _tunnel_record(
            option,
            xml_tunnel,
            _by_outside_ip(telemetry, "OutsideIpAddress", option.get("OutsideIpAddress") or xml_tunnel.get("outside_ip")),
            include_pre_shared_keys,
        )
        for option, xml_tunnel in _joined_tunnels(connection, parsed["tunnels"])
    ]
    return {
        "vpn_connection_id": connection.get("VpnConnectionId"),
        "state": connection.get("State"),
        "customer_gateway_id": connection.get("CustomerGatewayId"),
        "customer_gateway_ip": parsed["customer_gateway_ip"] or customer_gateway_ip,
        "vpn_gateway_id": connection.get("VpnGatewayId"),
        "transit_gateway_id": connection.get("TransitGatewayId"),
        "static_routes_only": (connection.get("Options") or {}).get("StaticRoutesOnly"),
        "routes": [camel_dict_to_snake_dict(route) for route in connection.get("Routes") or []],
        "tunnels": tunnels,
    }


def needs_customer_gateway_lookup(connection: Record) -> bool:
    """Whether the XML leaves the customer gateway's IP unknown, so EC2 must be asked for it."""
    return bool(connection.get("CustomerGatewayId")) and not _parsed_configuration(connection, None)["customer_gateway_ip"]
