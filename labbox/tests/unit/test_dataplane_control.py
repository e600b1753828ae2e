"""The data plane's control side: when it counts as ready, what it tells SSH, what it pins."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from labbox.dataplane import agent, control

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFfYeaWg188F6y6NJ4t2bxLkXWgAR1fx9GqW2kPB23 ip-10-60-0-100"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABBOX_HOME", str(tmp_path / "home"))


def test_known_hosts_pin_each_instance_on_its_private_and_public_address() -> None:
    spec = {"instances": [{"id": "i-1", "private_ip": "10.60.0.100", "public_ip": "198.51.100.7"},
                          {"id": "i-2", "private_ip": "10.60.1.100", "public_ip": None},
                          {"id": "i-3", "private_ip": "10.50.1.100", "public_ip": None}]}
    machines = {"i-1": {"host_key": KEY}, "i-2": {"host_key": KEY.replace("ip-10-60-0-100", "x")}, "i-3": {"host_key": ""}}
    lines = agent._known_hosts(spec, machines).splitlines()
    body = KEY.split()[1]
    assert lines == [f"10.60.0.100 ssh-ed25519 {body}", f"10.60.1.100 ssh-ed25519 {body}", f"198.51.100.7 ssh-ed25519 {body}"]


@pytest.mark.parametrize(
    ("status", "instances", "ready"),
    [
        (None, True, False),
        ({"phase": "booting"}, True, False),
        ({"phase": "running", "instances": {"i-1": {"running": True, "host_key": KEY}}}, True, True),
        ({"phase": "running", "instances": {"i-1": {"running": False, "host_key": KEY}}}, True, False),
        ({"phase": "running", "instances": {"i-1": {"running": False, "host_key": KEY}}}, False, True),
        # A stopped instance (not wanted running) does not hold the lab up.
        ({"phase": "running", "instances": {"i-1": {"running": False, "wanted": False, "host_key": KEY}}}, True, True),
    ],
)
def test_ready_means_in_sync_and_every_wanted_instance_booted(status, instances, ready) -> None:
    assert control._ready(status, instances) is ready


def test_a_status_older_than_the_wait_or_with_errors_is_not_ready() -> None:
    # A round that read the twin before the caller's stack launched its instances lists none
    # of them: it must not count as "every instance booted".
    fresh = {"phase": "running", "errors": [], "twin_read_at": 1000.0, "instances": {}}
    assert control._ready(fresh, True, since=999.0) is True
    assert control._ready(fresh, True, since=1001.0) is False
    assert control._ready({**fresh, "errors": ["security groups: nft failed"]}, True, since=999.0) is False


def test_a_lab_waits_for_its_own_instances_and_errors_only() -> None:
    """A class on one twin: lab A's wait neither waits for lab B's instances nor fails on B's errors."""
    booted, booting = {"running": True, "host_key": KEY}, {"running": False, "host_key": ""}
    machines = {"i-a1": {**booted, "vpc_id": "vpc-a"}, "i-a2": {**booted, "vpc_id": "vpc-a"},
                "i-b1": {**booting, "vpc_id": "vpc-b"}}
    status = {"phase": "running", "errors": [], "twin_read_at": 1000.0, "instances": machines}
    assert control._ready(status, True, since=999.0) is False  # every instance: B's still boots
    assert control._ready(status, True, since=999.0, only=["i-a1", "i-a2"]) is True
    assert control._ready(status, True, since=999.0, only=["i-a1", "i-b1"]) is False
    # An instance the round does not know yet (launched after it read the twin) is not booted.
    assert control._ready(status, True, since=999.0, only=["i-a1", "i-a3"]) is False
    theirs = ["router of vpc-b: ip failed", "instance i-b1: nspawn failed", "link vgw-9-vpc-b: busy"]
    assert control._ready({**status, "errors": theirs}, True, since=999.0, only=["i-a1", "i-a2"]) is True
    assert control._ready({**status, "errors": theirs}, True, since=999.0) is False
    for ours in ("router of vpc-a: ip failed", "instance i-a2: nspawn failed", "security groups: nft failed",
                 "VPN endpoints of vgw-1: pluto failed"):
        assert control._ready({**status, "errors": [ours]}, True, since=999.0, only=["i-a1", "i-a2"]) is False, ours


def test_a_lab_that_waits_in_vain_is_told_which_of_its_instances_did_not_boot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control, "agent_pid", lambda: 4242)
    agent.write_status(phase="running", message="in sync", errors=["router of vpc-b: boom"], twin_read_at=time.time() + 60,
                       instances={"i-a1": {"running": True, "host_key": KEY, "vpc_id": "vpc-a"},
                                  "i-a2": {"running": False, "host_key": "", "vpc_id": "vpc-a"},
                                  "i-b1": {"running": True, "host_key": KEY, "vpc_id": "vpc-b"}})
    ok, said = control.wait(timeout=0.5, only=["i-a1", "i-a2"])
    assert not ok and "(errors: none); not booted: i-a2" in said, said


def test_wait_times_out_on_a_stale_status_and_names_the_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control, "agent_pid", lambda: 4242)
    agent.write_status(phase="running", message="applied with errors", errors=["router of vpc-1: boom"],
                       twin_read_at=0.0, instances={})
    ok, said = control.wait(timeout=1.5)
    assert not ok and "not ready within 2 s" in said and "router of vpc-1: boom" in said


def test_the_ssh_config_jumps_through_the_appliance_to_public_addresses_and_pins_keys() -> None:
    text = control.write_ssh_config().read_text()
    assert text.startswith("Include ") and "appliance/ssh_config" in text.splitlines()[0]
    assert "Host 198.51.100.* 203.0.113.*\n  ProxyJump labbox-appliance" in text
    assert "StrictHostKeyChecking yes" in text and f"UserKnownHostsFile {agent.run_dir() / agent.KNOWN_HOSTS}" in text


def test_wait_names_a_failed_data_plane_with_its_reason() -> None:
    agent.write_status(phase="failed", message="the appliance did not come up: no QEMU")
    ok, said = control.wait(timeout=5)
    assert not ok and "the appliance did not come up: no QEMU" in said


def test_wait_without_an_agent_says_how_to_start_it() -> None:
    agent.write_status(phase="running", instances={})
    ok, said = control.wait(timeout=5)
    assert not ok and "labbox dataplane up" in said


def test_wait_wakes_the_agent_and_a_woken_agent_starts_its_round_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control, "agent_pid", lambda: 4242)
    agent.write_status(phase="running", message="in sync", errors=[], twin_read_at=0.0, instances={})
    control.wait(timeout=0.3)
    assert (agent.run_dir() / agent.WAKE).exists()

    started = time.monotonic()
    agent._sleep_unless_woken(5.0)
    assert time.monotonic() - started < 0.5  # woken: the rest of the interval is not slept
    assert not (agent.run_dir() / agent.WAKE).exists()  # and the request is used up

    started = time.monotonic()
    agent._sleep_unless_woken(0.3)
    assert time.monotonic() - started >= 0.3  # not woken: the whole interval
