"""Fixtures for the hybridlab.aws.openswan role's tests (helpers are in openswan_role.py)."""

from __future__ import annotations

import pytest

from openswan_role import VERSIONS


@pytest.fixture(params=sorted(VERSIONS.values()), ids=lambda version: f"libreswan-{version}")
def libreswan_version(request: pytest.FixtureRequest) -> str:
    return request.param
