"""What the twin tells its data plane beside the AWS API: stopped tunnel endpoints, regions in use."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from werkzeug.test import Client

from labbox.cloud.server import build_app


@pytest.fixture
def client(aws: None) -> Client:
    return Client(build_app())


@pytest.fixture
def vpn(ec2, vpn_network) -> dict[str, Any]:
    return ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=vpn_network["cgw_id"], VpnGatewayId=vpn_network["vgw_id"]
    )["VpnConnection"]


def _outside_ips(ec2, vpn_id: str) -> list[str]:
    options = ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]["Options"]
    return [tunnel["OutsideIpAddress"] for tunnel in options["TunnelOptions"]]


def test_a_stopped_endpoint_is_listed_until_it_is_started_again(client: Client, ec2, vpn) -> None:
    first, _second = _outside_ips(ec2, vpn["VpnConnectionId"])
    body = {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": first, "state": "stopped"}
    assert client.post("/labbox-api/tunnel-endpoint", json=body).status_code == 200
    listed = client.get("/labbox-api/tunnel-endpoints").get_json()
    assert listed == {"ok": True, "stopped": [{"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": first}]}
    assert client.post("/labbox-api/tunnel-endpoint", json={**body, "state": "running"}).status_code == 200
    assert client.get("/labbox-api/tunnel-endpoints").get_json()["stopped"] == []


def test_a_deleted_connection_has_no_stopped_endpoints(client: Client, ec2, vpn) -> None:
    first, _ = _outside_ips(ec2, vpn["VpnConnectionId"])
    body = {"vpn_connection_id": vpn["VpnConnectionId"], "outside_ip": first, "state": "stopped"}
    client.post("/labbox-api/tunnel-endpoint", json=body)
    ec2.delete_vpn_connection(VpnConnectionId=vpn["VpnConnectionId"])
    assert client.get("/labbox-api/tunnel-endpoints").get_json()["stopped"] == []
    assert client.post("/labbox-api/tunnel-endpoint", json=body).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "said"),
    [
        ({"vpn_connection_id": "vpn-0", "outside_ip": "203.0.113.9", "state": "stopped"}, 404, "no live VPN connection"),
        ({"vpn_connection_id": "vpn-0", "outside_ip": "203.0.113.9", "state": "paused"}, 400, "state must be one of"),
    ],
)
def test_bad_endpoint_requests_are_refused_with_the_reason(client: Client, body, status, said) -> None:
    answer = client.post("/labbox-api/tunnel-endpoint", json=body)
    assert answer.status_code == status and said in answer.get_json()["message"]


def test_regions_in_use_are_those_with_a_vpc_of_their_own(client: Client, ec2) -> None:
    boto3.client("ec2", region_name="eu-west-1").describe_vpcs()  # touched: only its default VPC
    assert client.get("/labbox-api/regions").get_json()["regions"] == []
    ec2.create_vpc(CidrBlock="10.50.0.0/16")
    assert client.get("/labbox-api/regions").get_json()["regions"] == [ec2.meta.region_name]
