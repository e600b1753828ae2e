"""GetVpnConnectionDeviceTypes and GetVpnConnectionDeviceSampleConfiguration.

The console's "Download configuration" (the lab's own step before it configures IDC-CGW) is
these two calls: the device types AWS has samples for, and the sample for one of them filled
in with the connection's values. moto has neither (an HTML 500). Here the twin knows the
three device types the lab and its exercises use (Openswan, which Libreswan reads; strongSwan;
Generic) and renders each sample from the connection's real tunnels: outside addresses,
pre-shared keys, inside addresses and lifetimes, tunnel 1 first. The Openswan sample keeps
the settings of AWS's (``../shared/reference/FACTS.md``, "AWS's generic Openswan sample");
the wording around them is the twin's own, and the type ids are the twin's (AWS's are opaque).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError, InvalidVpnConnectionIdError
from moto.ec2.responses._base_response import EC2BaseResponse

from labbox.cloud.vpn_ec2_classes import extend_ec2_response
from labbox.cloud.vpn_tunnels import VpnTunnel


@dataclass(frozen=True)
class DeviceType:
    type_id: str
    vendor: str
    platform: str
    software: str

    def as_api(self) -> dict[str, str]:
        return {
            "VpnConnectionDeviceTypeId": self.type_id,
            "Vendor": self.vendor,
            "Platform": self.platform,
            "Software": self.software,
        }


OPENSWAN = DeviceType("0a1b2c3d", "Openswan", "Openswan", "Openswan 2.6.38+")
STRONGSWAN = DeviceType("1b2c3d4e", "Strongswan", "Ubuntu 16.04", "Strongswan 5.5.1+")
GENERIC = DeviceType("9f8e7d6c", "Generic", "Generic", "Vendor Agnostic")
DEVICE_TYPES = (GENERIC, OPENSWAN, STRONGSWAN)


class UnknownDeviceType(EC2ClientError):
    def __init__(self, type_id: str) -> None:
        super().__init__("InvalidParameterValue", f"Invalid VPN connection device type id: {type_id}")


def _header(connection: Any, device: DeviceType) -> str:
    gateway = connection.vpn_gateway_id or connection.transit_gateway_id
    kind = "Virtual Private Gateway" if connection.vpn_gateway_id else "Transit Gateway"
    return (
        f"Amazon Web Services - Site-to-Site VPN\n"
        f"Sample configuration for {device.vendor} / {device.platform} / {device.software}\n\n"
        f"Your VPN Connection ID  : {connection.id}\n"
        f"Your {kind} ID : {gateway}\n"
        f"Your Customer Gateway ID : {connection.customer_gateway_id}\n\n"
        "This configuration consists of two tunnels. Configure both on your customer gateway.\n"
    )


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}h" if seconds % 3600 == 0 else f"{seconds}s"


def _openswan(connection: Any, tunnels: list[VpnTunnel]) -> str:
    cgw = connection.customer_gateway_ip
    conns, secrets = [], []
    for number, tunnel in enumerate(tunnels, start=1):
        conns.append(
            f"conn Tunnel{number}\n"
            "\tauthby=secret\n\tauto=start\n\tleft=%defaultroute\n"
            f"\tleftid={cgw}\n\tright={tunnel.outside_ip}\n\ttype=tunnel\n"
            f"\tikelifetime={_hours(tunnel.option('Phase1LifetimeSeconds'))}\n"
            f"\tkeylife={_hours(tunnel.option('Phase2LifetimeSeconds'))}\n"
            "\tphase2alg=aes128-sha1;modp1024\n\tike=aes128-sha1;modp1024\n"
            "\tkeyingtries=%forever\n\tkeyexchange=ike\n"
            "\tleftsubnet=<LOCAL NETWORK>\n\trightsubnet=<REMOTE NETWORK>\n"
            f"\tdpddelay=10\n\tdpdtimeout={tunnel.option('DpdTimeoutSeconds')}\n\tdpdaction=restart_by_peer\n"
        )
        secrets.append(f'{cgw} {tunnel.outside_ip}: PSK "{tunnel.pre_shared_key}"\n')
    return (
        "1) Enable packet forwarding in /etc/sysctl.conf and apply it (sysctl -p):\n"
        "\tnet.ipv4.ip_forward = 1\n\tnet.ipv4.conf.default.rp_filter = 0\n"
        "\tnet.ipv4.conf.default.accept_source_route = 0\n\n"
        "2) Append to /etc/ipsec.d/aws.conf (leftsubnet: the network behind this gateway; rightsubnet:\n"
        "   the VPC's network). Only one of two policy-based tunnels with the same subnets is up at a time.\n\n"
        + "\n".join(conns)
        + "\n3) Append to /etc/ipsec.d/aws.secrets:\n\n"
        + "".join(secrets)
        + "\n4) Clamp TCP MSS to 1379 on traffic into the tunnels, and restart ipsec.\n"
    )


def _strongswan(connection: Any, tunnels: list[VpnTunnel]) -> str:
    cgw = connection.customer_gateway_ip
    conns, secrets = [], []
    for number, tunnel in enumerate(tunnels, start=1):
        conns.append(
            f"conn Tunnel{number}\n"
            "\tauto=start\n\tleft=%defaultroute\n"
            f"\tleftid={cgw}\n\tright={tunnel.outside_ip}\n\ttype=tunnel\n"
            "\tleftauth=psk\n\trightauth=psk\n\tkeyexchange=ikev1\n"
            "\tike=aes128-sha1-modp1024\n\tesp=aes128-sha1-modp1024\n"
            f"\tikelifetime={_hours(tunnel.option('Phase1LifetimeSeconds'))}\n"
            f"\tlifetime={_hours(tunnel.option('Phase2LifetimeSeconds'))}\n"
            "\tkeyingtries=%forever\n\tleftsubnet=0.0.0.0/0\n\trightsubnet=0.0.0.0/0\n"
            f"\tdpddelay=10s\n\tdpdtimeout={tunnel.option('DpdTimeoutSeconds')}s\n\tdpdaction=restart\n"
            f"\tmark=10{number}\n"
        )
        secrets.append(f'{cgw} {tunnel.outside_ip} : PSK "{tunnel.pre_shared_key}"\n')
    return (
        "1) Append to /etc/ipsec.conf (route-based: each tunnel marks its traffic for its VTI):\n\n"
        + "\n".join(conns)
        + "\n2) Append to /etc/ipsec.secrets:\n\n"
        + "".join(secrets)
        + "\n3) Create the VTIs (tunnel inside addresses):\n"
        + "".join(
            f"\tip link add Tunnel{number} type vti local <LOCAL IP> remote {tunnel.outside_ip} key 10{number}\n"
            f"\tip addr add {tunnel.inside_ip_customer}/30 remote {tunnel.inside_ip_aws}/30 dev Tunnel{number}\n"
            for number, tunnel in enumerate(tunnels, start=1)
        )
    )


def _generic(connection: Any, tunnels: list[VpnTunnel]) -> str:
    parts = []
    for number, tunnel in enumerate(tunnels, start=1):
        parts.append(
            f"IPSec Tunnel #{number}\n"
            "#1: Internet Key Exchange (IKE) configuration\n"
            "\t- Authentication method : Pre-shared key\n"
            f"\t- Pre-Shared Key         : {tunnel.pre_shared_key}\n"
            "\t- Encryption algorithm   : aes-128-cbc\n\t- Authentication algorithm : sha1\n"
            f"\t- Lifetime               : {tunnel.option('Phase1LifetimeSeconds')} seconds\n"
            "\t- Phase 1 negotiation mode : main\n\t- Diffie-Hellman        : Group 2\n"
            "#2: IPSec configuration\n"
            "\t- Protocol               : esp\n\t- Encryption algorithm   : aes-128-cbc\n"
            f"\t- Lifetime               : {tunnel.option('Phase2LifetimeSeconds')} seconds\n"
            "\t- Mode                   : tunnel\n\t- Perfect Forward Secrecy : Diffie-Hellman Group 2\n"
            f"\t- DPD interval 10 s, retries 3; TCP MSS adjustment 1379 bytes\n"
            "#3: Tunnel interface configuration\n"
            f"\t- Customer Gateway outside IP : {connection.customer_gateway_ip}\n"
            f"\t- AWS outside IP              : {tunnel.outside_ip}\n"
            f"\t- Customer Gateway inside IP  : {tunnel.inside_ip_customer}/30\n"
            f"\t- AWS inside IP               : {tunnel.inside_ip_aws}/30\n"
        )
    return "\n".join(parts)


_RENDERERS = {OPENSWAN.type_id: _openswan, STRONGSWAN.type_id: _strongswan, GENERIC.type_id: _generic}


def sample_configuration(connection: Any, type_id: str) -> str:
    """The sample for device type ``type_id``, filled in with ``connection``'s tunnels."""
    device = next((device for device in DEVICE_TYPES if device.type_id == type_id), None)
    if device is None:
        raise UnknownDeviceType(type_id)
    return _header(connection, device) + "\n" + _RENDERERS[type_id](connection, list(connection.tunnels))


class VpnDeviceSampleResponses(EC2BaseResponse):
    """EC2 response mixin: the device types and their samples."""

    def get_vpn_connection_device_types(self) -> ActionResult:
        return ActionResult({"VpnConnectionDeviceTypes": [device.as_api() for device in DEVICE_TYPES]})

    def get_vpn_connection_device_sample_configuration(self) -> ActionResult:
        connection_id = self._get_param("VpnConnectionId")
        connection = self.ec2_backend.vpn_connections.get(connection_id)
        if connection is None or connection.state == "deleted":
            raise InvalidVpnConnectionIdError(connection_id)
        text = sample_configuration(connection, self._get_param("VpnConnectionDeviceTypeId"))
        return ActionResult({"VpnConnectionDeviceSampleConfiguration": text})


def install() -> None:
    extend_ec2_response(VpnDeviceSampleResponses)
