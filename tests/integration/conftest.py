"""Integration tests: the collection's playbooks against a real running offline twin.

Each test session starts its own twin (``python -m labbox start``) on a free loopback port with
its own state directory, and points the playbooks at it through LABBOX_PORT, exactly as a user's
`make lab` does with the default port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lab_env import Lab, free_port, lab_env


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("lab")
    port = free_port()
    lab = Lab(env=lab_env(tmp, port), endpoint=f"http://127.0.0.1:{port}")
    try:
        yield lab
    finally:
        lab.labbox("stop")


@pytest.fixture
def cold_lab(tmp_path: Path) -> Iterator[Lab]:
    """A lab environment whose twin is not running: only a playbook may start it."""
    port = free_port()
    lab = Lab(env=lab_env(tmp_path, port), endpoint=f"http://127.0.0.1:{port}")
    try:
        yield lab
    finally:
        lab.labbox("stop")
