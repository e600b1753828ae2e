"""The console's "Download configuration": device types and a sample filled in with the
connection's own tunnels (AWS's API: GetVpnConnectionDeviceTypes, ...SampleConfiguration)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from shapes import assert_matches_output_shape

PSKS = ("tunnel.one_key", "tunnel.two_key")


@pytest.fixture
def connection(ec2) -> dict:
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)["CustomerGateway"]["CustomerGatewayId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    created = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw,
        Options={"StaticRoutesOnly": True, "TunnelOptions": [{"PreSharedKey": PSKS[0]}, {"PreSharedKey": PSKS[1]}]},
    )["VpnConnection"]
    return created


def _types(ec2) -> dict[str, str]:
    answer = ec2.get_vpn_connection_device_types()
    assert_matches_output_shape("ec2", "GetVpnConnectionDeviceTypes", answer)
    return {t["Vendor"]: t["VpnConnectionDeviceTypeId"] for t in answer["VpnConnectionDeviceTypes"]}


def _sample(ec2, connection, vendor: str) -> str:
    return ec2.get_vpn_connection_device_sample_configuration(
        VpnConnectionId=connection["VpnConnectionId"], VpnConnectionDeviceTypeId=_types(ec2)[vendor]
    )["VpnConnectionDeviceSampleConfiguration"]


def test_the_lab_s_device_types_are_offered(ec2) -> None:
    assert {"Openswan", "Strongswan", "Generic"} <= set(_types(ec2))


def test_the_openswan_sample_carries_both_tunnels_real_values(ec2, connection) -> None:
    sample = _sample(ec2, connection, "Openswan")
    outside = [t["OutsideIpAddress"] for t in connection["Options"]["TunnelOptions"]]
    assert connection["VpnConnectionId"] in sample
    for number, (address, psk) in enumerate(zip(outside, PSKS), start=1):
        assert f"conn Tunnel{number}\n" in sample and f"right={address}\n" in sample
        assert f'198.51.100.7 {address}: PSK "{psk}"' in sample
    assert "leftid=198.51.100.7" in sample and "ikelifetime=8h" in sample and "keylife=1h" in sample
    assert sample.index("conn Tunnel1") < sample.index("conn Tunnel2")


@pytest.mark.parametrize("vendor", ["Strongswan", "Generic"])
def test_the_other_samples_name_the_tunnels_and_keys(ec2, connection, vendor) -> None:
    sample = _sample(ec2, connection, vendor)
    for tunnel, psk in zip(connection["Options"]["TunnelOptions"], PSKS):
        assert tunnel["OutsideIpAddress"] in sample and psk in sample


def test_unknown_connection_or_device_type_is_refused(ec2, connection) -> None:
    with pytest.raises(ClientError) as unknown_connection:
        ec2.get_vpn_connection_device_sample_configuration(VpnConnectionId="vpn-0123456789abcdef0", VpnConnectionDeviceTypeId=_types(ec2)["Generic"])
    assert unknown_connection.value.response["Error"]["Code"] == "InvalidVpnConnectionID.NotFound"
    with pytest.raises(ClientError) as unknown_type:
        ec2.get_vpn_connection_device_sample_configuration(VpnConnectionId=connection["VpnConnectionId"], VpnConnectionDeviceTypeId="ffffffff")
    assert unknown_type.value.response["Error"]["Code"] == "InvalidParameterValue"
