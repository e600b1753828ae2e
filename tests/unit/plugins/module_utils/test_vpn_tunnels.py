"""Describing a VPN connection and joining its tunnel data in AWS's tunnel order."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import VpnTunnelError
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import describe_customer_gateway_ip
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import describe_vpn_connection
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import inside_addresses
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import needs_customer_gateway_lookup
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import pre_shared_keys
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import vpn_connection_tunnels
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_INFO_KEYS
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import CGW_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import CGW_IP
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_1
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_2
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VGW_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import customer_gateway_configuration
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import vpn_connection

TUNNEL_KEYS = {
    "outside_ip",
    "inside_cidr",
    "inside_ip_aws",
    "inside_ip_customer",
    "status",
    "status_message",
    "last_status_change",
    "accepted_route_count",
}


def _outside_ips(info: dict[str, Any]) -> list[str]:
    return [tunnel["outside_ip"] for tunnel in info["tunnels"]]


# --- describing through the EC2 API -----------------------------------------------------------


def test_describe_vpn_connection_returns_the_connection(aws) -> None:
    connection = vpn_connection()
    aws.queue_vpn_connection(connection)

    described = describe_vpn_connection(aws.client("ec2"), VPN_ID)

    assert described["VpnConnectionId"] == VPN_ID
    assert described["Options"]["TunnelOptions"][0]["OutsideIpAddress"] == TUNNEL_1["outside_ip"]


def test_describe_unknown_vpn_connection_returns_none(aws) -> None:
    aws("ec2").add_client_error(
        "describe_vpn_connections",
        service_error_code="InvalidVpnConnectionID.NotFound",
        service_message=f"The vpnConnection ID '{VPN_ID}' does not exist",
        expected_params={"VpnConnectionIds": [VPN_ID]},
    )

    assert describe_vpn_connection(aws.client("ec2"), VPN_ID) is None


def test_describe_failure_raises_an_error_naming_the_call(aws) -> None:
    aws("ec2").add_client_error("describe_vpn_connections", service_error_code="UnauthorizedOperation", http_status_code=403)

    with pytest.raises(VpnTunnelError, match="Failed to describe VPN connection"):
        describe_vpn_connection(aws.client("ec2"), VPN_ID)


def test_describe_retries_when_throttled(aws, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(cloud.time, "sleep", sleeps.append)
    aws("ec2").add_client_error("describe_vpn_connections", service_error_code="RequestLimitExceeded", http_status_code=503)
    aws.queue_vpn_connection(vpn_connection())

    described = describe_vpn_connection(aws.client("ec2"), VPN_ID)

    assert described["VpnConnectionId"] == VPN_ID
    assert len(sleeps) == 1


def test_describe_customer_gateway_ip(aws) -> None:
    aws("ec2").add_response(
        "describe_customer_gateways",
        {"CustomerGateways": [{"CustomerGatewayId": CGW_ID, "IpAddress": CGW_IP, "BgpAsn": "65000", "State": "available", "Type": "ipsec.1"}]},
        {"CustomerGatewayIds": [CGW_ID]},
    )

    assert describe_customer_gateway_ip(aws.client("ec2"), CGW_ID) == CGW_IP


def test_describe_unknown_customer_gateway_ip_returns_none(aws) -> None:
    aws("ec2").add_client_error("describe_customer_gateways", service_error_code="InvalidCustomerGatewayID.NotFound")

    assert describe_customer_gateway_ip(aws.client("ec2"), CGW_ID) is None


# --- joining the tunnel data ------------------------------------------------------------------


def test_result_has_exactly_the_agreed_keys() -> None:
    info = vpn_connection_tunnels(vpn_connection())

    assert set(info) == VPN_INFO_KEYS
    assert [set(tunnel) for tunnel in info["tunnels"]] == [TUNNEL_KEYS, TUNNEL_KEYS]


def test_tunnels_follow_the_xml_order_when_tunnel_options_are_in_another_order() -> None:
    connection = vpn_connection(options_order=[1, 0], statuses=("DOWN", "UP"))
    assert connection["Options"]["TunnelOptions"][0]["OutsideIpAddress"] == TUNNEL_2["outside_ip"]

    info = vpn_connection_tunnels(connection, include_pre_shared_keys=True)

    assert _outside_ips(info) == [TUNNEL_1["outside_ip"], TUNNEL_2["outside_ip"]]
    assert [tunnel["inside_cidr"] for tunnel in info["tunnels"]] == [TUNNEL_1["inside_cidr"], TUNNEL_2["inside_cidr"]]
    assert [tunnel["pre_shared_key"] for tunnel in info["tunnels"]] == [TUNNEL_1["psk"], TUNNEL_2["psk"]]
    # Telemetry joins by outside IP, not by position: Tunnel 2 is the one that is up.
    assert [tunnel["status"] for tunnel in info["tunnels"]] == ["DOWN", "UP"]


def test_tunnels_follow_tunnel_options_when_there_is_no_xml() -> None:
    connection = vpn_connection(options_order=[1, 0], with_xml=False)

    info = vpn_connection_tunnels(connection)

    assert _outside_ips(info) == [TUNNEL_2["outside_ip"], TUNNEL_1["outside_ip"]]


def test_tunnel_options_decide_when_the_xml_describes_other_tunnels() -> None:
    connection = vpn_connection()
    stale = [dict(TUNNEL_1, outside_ip="203.0.113.200"), dict(TUNNEL_2, outside_ip="203.0.113.201")]
    connection["CustomerGatewayConfiguration"] = customer_gateway_configuration(stale)

    info = vpn_connection_tunnels(connection)

    assert _outside_ips(info) == [TUNNEL_1["outside_ip"], TUNNEL_2["outside_ip"]]


def test_telemetry_names_the_tunnels_when_nothing_else_does() -> None:
    connection = vpn_connection(with_xml=False, with_options=False, statuses=("UP", "DOWN"))

    info = vpn_connection_tunnels(connection)

    assert _outside_ips(info) == [TUNNEL_1["outside_ip"], TUNNEL_2["outside_ip"]]
    assert [tunnel["status"] for tunnel in info["tunnels"]] == ["UP", "DOWN"]
    assert info["tunnels"][0]["inside_cidr"] is None
    assert info["static_routes_only"] is None


def test_inside_addresses_are_the_first_two_hosts_of_the_inside_cidr() -> None:
    info = vpn_connection_tunnels(vpn_connection())

    first, second = info["tunnels"]
    assert (first["inside_ip_aws"], first["inside_ip_customer"]) == ("169.254.12.1", "169.254.12.2")
    assert (second["inside_ip_aws"], second["inside_ip_customer"]) == ("169.254.47.9", "169.254.47.10")


@pytest.mark.parametrize(
    ("inside_cidr", "expected"),
    [("169.254.100.4/30", ("169.254.100.5", "169.254.100.6")), (None, (None, None)), ("", (None, None))],
)
def test_inside_addresses(inside_cidr: str | None, expected: tuple[str | None, str | None]) -> None:
    assert inside_addresses(inside_cidr) == expected


def test_inside_cidr_comes_from_the_xml_when_tunnel_options_are_absent() -> None:
    info = vpn_connection_tunnels(vpn_connection(with_options=False))

    assert [tunnel["inside_cidr"] for tunnel in info["tunnels"]] == [TUNNEL_1["inside_cidr"], TUNNEL_2["inside_cidr"]]
    assert info["tunnels"][1]["inside_ip_customer"] == "169.254.47.10"


def test_pre_shared_keys_are_left_out_unless_asked_for() -> None:
    info = vpn_connection_tunnels(vpn_connection())

    assert all("pre_shared_key" not in tunnel for tunnel in info["tunnels"])
    assert TUNNEL_1["psk"] not in repr(info) and TUNNEL_2["psk"] not in repr(info)


def test_pre_shared_key_comes_from_the_xml_when_tunnel_options_lack_it() -> None:
    connection = vpn_connection()
    for option in connection["Options"]["TunnelOptions"]:
        del option["PreSharedKey"]

    info = vpn_connection_tunnels(connection, include_pre_shared_keys=True)

    assert [tunnel["pre_shared_key"] for tunnel in info["tunnels"]] == [TUNNEL_1["psk"], TUNNEL_2["psk"]]


def test_pre_shared_key_in_tunnel_options_wins_over_the_xml() -> None:
    connection = vpn_connection()
    connection["Options"]["TunnelOptions"][0]["PreSharedKey"] = "Rotated.key_1"

    info = vpn_connection_tunnels(connection, include_pre_shared_keys=True)

    assert info["tunnels"][0]["pre_shared_key"] == "Rotated.key_1"


def test_pre_shared_keys_collects_every_key_wherever_it_appears() -> None:
    connection = vpn_connection()
    connection["Options"]["TunnelOptions"][0]["PreSharedKey"] = "Rotated.key_1"

    assert pre_shared_keys(connection) == {"Rotated.key_1", TUNNEL_1["psk"], TUNNEL_2["psk"]}


def test_customer_gateway_ip_comes_from_the_xml() -> None:
    connection = vpn_connection()

    assert vpn_connection_tunnels(connection, customer_gateway_ip="198.51.100.99")["customer_gateway_ip"] == CGW_IP
    assert needs_customer_gateway_lookup(connection) is False


def test_customer_gateway_ip_falls_back_to_the_looked_up_address_without_xml() -> None:
    connection = vpn_connection(with_xml=False)

    assert needs_customer_gateway_lookup(connection) is True
    assert vpn_connection_tunnels(connection, customer_gateway_ip=CGW_IP)["customer_gateway_ip"] == CGW_IP


def test_unreadable_xml_is_ignored_with_a_warning_that_shows_no_key() -> None:
    connection = vpn_connection(options_order=[1, 0])
    connection["CustomerGatewayConfiguration"] = connection["CustomerGatewayConfiguration"].replace("</ike>", "", 1)
    warnings: list[str] = []

    info = vpn_connection_tunnels(connection, warn=warnings.append)

    assert _outside_ips(info) == [TUNNEL_2["outside_ip"], TUNNEL_1["outside_ip"]]
    assert len(warnings) == 1 and VPN_ID in warnings[0]
    assert TUNNEL_1["psk"] not in warnings[0] and TUNNEL_2["psk"] not in warnings[0]


def test_connection_details_and_routes_are_reported() -> None:
    info = vpn_connection_tunnels(vpn_connection(state="pending"))

    assert info["vpn_connection_id"] == VPN_ID
    assert info["state"] == "pending"
    assert info["customer_gateway_id"] == CGW_ID
    assert info["vpn_gateway_id"] == VGW_ID
    assert info["transit_gateway_id"] is None
    assert info["static_routes_only"] is True
    assert info["routes"] == [{"destination_cidr_block": "10.60.0.0/16", "source": "Static", "state": "available"}]


def test_telemetry_fields_are_json_ready() -> None:
    tunnel = vpn_connection_tunnels(vpn_connection(statuses=("UP", "DOWN")))["tunnels"][0]

    assert tunnel["status"] == "UP"
    assert tunnel["status_message"] == ""
    assert tunnel["last_status_change"] == "2024-05-01T08:30:00+00:00"
    assert tunnel["accepted_route_count"] == 1


def test_transit_gateway_connection_reports_its_gateway() -> None:
    connection = vpn_connection()
    del connection["VpnGatewayId"]
    connection["TransitGatewayId"] = "tgw-0123456789abcdef0"

    info = vpn_connection_tunnels(connection)

    assert info["vpn_gateway_id"] is None
    assert info["transit_gateway_id"] == "tgw-0123456789abcdef0"
