"""AWS-shaped VPN responses for the unit tests.

Fed through botocore's Stubber, which validates them against EC2's service model, so a fixture
that does not look like AWS output fails the test. Addresses come from documentation ranges only
(198.51.100.0/24 for the customer gateway, 203.0.113.0/24 for tunnel outside IPs).
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

# The keys hybridlab.aws.vpn_tunnel_info returns (besides "changed"), as its RETURN documents.
VPN_INFO_KEYS = frozenset(
    {
        "vpn_connection_id",
        "state",
        "customer_gateway_id",
        "customer_gateway_ip",
        "vpn_gateway_id",
        "transit_gateway_id",
        "static_routes_only",
        "routes",
        "tunnels",
    }
)

REGION = "ap-northeast-2"
VPN_ID = "vpn-0f1e2d3c4b5a69788"
CGW_ID = "cgw-0a1b2c3d4e5f60718"
VGW_ID = "vgw-0123456789abcdef0"
CGW_IP = "198.51.100.20"

# AWS's Tunnel 1 and Tunnel 2, in that order.
TUNNEL_1 = {"outside_ip": "203.0.113.12", "inside_cidr": "169.254.12.0/30", "psk": "Tunnel1.example_psk"}
TUNNEL_2 = {"outside_ip": "203.0.113.47", "inside_cidr": "169.254.47.8/30", "psk": "Tunnel2.example_psk"}

STATUS_CHANGED_AT = datetime.datetime(2024, 5, 1, 8, 30, tzinfo=datetime.timezone.utc)

_IPSEC_TUNNEL = """\
  <ipsec_tunnel>
    <customer_gateway>
      <tunnel_outside_address>
        <ip_address>{cgw_ip}</ip_address>
      </tunnel_outside_address>
      <tunnel_inside_address>
        <ip_address>{customer_inside_ip}</ip_address>
        <network_mask>255.255.255.252</network_mask>
        <network_cidr>30</network_cidr>
      </tunnel_inside_address>
    </customer_gateway>
    <vpn_gateway>
      <tunnel_outside_address>
        <ip_address>{outside_ip}</ip_address>
      </tunnel_outside_address>
      <tunnel_inside_address>
        <ip_address>{aws_inside_ip}</ip_address>
        <network_mask>255.255.255.252</network_mask>
        <network_cidr>30</network_cidr>
      </tunnel_inside_address>
    </vpn_gateway>
    <ike>
      <authentication_protocol>sha1</authentication_protocol>
      <encryption_protocol>aes-128-cbc</encryption_protocol>
      <lifetime>28800</lifetime>
      <perfect_forward_secrecy>group2</perfect_forward_secrecy>
      <mode>main</mode>
      <pre_shared_key>{psk}</pre_shared_key>
    </ike>
    <ipsec>
      <protocol>esp</protocol>
      <authentication_protocol>hmac-sha1-96</authentication_protocol>
      <encryption_protocol>aes-128-cbc</encryption_protocol>
      <lifetime>3600</lifetime>
      <perfect_forward_secrecy>group2</perfect_forward_secrecy>
      <mode>tunnel</mode>
      <clear_df_bit>true</clear_df_bit>
      <fragmentation_before_encryption>true</fragmentation_before_encryption>
      <tcp_mss_adjustment>1379</tcp_mss_adjustment>
      <dead_peer_detection>
        <interval>10</interval>
        <retries>3</retries>
      </dead_peer_detection>
    </ipsec>
  </ipsec_tunnel>
"""


def customer_gateway_configuration(tunnels: list[dict[str, str]], cgw_ip: str = CGW_IP) -> str:
    """The XML EC2 returns for a static-routing VGW connection, tunnels in the given order."""
    body = ""
    for tunnel in tunnels:
        network = ipaddress.ip_network(tunnel["inside_cidr"])
        body += _IPSEC_TUNNEL.format(
            cgw_ip=cgw_ip,
            outside_ip=tunnel["outside_ip"],
            aws_inside_ip=network[1],
            customer_inside_ip=network[2],
            psk=tunnel["psk"],
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<vpn_connection id="{VPN_ID}">\n'
        f"  <customer_gateway_id>{CGW_ID}</customer_gateway_id>\n"
        f"  <vpn_gateway_id>{VGW_ID}</vpn_gateway_id>\n"
        "  <vpn_connection_type>ipsec.1</vpn_connection_type>\n"
        "  <vpn_connection_attributes>NoBGPVPNConnection</vpn_connection_attributes>\n"
        f"{body}</vpn_connection>\n"
    )


def _tunnel_options(tunnel: dict[str, str]) -> dict[str, Any]:
    """One Options.TunnelOptions entry with the defaults AWS reports for a new connection."""
    return {
        "OutsideIpAddress": tunnel["outside_ip"],
        "TunnelInsideCidr": tunnel["inside_cidr"],
        "PreSharedKey": tunnel["psk"],
        "Phase1LifetimeSeconds": 28800,
        "Phase2LifetimeSeconds": 3600,
        "RekeyMarginTimeSeconds": 270,
        "RekeyFuzzPercentage": 100,
        "ReplayWindowSize": 1024,
        "DpdTimeoutSeconds": 30,
        "DpdTimeoutAction": "clear",
        "StartupAction": "add",
        "IkeVersions": [{"Value": "ikev1"}, {"Value": "ikev2"}],
        "LogOptions": {"CloudWatchLogOptions": {"LogEnabled": False}},
        "EnableTunnelLifecycleControl": False,
    }


def vpn_connection(
    tunnels: list[dict[str, str]] | None = None,
    options_order: list[int] | None = None,
    statuses: tuple[str, str] = ("DOWN", "DOWN"),
    state: str = "available",
    with_xml: bool = True,
    with_options: bool = True,
) -> dict[str, Any]:
    """One VpnConnection as DescribeVpnConnections returns it.

    ``tunnels`` are in AWS's order (the XML's); ``options_order`` permutes TunnelOptions and
    VgwTelemetry, which EC2 does not promise to keep in that order.
    """
    tunnels = tunnels or [TUNNEL_1, TUNNEL_2]
    order = options_order or list(range(len(tunnels)))
    connection: dict[str, Any] = {
        "VpnConnectionId": VPN_ID,
        "CustomerGatewayId": CGW_ID,
        "VpnGatewayId": VGW_ID,
        "Category": "VPN",
        "State": state,
        "Type": "ipsec.1",
        "GatewayAssociationState": "associated",
        "Routes": [{"DestinationCidrBlock": "10.60.0.0/16", "Source": "Static", "State": "available"}],
        "Tags": [{"Key": "Name", "Value": "hybridlab-vpn"}, {"Key": "hybridlab:lab", "Value": "hybridlab"}],
        "VgwTelemetry": [
            {
                "OutsideIpAddress": tunnels[i]["outside_ip"],
                "Status": statuses[i],
                "StatusMessage": "" if statuses[i] == "UP" else "IPSEC IS DOWN",
                "LastStatusChange": STATUS_CHANGED_AT,
                "AcceptedRouteCount": 1 if statuses[i] == "UP" else 0,
            }
            for i in order
        ],
    }
    if with_options:
        connection["Options"] = {
            "EnableAcceleration": False,
            "StaticRoutesOnly": True,
            "LocalIpv4NetworkCidr": "0.0.0.0/0",
            "RemoteIpv4NetworkCidr": "0.0.0.0/0",
            "OutsideIpAddressType": "PublicIpv4",
            "TunnelInsideIpVersion": "ipv4",
            "TunnelOptions": [_tunnel_options(tunnels[i]) for i in order],
        }
    if with_xml:
        connection["CustomerGatewayConfiguration"] = customer_gateway_configuration(tunnels)
    return connection


def describe_stacks_response(name: str, outputs: dict[str, str], status: str = "CREATE_COMPLETE") -> dict[str, Any]:
    """DescribeStacks for one stack with the given outputs."""
    stack: dict[str, Any] = {
        "StackId": f"arn:aws:cloudformation:{REGION}:123456789012:stack/{name}/5f2f5a30-07c8-11ef-9e7b-0a1b2c3d4e5f",
        "StackName": name,
        "CreationTime": STATUS_CHANGED_AT,
        "StackStatus": status,
        "DisableRollback": False,
        "Tags": [{"Key": "hybridlab:lab", "Value": "hybridlab"}],
    }
    if outputs:
        stack["Outputs"] = [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()]
    return {"Stacks": [stack]}
