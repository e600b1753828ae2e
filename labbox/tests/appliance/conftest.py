"""Fixtures for the appliance's tests: a private cache and state directory per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def appliance_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty image cache that only this test sees."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("LABBOX_APPLIANCE_CACHE", str(directory))
    return directory


@pytest.fixture
def labbox_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty LABBOX_HOME that only this test sees."""
    directory = tmp_path / "home"
    monkeypatch.setenv("LABBOX_HOME", str(directory))
    return directory
