"""Fixtures for the twin's tests: moto in-process with every labbox extension installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws, settings

from labbox.cloud import delay_policy, extensions
from labbox_helpers import REGION, client, free_port, labbox_cli, labbox_env


@pytest.fixture(autouse=True)
def _dummy_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a test find real credentials or reach a real endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh in-process twin (moto + extensions) for one test."""
    # moto re-reads its catalogue of ~5000 public AMIs into every region backend it resets
    # (~0.3 s each, several per test); tests name their images themselves.
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    extensions.install()
    # Instant state changes unless a test asks for delays (``delay_helpers``).
    delay_policy.configure("none")
    # With no catalogue, the twin's image check (ec2_launch_validation) would refuse every
    # image; the tests of that check load the catalogue and turn it back on (`image_catalogue`).
    monkeypatch.setattr(settings, "ENABLE_AMI_VALIDATION", False)
    with mock_aws():
        yield


@pytest.fixture
def image_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh in-process twin with moto's public image catalogue and the image check on."""
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "true")
    extensions.install()
    delay_policy.configure("none")
    monkeypatch.setattr(settings, "ENABLE_AMI_VALIDATION", True)
    with mock_aws():
        yield


# One botocore session for all tests: moto drops boto3's default session on every reset,
# and re-reading the service models for each test cost most of the suite's time.


@pytest.fixture
def ec2(aws: None):
    return client("ec2")


@pytest.fixture
def cfn(aws: None):
    return client("cloudformation")


@pytest.fixture
def vpn_network(ec2) -> dict[str, str]:
    """The lab's AWS side for VPN tests: a VPC with its main route table, an attached VGW, a CGW."""
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    route_table_id = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"][0][
        "RouteTableId"
    ]
    vgw_id = ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=64512)["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw_id, VpcId=vpc_id)
    cgw_id = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000)["CustomerGateway"][
        "CustomerGatewayId"
    ]
    return {"vpc_id": vpc_id, "route_table_id": route_table_id, "vgw_id": vgw_id, "cgw_id": cgw_id}


# --- the real server, in a subprocess, for CLI / HTTP tests ---------------------------


@pytest.fixture(scope="session")
def labbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One twin server for the session, started and stopped through the CLI.

    Yields ``endpoint``, ``home`` and the ``env`` that reaches it (LABBOX_HOME/LABBOX_PORT).
    """
    home = tmp_path_factory.mktemp("labbox-home")
    env = labbox_env(home, free_port())
    started = labbox_cli(env, "start")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield {"endpoint": f"http://127.0.0.1:{env['LABBOX_PORT']}", "home": home, "env": env}
    finally:
        stopped = labbox_cli(env, "stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
