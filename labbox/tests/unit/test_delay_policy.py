"""The delay policy: chosen by LABBOX_DELAYS when the server starts, refused when unknown."""

from __future__ import annotations

import json
import urllib.request

import pytest

from labbox.cloud import delay_policy
from labbox_helpers import free_port, labbox_cli, labbox_env


def test_short_is_the_default_and_every_policy_times_every_transition() -> None:
    try:
        assert delay_policy.configure_from_environment({}) == "short"
        assert delay_policy.seconds("vpn_connection.create") > 0
    finally:
        delay_policy.configure("none")
    for name, table in delay_policy.POLICIES.items():
        assert set(table) == set(delay_policy.TRANSITIONS), name
    # Short keeps make test quick; aws is AWS's minutes (FACTS: VPN available in 4-7 min).
    assert max(delay_policy.POLICIES["short"][t] for t in delay_policy.TRANSITIONS if t != "deleted_retention") <= 3
    assert 240 <= delay_policy.POLICIES["aws"]["vpn_connection.create"] <= 420
    assert delay_policy.POLICIES["aws"]["deleted_retention"] >= 3600


def test_an_unknown_policy_is_refused_with_the_choices() -> None:
    with pytest.raises(delay_policy.InvalidDelayPolicy, match="LABBOX_DELAYS='slow'.*aws, none, short"):
        delay_policy.configure_from_environment({"LABBOX_DELAYS": "slow"})


def test_the_server_refuses_to_start_with_an_unknown_policy(tmp_path) -> None:
    env = labbox_env(tmp_path / "home", free_port())
    env["LABBOX_DELAYS"] = "sometimes"
    started = labbox_cli(env, "start", timeout=60)
    try:
        assert started.returncode != 0
        assert "LABBOX_DELAYS='sometimes' is not a delay policy" in started.stdout + started.stderr
    finally:
        labbox_cli(env, "stop")


def test_the_server_reports_its_policy(labbox_server) -> None:
    with urllib.request.urlopen(f"{labbox_server['endpoint']}/labbox-api/health", timeout=10) as answer:
        assert json.load(answer)["delays"] == labbox_server["env"].get("LABBOX_DELAYS", "short")
