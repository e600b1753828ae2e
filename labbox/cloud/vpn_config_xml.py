"""The CustomerGatewayConfiguration document: AWS's generic XML for a customer gateway.

Device-specific samples (Openswan, strongSwan, ...) are rendered by AWS from this document,
and tools parse it for the tunnel outside IPs, inside addresses and pre-shared keys. The
twin therefore emits AWS's schema with the connection's real values, tunnel 1 first:
``vpn_connection`` > (``customer_gateway_id``, ``vpn_gateway_id`` or ``transit_gateway_id``,
``vpn_connection_type``, ``vpn_connection_attributes`` for static routing, ``ipsec_tunnel`` x 2).
The IKE/IPsec algorithm names are the ones AWS prints in this document whatever the
connection's permitted algorithms are; lifetimes follow the tunnel's options.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from labbox.cloud.vpn_tunnels import VpnTunnel

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# AWS marks statically routed connections this way; BGP connections have no such element.
STATIC_ROUTING_ATTRIBUTE = "NoBGPVPNConnection"
BGP_HOLD_TIME = 30
TCP_MSS_ADJUSTMENT = 1379
DPD_INTERVAL = 10
DPD_RETRIES = 3


@dataclass(frozen=True)
class GatewayConfiguration:
    """Everything the document states about one VPN connection."""

    vpn_connection_id: str
    vpn_connection_type: str
    customer_gateway_id: str
    customer_gateway_ip: str
    customer_gateway_asn: int
    gateway_asn: int
    static_routes_only: bool
    tunnels: Sequence[VpnTunnel]
    vpn_gateway_id: str | None = None
    transit_gateway_id: str | None = None


def _add(parent: ET.Element, tag: str, text: object | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text).lower() if isinstance(text, bool) else str(text)
    return element


def _add_inside_address(parent: ET.Element, address: str, cidr: str) -> None:
    network = ipaddress.IPv4Network(cidr)
    inside = _add(parent, "tunnel_inside_address")
    _add(inside, "ip_address", address)
    _add(inside, "network_mask", network.netmask)
    _add(inside, "network_cidr", network.prefixlen)


def _add_endpoint(
    tunnel_element: ET.Element,
    tag: str,
    outside_ip: str,
    inside_ip: str,
    tunnel: VpnTunnel,
    asn: int,
    with_bgp: bool,
) -> None:
    endpoint = _add(tunnel_element, tag)
    _add(_add(endpoint, "tunnel_outside_address"), "ip_address", outside_ip)
    _add_inside_address(endpoint, inside_ip, tunnel.inside_cidr)
    if with_bgp:
        bgp = _add(endpoint, "bgp")
        _add(bgp, "asn", asn)
        _add(bgp, "hold_time", BGP_HOLD_TIME)


def _add_tunnel(root: ET.Element, config: GatewayConfiguration, tunnel: VpnTunnel) -> None:
    with_bgp = not config.static_routes_only
    element = _add(root, "ipsec_tunnel")
    _add_endpoint(
        element,
        "customer_gateway",
        config.customer_gateway_ip,
        tunnel.inside_ip_customer,
        tunnel,
        config.customer_gateway_asn,
        with_bgp,
    )
    _add_endpoint(element, "vpn_gateway", tunnel.outside_ip, tunnel.inside_ip_aws, tunnel, config.gateway_asn, with_bgp)

    ike = _add(element, "ike")
    _add(ike, "authentication_protocol", "sha1")
    _add(ike, "encryption_protocol", "aes-128-cbc")
    _add(ike, "lifetime", tunnel.option("Phase1LifetimeSeconds"))
    _add(ike, "perfect_forward_secrecy", "group2")
    _add(ike, "mode", "main")
    _add(ike, "pre_shared_key", tunnel.pre_shared_key)

    ipsec = _add(element, "ipsec")
    _add(ipsec, "protocol", "esp")
    _add(ipsec, "authentication_protocol", "hmac-sha1-96")
    _add(ipsec, "encryption_protocol", "aes-128-cbc")
    _add(ipsec, "lifetime", tunnel.option("Phase2LifetimeSeconds"))
    _add(ipsec, "perfect_forward_secrecy", "group2")
    _add(ipsec, "mode", "tunnel")
    _add(ipsec, "clear_df_bit", True)
    _add(ipsec, "fragmentation_before_encryption", True)
    _add(ipsec, "tcp_mss_adjustment", TCP_MSS_ADJUSTMENT)
    dpd = _add(ipsec, "dead_peer_detection")
    _add(dpd, "interval", DPD_INTERVAL)
    _add(dpd, "retries", DPD_RETRIES)


def render(config: GatewayConfiguration) -> str:
    """The document as AWS returns it: XML declaration, two-space indentation."""
    root = ET.Element("vpn_connection", {"id": config.vpn_connection_id})
    _add(root, "customer_gateway_id", config.customer_gateway_id)
    if config.transit_gateway_id:
        _add(root, "transit_gateway_id", config.transit_gateway_id)
    else:
        _add(root, "vpn_gateway_id", config.vpn_gateway_id or "")
    _add(root, "vpn_connection_type", config.vpn_connection_type)
    if config.static_routes_only:
        _add(root, "vpn_connection_attributes", STATIC_ROUTING_ATTRIBUTE)
    for tunnel in config.tunnels:
        _add_tunnel(root, config, tunnel)
    ET.indent(root, space="  ")
    return XML_DECLARATION + ET.tostring(root, encoding="unicode")
