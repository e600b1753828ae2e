"""Tunnel telemetry written by the data plane shows up as AWS's VgwTelemetry."""

from __future__ import annotations

import datetime
import json
import urllib.request
from typing import Any

import boto3
import pytest
from shapes import assert_matches_output_shape
from werkzeug.test import Client

from labbox.cloud.server import build_app
from labbox.cloud.telemetry import TelemetryError, set_tunnel_telemetry

ROUTE = "/labbox-api/vpn-telemetry"


@pytest.fixture
def vpn(ec2, vpn_network) -> dict[str, Any]:
    return ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=vpn_network["cgw_id"],
        VpnGatewayId=vpn_network["vgw_id"],
        Options={"StaticRoutesOnly": True},
    )["VpnConnection"]


@pytest.fixture
def client(aws: None) -> Client:
    return Client(build_app())


def telemetry(ec2: Any, vpn_id: str) -> list[dict[str, Any]]:
    response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])
    assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
    return response["VpnConnections"][0]["VgwTelemetry"]


def post(client: Client, body: Any) -> tuple[int, dict[str, Any]]:
    response = client.post(ROUTE, data=json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.data)


def test_tunnel_reported_up_shows_up_in_describe(ec2, vpn) -> None:
    first_ip, second_ip = (entry["OutsideIpAddress"] for entry in vpn["VgwTelemetry"])
    before = telemetry(ec2, vpn["VpnConnectionId"])
    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0)

    entry = set_tunnel_telemetry(vpn["VpnConnectionId"], second_ip, "UP", "", accepted_route_count=1)

    assert entry["Status"] == "UP"
    first, second = telemetry(ec2, vpn["VpnConnectionId"])
    assert first == before[0]
    assert (second["OutsideIpAddress"], second["Status"], second["StatusMessage"], second["AcceptedRouteCount"]) == (
        second_ip,
        "UP",
        "",
        1,
    )
    assert second["LastStatusChange"] >= started
    assert first["OutsideIpAddress"] == first_ip


def test_telemetry_route_updates_the_tunnel(ec2, vpn, client) -> None:
    outside_ip = vpn["VgwTelemetry"][0]["OutsideIpAddress"]
    status, body = post(
        client,
        {
            "vpn_connection_id": vpn["VpnConnectionId"],
            "outside_ip": outside_ip,
            "status": "UP",
            "status_message": "tunnel up",
        },
    )
    assert (status, body) == (200, {"ok": True})
    entry = telemetry(ec2, vpn["VpnConnectionId"])[0]
    assert (entry["Status"], entry["StatusMessage"], entry["AcceptedRouteCount"]) == ("UP", "tunnel up", 0)

    status, body = post(
        client, {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": outside_ip, "status": "DOWN"}
    )
    assert (status, body) == (200, {"ok": True})
    entry = telemetry(ec2, vpn["VpnConnectionId"])[0]
    assert (entry["Status"], entry["StatusMessage"]) == ("DOWN", "")


def test_telemetry_route_refuses_unknown_tunnels_with_404(ec2, vpn, client) -> None:
    outside_ip = vpn["VgwTelemetry"][0]["OutsideIpAddress"]
    status, body = post(
        client, {"vpn_connection_id": "vpn-0123456789abcdef0", "outside_ip": outside_ip, "status": "UP"}
    )
    assert status == 404 and body["ok"] is False and "vpn-0123456789abcdef0" in body["message"]
    status, body = post(
        client, {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": "203.0.113.250", "status": "UP"}
    )
    assert status == 404 and "203.0.113.250" in body["message"]
    ec2.delete_vpn_connection(VpnConnectionId=vpn["VpnConnectionId"])
    status, _ = post(client, {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": outside_ip, "status": "UP"})
    assert status == 404


def test_telemetry_route_refuses_bad_reports_with_400(ec2, vpn, client) -> None:
    good = {
        "vpn_connection_id": vpn["VpnConnectionId"],
        "outside_ip": vpn["VgwTelemetry"][0]["OutsideIpAddress"],
        "status": "UP",
    }
    for change in (
        {"status": "SIDEWAYS"},
        {"status": None},
        {"outside_ip": None},
        {"accepted_route_count": -1},
        {"accepted_route_count": "3"},
        {"status_message": 7},
    ):
        body = {key: value for key, value in {**good, **change}.items() if value is not None}
        status, answer = post(client, body)
        assert status == 400 and answer["ok"] is False and answer["message"], change
    assert [entry["Status"] for entry in telemetry(ec2, vpn["VpnConnectionId"])] == ["DOWN", "DOWN"]


def test_telemetry_function_raises_with_http_status(vpn) -> None:
    with pytest.raises(TelemetryError) as caught:
        set_tunnel_telemetry(vpn["VpnConnectionId"], "203.0.113.250", "UP")
    assert caught.value.http_status == 404
    with pytest.raises(TelemetryError) as caught:
        set_tunnel_telemetry(vpn["VpnConnectionId"], vpn["VgwTelemetry"][0]["OutsideIpAddress"], "OK")
    assert caught.value.http_status == 400


def test_transit_gateway_tunnels_report_telemetry_too(ec2, vpn_network) -> None:
    tgw_id = ec2.create_transit_gateway(Description="lab")["TransitGateway"]["TransitGatewayId"]
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=vpn_network["cgw_id"], TransitGatewayId=tgw_id)[
        "VpnConnection"
    ]
    outside_ip = vpn["VgwTelemetry"][1]["OutsideIpAddress"]
    set_tunnel_telemetry(vpn["VpnConnectionId"], outside_ip, "UP", "1 BGP ROUTES", accepted_route_count=1)
    assert [entry["Status"] for entry in telemetry(ec2, vpn["VpnConnectionId"])] == ["DOWN", "UP"]


def test_vpn_and_telemetry_through_the_real_server(labbox_server) -> None:
    """The served twin (not just in-process moto) answers VPN calls and takes telemetry."""
    ec2 = boto3.client(
        "ec2",
        region_name="ap-northeast-2",
        endpoint_url=labbox_server["endpoint"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    vgw_id = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    cgw_id = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000)["CustomerGateway"][
        "CustomerGatewayId"
    ]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1",
        CustomerGatewayId=cgw_id,
        VpnGatewayId=vgw_id,
        Options={"StaticRoutesOnly": True, "TunnelOptions": [{"PreSharedKey": "cloudneta"}, {}]},
    )["VpnConnection"]
    ec2.create_vpn_connection_route(VpnConnectionId=vpn["VpnConnectionId"], DestinationCidrBlock="10.60.0.0/16")
    outside_ip = vpn["Options"]["TunnelOptions"][0]["OutsideIpAddress"]

    request = urllib.request.Request(
        labbox_server["endpoint"] + ROUTE,
        data=json.dumps(
            {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": outside_ip, "status": "UP"}
        ).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert (answer.status, json.loads(answer.read())) == (200, {"ok": True})

    response = ec2.describe_vpn_connections(VpnConnectionIds=[vpn["VpnConnectionId"]])
    assert_matches_output_shape("ec2", "DescribeVpnConnections", response)
    described = response["VpnConnections"][0]
    assert [entry["Status"] for entry in described["VgwTelemetry"]] == ["UP", "DOWN"]
    assert described["Options"]["TunnelOptions"][0]["PreSharedKey"] == "cloudneta"
    assert described["Routes"] == [{"DestinationCidrBlock": "10.60.0.0/16", "Source": "Static", "State": "available"}]
