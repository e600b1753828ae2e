"""CustomerGatewayConfiguration: AWS's XML schema, carrying the connection's real values."""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from typing import Any

from labbox.cloud import vpn_config_xml
from labbox.cloud.vpn_tunnels import VpnTunnel


def text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    assert found is not None, f"missing <{path}>"
    return found.text or ""


def parse_tunnels(document: str) -> list[dict[str, Any]]:
    """What a customer gateway script reads from the document, tunnel by tunnel."""
    root = ET.fromstring(document.encode())
    tunnels = []
    for tunnel in root.findall("ipsec_tunnel"):
        cgw_inside = tunnel.find("customer_gateway/tunnel_inside_address")
        vgw_inside = tunnel.find("vpn_gateway/tunnel_inside_address")
        assert cgw_inside is not None and vgw_inside is not None
        tunnels.append(
            {
                "cgw_outside": text(tunnel, "customer_gateway/tunnel_outside_address/ip_address"),
                "vgw_outside": text(tunnel, "vpn_gateway/tunnel_outside_address/ip_address"),
                "cgw_inside": text(cgw_inside, "ip_address"),
                "vgw_inside": text(vgw_inside, "ip_address"),
                "inside_cidr": str(
                    ipaddress.IPv4Network(
                        f"{text(vgw_inside, 'ip_address')}/{text(vgw_inside, 'network_cidr')}", strict=False
                    )
                ),
                "netmask": text(vgw_inside, "network_mask"),
                "psk": text(tunnel, "ike/pre_shared_key"),
                "ike_lifetime": text(tunnel, "ike/lifetime"),
                "ipsec_lifetime": text(tunnel, "ipsec/lifetime"),
                "mss": text(tunnel, "ipsec/tcp_mss_adjustment"),
                "dpd": (
                    text(tunnel, "ipsec/dead_peer_detection/interval"),
                    text(tunnel, "ipsec/dead_peer_detection/retries"),
                ),
                "bgp": tunnel.find("customer_gateway/bgp") is not None,
            }
        )
    return tunnels


def test_xml_matches_describe_output_in_tunnel_order(ec2, vpn_network) -> None:
    vpn_id = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=vpn_network["cgw_id"],
        VpnGatewayId=vpn_network["vgw_id"],
        Options={"StaticRoutesOnly": True, "TunnelOptions": [{"PreSharedKey": "cloudneta"}, {}]},
    )["VpnConnection"]["VpnConnectionId"]
    vpn = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]
    document = vpn["CustomerGatewayConfiguration"]

    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<vpn_connection id="')
    root = ET.fromstring(document.encode())
    assert root.tag == "vpn_connection"
    assert root.get("id") == vpn_id
    assert text(root, "customer_gateway_id") == vpn_network["cgw_id"]
    assert text(root, "vpn_gateway_id") == vpn_network["vgw_id"]
    assert text(root, "vpn_connection_type") == "ipsec.1"
    assert text(root, "vpn_connection_attributes") == "NoBGPVPNConnection"

    tunnels = parse_tunnels(document)
    described = vpn["Options"]["TunnelOptions"]
    assert [t["vgw_outside"] for t in tunnels] == [d["OutsideIpAddress"] for d in described]
    assert [t["vgw_outside"] for t in tunnels] == [d["OutsideIpAddress"] for d in vpn["VgwTelemetry"]]
    assert [t["inside_cidr"] for t in tunnels] == [d["TunnelInsideCidr"] for d in described]
    assert [t["psk"] for t in tunnels] == [d["PreSharedKey"] for d in described]
    assert tunnels[0]["psk"] == "cloudneta"
    for tunnel in tunnels:
        assert tunnel["cgw_outside"] == "198.51.100.10"
        network = ipaddress.IPv4Network(tunnel["inside_cidr"])
        assert tunnel["vgw_inside"] == str(network.network_address + 1)
        assert tunnel["cgw_inside"] == str(network.network_address + 2)
        assert tunnel["netmask"] == "255.255.255.252"
        assert (tunnel["ike_lifetime"], tunnel["ipsec_lifetime"]) == ("28800", "3600")
        assert tunnel["mss"] == "1379"
        assert tunnel["dpd"] == ("10", "3")
        assert tunnel["bgp"] is False


def test_xml_has_every_element_of_aws_generic_schema() -> None:
    tunnels = [
        VpnTunnel("203.0.113.2", "169.254.10.0/30", "first_key"),
        VpnTunnel("203.0.113.3", "169.254.11.0/30", "second_key"),
    ]
    document = vpn_config_xml.render(
        vpn_config_xml.GatewayConfiguration(
            vpn_connection_id="vpn-0123456789abcdef0",
            vpn_connection_type="ipsec.1",
            customer_gateway_id="cgw-0123456789abcdef0",
            customer_gateway_ip="198.51.100.10",
            customer_gateway_asn=65000,
            gateway_asn=64512,
            static_routes_only=False,
            tunnels=tunnels,
            vpn_gateway_id="vgw-0123456789abcdef0",
        )
    )
    tunnel = ET.fromstring(document.encode()).findall("ipsec_tunnel")[0]
    expected = {
        "customer_gateway/tunnel_outside_address/ip_address": "198.51.100.10",
        "customer_gateway/tunnel_inside_address/ip_address": "169.254.10.2",
        "customer_gateway/tunnel_inside_address/network_mask": "255.255.255.252",
        "customer_gateway/tunnel_inside_address/network_cidr": "30",
        "customer_gateway/bgp/asn": "65000",
        "customer_gateway/bgp/hold_time": "30",
        "vpn_gateway/tunnel_outside_address/ip_address": "203.0.113.2",
        "vpn_gateway/tunnel_inside_address/ip_address": "169.254.10.1",
        "vpn_gateway/bgp/asn": "64512",
        "ike/authentication_protocol": "sha1",
        "ike/encryption_protocol": "aes-128-cbc",
        "ike/lifetime": "28800",
        "ike/perfect_forward_secrecy": "group2",
        "ike/mode": "main",
        "ike/pre_shared_key": "first_key",
        "ipsec/protocol": "esp",
        "ipsec/authentication_protocol": "hmac-sha1-96",
        "ipsec/encryption_protocol": "aes-128-cbc",
        "ipsec/lifetime": "3600",
        "ipsec/perfect_forward_secrecy": "group2",
        "ipsec/mode": "tunnel",
        "ipsec/clear_df_bit": "true",
        "ipsec/fragmentation_before_encryption": "true",
        "ipsec/tcp_mss_adjustment": "1379",
        "ipsec/dead_peer_detection/interval": "10",
        "ipsec/dead_peer_detection/retries": "3",
    }
    assert {path: text(tunnel, path) for path in expected} == expected
    # A BGP connection has no static-routing marker.
    assert ET.fromstring(document.encode()).find("vpn_connection_attributes") is None


def test_values_are_escaped_as_xml_text() -> None:
    document = vpn_config_xml.render(
        vpn_config_xml.GatewayConfiguration(
            vpn_connection_id='vpn-"quoted"&<odd>',
            vpn_connection_type="ipsec.1",
            customer_gateway_id="cgw-<x>",
            customer_gateway_ip="198.51.100.10",
            customer_gateway_asn=65000,
            gateway_asn=64512,
            static_routes_only=True,
            tunnels=[VpnTunnel("203.0.113.2", "169.254.10.0/30", "k&y<key>")],
            vpn_gateway_id="vgw-1",
        )
    )
    root = ET.fromstring(document.encode())
    assert root.get("id") == 'vpn-"quoted"&<odd>'
    assert text(root, "customer_gateway_id") == "cgw-<x>"
    assert text(root, "ipsec_tunnel/ike/pre_shared_key") == "k&y<key>"


def test_transit_gateway_connection_names_the_transit_gateway(ec2, vpn_network) -> None:
    tgw_id = ec2.create_transit_gateway(Description="lab", Options={"AmazonSideAsn": 64600})["TransitGateway"][
        "TransitGatewayId"
    ]
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=vpn_network["cgw_id"], TransitGatewayId=tgw_id)[
        "VpnConnection"
    ]
    root = ET.fromstring(vpn["CustomerGatewayConfiguration"].encode())
    assert text(root, "transit_gateway_id") == tgw_id
    assert root.find("vpn_gateway_id") is None
    # Dynamic routing: both sides' BGP ASNs, the transit gateway's on the AWS side.
    assert {text(t, "vpn_gateway/bgp/asn") for t in root.findall("ipsec_tunnel")} == {"64600"}
    assert {text(t, "customer_gateway/bgp/asn") for t in root.findall("ipsec_tunnel")} == {"65000"}
    assert [t["vgw_outside"] for t in parse_tunnels(vpn["CustomerGatewayConfiguration"])] == [
        option["OutsideIpAddress"] for option in vpn["Options"]["TunnelOptions"]
    ]
