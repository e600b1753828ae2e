"""The collection's one poll loop: when it returns, sleeps, gives up at once or times out."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import LabWaitError
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_options
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_until
from ansible_collections.hybridlab.aws.tests.unit.plugins.fake_clock import FakeTime as Clock


def _wait(states, clock, **kwargs):
    seen = iter(states)
    options = dict(subject="attachment tgw-attach-1", goal="be available", timeout=10, delay=4, describe=str)
    options.update(kwargs)
    return wait_until(lambda: next(seen), lambda state: state == "available", clock=clock.monotonic, sleep=clock.sleep,
                      **options)


def test_a_condition_met_at_once_returns_without_sleeping() -> None:
    clock = Clock()

    assert _wait(["available"], clock) == "available"
    assert clock.sleeps == []


def test_the_last_sleep_is_cut_to_what_is_left_of_the_timeout() -> None:
    clock = Clock()

    assert _wait(["pending", "pending", "pending", "available"], clock) == "available"
    assert clock.sleeps == [4, 4, 2]


def test_a_timeout_names_the_subject_the_goal_and_what_was_seen_last() -> None:
    clock = Clock()

    with pytest.raises(LabWaitError) as raised:
        _wait(["pending"] * 5, clock, details=lambda state: {"state": state})

    assert raised.value.message == (
        "Timed out after 10s waiting for attachment tgw-attach-1 to be available; last seen: pending"
    )
    assert raised.value.kwargs == {"state": "pending"}


def test_a_state_that_never_leads_to_the_goal_fails_at_once() -> None:
    clock = Clock()

    with pytest.raises(LabWaitError, match="^Attachment tgw-attach-1 is failed and will never be available: failed$"):
        _wait(["pending", "failed", "available"], clock, never=lambda state: state if state == "failed" else None)
    assert clock.sleeps == [4]


def test_every_waiting_module_takes_the_same_options() -> None:
    spec = wait_options(["none", "available"], default="available")

    assert spec == {
        "wait": {"type": "str", "default": "available", "choices": ["none", "available"]},
        "wait_timeout": {"type": "int", "default": 600},
        "wait_delay": {"type": "int", "default": 5},
    }
