"""Tunnel option requests validated like AWS, and telemetry state changes."""

from __future__ import annotations

import datetime

import pytest

from labbox.cloud.vpn_addresses import InvalidTunnelParameter
from labbox.cloud.vpn_tunnels import (
    DEFAULT_TUNNEL_OPTIONS,
    INITIAL_STATUS_MESSAGE,
    VpnTunnel,
    parse_tunnel_request,
    parse_tunnel_requests,
)


def test_missing_tunnel_requests_are_filled_up_to_two() -> None:
    requests = parse_tunnel_requests([{"PreSharedKey": "cloudneta"}])
    assert len(requests) == 2
    assert requests[0].pre_shared_key == "cloudneta"
    assert requests[1].pre_shared_key is None and requests[1].inside_cidr is None


def test_more_than_two_tunnels_rejected() -> None:
    with pytest.raises(InvalidTunnelParameter):
        parse_tunnel_requests([{}, {}, {}])


def test_same_inside_cidr_on_both_tunnels_rejected() -> None:
    with pytest.raises(InvalidTunnelParameter, match="distinct"):
        parse_tunnel_requests([{"TunnelInsideCidr": "169.254.10.0/30"}, {"TunnelInsideCidr": "169.254.10.0/30"}])


def test_request_spelling_maps_to_describe_spelling() -> None:
    request = parse_tunnel_request(
        {
            "DPDTimeoutSeconds": 40,
            "DPDTimeoutAction": "restart",
            "IKEVersions": [{"Value": "ikev2"}],
            "Phase1DHGroupNumbers": [{"Value": 14}],
            "StartupAction": "start",
        }
    )
    assert request.options == {
        "DpdTimeoutSeconds": 40,
        "DpdTimeoutAction": "restart",
        "IkeVersions": [{"Value": "ikev2"}],
        "Phase1DHGroupNumbers": [{"Value": 14}],
        "StartupAction": "start",
    }


@pytest.mark.parametrize(
    ("spec", "parameter"),
    [
        ({"Phase1LifetimeSeconds": 600}, "Phase1LifetimeSeconds"),
        ({"Phase2LifetimeSeconds": 4000}, "Phase2LifetimeSeconds"),
        ({"Phase1LifetimeSeconds": 3000, "Phase2LifetimeSeconds": 3000}, "Phase2LifetimeSeconds"),
        ({"RekeyMarginTimeSeconds": 2000}, "RekeyMarginTimeSeconds"),
        ({"DPDTimeoutSeconds": 10}, "DPDTimeoutSeconds"),
        ({"DPDTimeoutAction": "explode"}, "DPDTimeoutAction"),
        ({"Phase1EncryptionAlgorithms": [{"Value": "DES"}]}, "Phase1EncryptionAlgorithms"),
        ({"Phase2DHGroupNumbers": [{"Value": 1}]}, "Phase2DHGroupNumbers"),
        ({"IKEVersions": [{"Value": "ikev3"}]}, "IKEVersions"),
        ({"TunnelInsideIpv6Cidr": "fd00::/126"}, "TunnelInsideIpv6Cidr"),
    ],
)
def test_out_of_range_tunnel_options_rejected(spec: dict, parameter: str) -> None:
    with pytest.raises(InvalidTunnelParameter) as caught:
        parse_tunnel_request(spec)
    assert caught.value.parameter == parameter


def test_tunnel_option_reports_defaults_and_requested_values() -> None:
    tunnel = VpnTunnel("203.0.113.5", "169.254.10.0/30", "cloudneta", options={"DpdTimeoutSeconds": 45})
    option = tunnel.tunnel_option()
    assert option["OutsideIpAddress"] == "203.0.113.5"
    assert option["TunnelInsideCidr"] == "169.254.10.0/30"
    assert option["PreSharedKey"] == "cloudneta"
    assert option["DpdTimeoutSeconds"] == 45
    assert option["Phase1LifetimeSeconds"] == DEFAULT_TUNNEL_OPTIONS["Phase1LifetimeSeconds"] == 28800
    # The defaults are copied, never shared: changing one answer cannot change the next.
    option["Phase1EncryptionAlgorithms"].clear()
    assert tunnel.tunnel_option()["Phase1EncryptionAlgorithms"]


def test_new_tunnel_is_down_until_told_otherwise() -> None:
    tunnel = VpnTunnel("203.0.113.5", "169.254.10.0/30", "cloudneta")
    telemetry = tunnel.telemetry()
    assert telemetry["Status"] == "DOWN"
    assert telemetry["StatusMessage"] == INITIAL_STATUS_MESSAGE
    assert telemetry["AcceptedRouteCount"] == 0
    assert telemetry["LastStatusChange"].tzinfo is not None


def test_status_report_updates_every_telemetry_field() -> None:
    tunnel = VpnTunnel("203.0.113.5", "169.254.10.0/30", "cloudneta")
    tunnel.last_status_change = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    tunnel.set_status("UP", "1 BGP ROUTES", accepted_route_count=1)
    assert (tunnel.status, tunnel.status_message, tunnel.accepted_route_count) == ("UP", "1 BGP ROUTES", 1)
    assert tunnel.last_status_change.year >= 2024
    # A report without a route count keeps the last one.
    tunnel.set_status("DOWN")
    assert (tunnel.status, tunnel.status_message, tunnel.accepted_route_count) == ("DOWN", "", 1)


@pytest.mark.parametrize(("status", "count"), [("SIDEWAYS", None), ("up", None), ("UP", -1)])
def test_invalid_status_report_changes_nothing(status: str, count: int | None) -> None:
    tunnel = VpnTunnel("203.0.113.5", "169.254.10.0/30", "cloudneta")
    before = tunnel.telemetry()
    with pytest.raises(ValueError):
        tunnel.set_status(status, "x", count)
    assert tunnel.telemetry() == before
