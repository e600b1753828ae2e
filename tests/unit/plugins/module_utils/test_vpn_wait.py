"""Wait conditions on a VPN connection and what a timeout reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ansible_collections.hybridlab.aws.tests.unit.plugins.fake_clock import FakeTime
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import vpn_connection_tunnels
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import LabWaitError
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_wait import condition_met
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_wait import describe_progress
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_wait import wait_for_vpn_connection
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_1
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import TUNNEL_2
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import vpn_connection


def _info(**kwargs: Any) -> dict[str, Any]:
    return vpn_connection_tunnels(vpn_connection(**kwargs), include_pre_shared_keys=True)


def _sequence(*records: dict[str, Any] | None) -> Callable[[], dict[str, Any] | None]:
    """A fetch that returns the records in turn, then keeps returning the last one."""
    remaining = list(records)

    def fetch() -> dict[str, Any] | None:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return fetch


@pytest.mark.parametrize(
    ("condition", "record", "expected"),
    [
        ("available", {"state": "pending"}, False),
        ("available", {"state": "available"}, True),
        ("outside_ips", {"state": "pending", "statuses": ("DOWN", "DOWN")}, True),
        ("up", {"statuses": ("UP", "DOWN")}, False),
        ("up", {"statuses": ("UP", "UP")}, True),
        ("up", {"statuses": ("UP", "UP"), "state": "pending"}, False),
        ("any_up", {"statuses": ("DOWN", "DOWN")}, False),
        ("any_up", {"statuses": ("DOWN", "UP")}, True),
        ("any_up", {"statuses": ("DOWN", "UP"), "state": "pending"}, False),
    ],
)
def test_condition_met(condition: str, record: dict[str, Any], expected: bool) -> None:
    assert condition_met(_info(**record), condition) is expected


def test_outside_ips_needs_two_distinct_addresses() -> None:
    info = _info()
    info["tunnels"][1]["outside_ip"] = info["tunnels"][0]["outside_ip"]
    assert condition_met(info, "outside_ips") is False

    info["tunnels"][1]["outside_ip"] = None
    assert condition_met(info, "outside_ips") is False


def test_a_missing_connection_meets_no_condition() -> None:
    assert not any(condition_met(None, condition) for condition in ("available", "outside_ips", "up", "any_up"))


def test_an_unknown_condition_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown wait condition 'sideways'"):
        condition_met(_info(), "sideways")


def test_progress_names_the_state_and_each_tunnel_in_order() -> None:
    line = describe_progress(_info(statuses=("DOWN", "UP")))

    assert line == (
        f"state available; tunnel 1 {TUNNEL_1['outside_ip']} DOWN (IPSEC IS DOWN); tunnel 2 {TUNNEL_2['outside_ip']} UP"
    )


def test_progress_of_a_missing_connection() -> None:
    assert describe_progress(None) == "the connection was not found"


def test_wait_returns_the_first_record_with_both_tunnels_up() -> None:
    clock = FakeTime()
    up = _info(statuses=("UP", "UP"))
    fetch = _sequence(None, _info(state="pending"), _info(statuses=("UP", "DOWN")), up)

    result = wait_for_vpn_connection(fetch, VPN_ID, "up", timeout=600, delay=15, clock=clock.monotonic, sleep=clock.sleep)

    assert result is up
    assert clock.sleeps == [15, 15, 15]


def test_wait_timeout_names_what_was_last_seen_without_keys() -> None:
    clock = FakeTime()
    fetch = _sequence(_info(statuses=("UP", "DOWN")))

    with pytest.raises(LabWaitError) as raised:
        wait_for_vpn_connection(fetch, VPN_ID, "up", timeout=60, delay=25, clock=clock.monotonic, sleep=clock.sleep)

    message = str(raised.value)
    assert message.startswith(f"Timed out after 60s waiting for VPN connection {VPN_ID} to have both tunnels UP")
    assert f"tunnel 1 {TUNNEL_1['outside_ip']} UP" in message
    assert f"tunnel 2 {TUNNEL_2['outside_ip']} DOWN (IPSEC IS DOWN)" in message
    # The last sleep is cut short so the timeout is honoured, not overshot.
    assert clock.sleeps == [25, 25, 10]
    assert raised.value.kwargs["state"] == "available"
    assert [tunnel["status"] for tunnel in raised.value.kwargs["tunnels"]] == ["UP", "DOWN"]
    assert all("pre_shared_key" not in tunnel for tunnel in raised.value.kwargs["tunnels"])
    assert TUNNEL_1["psk"] not in repr(raised.value.kwargs) + message


def test_wait_timeout_for_a_connection_never_found() -> None:
    clock = FakeTime()

    with pytest.raises(LabWaitError, match="last seen: the connection was not found"):
        wait_for_vpn_connection(lambda: None, VPN_ID, "available", timeout=30, delay=10, clock=clock.monotonic, sleep=clock.sleep)


@pytest.mark.parametrize("state", ["deleting", "deleted"])
def test_wait_fails_at_once_for_a_connection_being_deleted(state: str) -> None:
    clock = FakeTime()

    with pytest.raises(LabWaitError, match=f"is {state} and will never have both tunnels UP"):
        wait_for_vpn_connection(_sequence(_info(state=state)), VPN_ID, "up", timeout=600, delay=10, clock=clock.monotonic, sleep=clock.sleep)

    assert clock.sleeps == []
