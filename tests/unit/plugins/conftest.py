"""Shared fixtures: Stubber-backed boto3 clients and a module runner.

Responses are queued on botocore's Stubber, which validates them against the service models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import REGION


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials, no profile: nothing can reach a real account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_URL", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)


class StubbedClients:
    """Stubbed boto3 clients per service; every queued response must have been used."""

    def __init__(self) -> None:
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}

    def __call__(self, service: str) -> Stubber:
        if service not in self.stubbers:
            client = boto3.client(service, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
            stubber = Stubber(client)
            stubber.activate()
            self.clients[service] = client
            self.stubbers[service] = stubber
        return self.stubbers[service]

    def client(self, service: str) -> Any:
        self(service)
        return self.clients[service]

    def queue_vpn_connection(self, connection: dict[str, Any]) -> None:
        """Answer the next DescribeVpnConnections for this connection's ID with it."""
        self("ec2").add_response(
            "describe_vpn_connections",
            {"VpnConnections": [connection]},
            {"VpnConnectionIds": [connection["VpnConnectionId"]]},
        )

    def verify(self) -> None:
        for stubber in self.stubbers.values():
            stubber.assert_no_pending_responses()


@pytest.fixture
def aws() -> Iterator[StubbedClients]:
    """`aws("ec2").add_response(...)` queues responses; unused ones fail the test."""
    clients = StubbedClients()
    yield clients
    clients.verify()


class ModuleResult(dict):
    """The module's JSON result, its exit code and the raw text it printed."""

    def __init__(self, raw_output: str, exit_code: int) -> None:
        super().__init__(json.loads(raw_output))
        self.raw_output = raw_output
        self.exit_code = exit_code


@pytest.fixture
def run_module(aws: StubbedClients, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run a module's main() with the given args against the stubbed clients."""

    def _client(self: AnsibleAWSModule, service: str, retry_decorator: Any = None, **extra: Any) -> Any:
        return aws.client(service)

    monkeypatch.setattr(AnsibleAWSModule, "client", _client)

    def run(main: Callable[[], None], args: dict[str, Any]) -> ModuleResult:
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exited:
                main()
        return ModuleResult(capsys.readouterr().out, exited.value.code or 0)

    return run
