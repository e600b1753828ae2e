"""Helpers shared by the twin's tests: clients of the in-process twin and the labbox CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import Any

import boto3

REGION = "ap-northeast-2"


_session: boto3.session.Session | None = None


def client(service: str, region_name: str = REGION) -> Any:
    """A client of the in-process twin (use inside the ``aws`` fixture)."""
    global _session
    if _session is None:
        _session = boto3.session.Session()
    return _session.client(service, region_name=region_name)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def labbox_cli(env: dict[str, str], *args: str, timeout: float = 90.0):
    """Run ``python -m labbox ARGS`` with ``env``; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "labbox", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def labbox_env(home, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LABBOX_", "MOTO_"))}
    env.update({"LABBOX_HOME": str(home), "LABBOX_PORT": str(port)})
    return env


def raise_quota(service_code: str, quota_code: str, value: float, region_name: str = REGION) -> None:
    """Raise a quota of the in-process twin's account in one region, as an instructor does on AWS.

    With the tests' instant delays the request is approved at once.
    """
    requested = client("service-quotas", region_name).request_service_quota_increase(
        ServiceCode=service_code, QuotaCode=quota_code, DesiredValue=value
    )["RequestedQuota"]
    assert requested["Status"] == "APPROVED", requested
