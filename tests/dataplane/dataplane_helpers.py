"""Reading the lab's state during the data plane's tests: telemetry, the guest, waiting."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from lab_env import Lab


def eventually(check: Callable[[], Any], timeout: float, what: str, every: float = 3.0) -> Any:
    """Call ``check`` until it returns something true; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {timeout:.0f} s (last: {last!r})")


def vpn_connection(lab: Lab) -> dict[str, Any]:
    [connection] = [c for c in lab.client("ec2").describe_vpn_connections()["VpnConnections"] if c["State"] != "deleted"]
    return connection


def telemetry(lab: Lab) -> dict[str, str]:
    """Outside IP -> UP/DOWN, in tunnel order, as AWS's API reports it."""
    return {t["OutsideIpAddress"]: t["Status"] for t in vpn_connection(lab)["VgwTelemetry"]}


def guest(lab: Lab, command: str) -> str:
    """Run a shell command line in the appliance; its output."""
    done = lab.labbox("appliance", "ssh", "--", command)
    assert done.returncode == 0, f"{command!r} in the guest: {done.stdout}{done.stderr}"
    return done.stdout


def dataplane_status(lab: Lab) -> dict[str, Any]:
    done = lab.labbox("dataplane", "status")
    return json.loads(done.stdout)


def assert_data_plane_emptied(lab: Lab, timeout: float = 180) -> None:
    """After a teardown: the agent drops every instance, gateway and tunnel from the guest."""
    status = eventually(
        lambda: (s := dataplane_status(lab)).get("instances") == {} and not s.get("tunnels") and s, timeout,
        "the data plane to drop the lab's instances, gateways and tunnels",
    )
    assert status["phase"] == "running"
    assert "ec2-" not in guest(lab, "machinectl list --no-legend")
    assert guest(lab, "ip netns list").strip() == ""
