"""Fixtures for the twin's tests: moto in-process with every labbox extension installed."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from labbox.cloud import extensions

REGION = "ap-northeast-2"


@pytest.fixture(autouse=True)
def _dummy_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a test find real credentials or reach a real endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def aws() -> Iterator[None]:
    """A fresh in-process twin (moto + extensions) for one test."""
    extensions.install()
    with mock_aws():
        yield


@pytest.fixture
def ec2(aws: None):
    return boto3.client("ec2", region_name=REGION)


@pytest.fixture
def cfn(aws: None):
    return boto3.client("cloudformation", region_name=REGION)
