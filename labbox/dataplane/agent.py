"""The data plane's agent: keeps the guest's network equal to the twin's API state.

Started in the background by ``labbox dataplane up`` (see ``control``). It boots the appliance
(building its image when the cache has none), opens a session to the guest, then loops:

1. read the twin's state through its API (every region in use) into a spec;
2. when the spec changed, have the guest apply it (instances appear, routes change, a
   replaced VPN connection gets new endpoints, terminated instances go);
3. read the tunnel endpoints' states and write every change back to the twin as
   VgwTelemetry, so ``describe_vpn_connections`` tells what the data plane sees;
4. write the instances' host keys to the known_hosts file the ssh_config names, and the
   whole picture to ``status.json``, which ``labbox dataplane status|wait`` read.

A failure of one round is logged and recorded, and the next round tries again; a guest that
died ends the agent with the reason in ``status.json``.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from labbox.appliance import control as appliance
from labbox.cloud import control as cloud
from labbox.cloud import state_dir
from labbox.dataplane import spec as specs
from labbox.dataplane.session import GuestSession, SessionError

# How often the twin's API is read (cheap, on the host) and the guest asked for its tunnels'
# state (dearer: processes in an emulated guest, which the lab's own work competes with).
INTERVAL = 3.0
STATUS_EVERY = 2
# A file whose appearance starts the next round at once (``labbox dataplane wait`` creates it:
# whoever waits has just changed something and should not sit out the rest of an interval).
WAKE = "wake"
_WAKE_POLL_SECONDS = 0.1
STATUS = "status.json"
KNOWN_HOSTS = "instances_known_hosts"


def run_dir() -> Path:
    return state_dir.home() / "dataplane"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_status(**fields: Any) -> None:
    directory = run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / STATUS
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), "updated": _now(), **fields}, indent=2) + "\n")
    os.replace(temporary, path)


def read_status() -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((run_dir() / STATUS).read_text())
        return data
    except (OSError, ValueError):
        return None


class Twin:
    """The twin's API as the agent reads it."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._clients: dict[str, Any] = {}

    def ec2(self, region: str) -> Any:
        if region not in self._clients:
            self._clients[region] = boto3.client(
                "ec2",
                region_name=region,
                endpoint_url=self.endpoint,
                aws_access_key_id="labbox",
                aws_secret_access_key="labbox",
                config=Config(retries={"max_attempts": 2}),
            )
        return self._clients[region]

    def _get(self, route: str) -> dict[str, Any]:
        status, answer = cloud.request("GET", f"{self.endpoint}/labbox-api/{route}")
        if status != 200 or not isinstance(answer, dict):
            raise RuntimeError(f"GET /labbox-api/{route} answered {status}: {answer}")
        return answer

    def spec(self) -> dict[str, Any]:
        stopped = {(item["vpn_connection_id"], item["outside_ip"]) for item in self._get("tunnel-endpoints")["stopped"]}
        regions = self._get("regions")["regions"]
        return specs.merge([specs.region_spec(self.ec2(region), stopped) for region in regions])

    def telemetry(self, tunnel: dict[str, Any]) -> None:
        body = {key: tunnel[key] for key in ("vpn_connection_id", "outside_ip", "status", "status_message")}
        status, answer = cloud.request("POST", f"{self.endpoint}/labbox-api/vpn-telemetry", body)
        if status != 200:
            raise RuntimeError(f"telemetry for {tunnel['outside_ip']} refused ({status}): {answer}")


def _known_hosts(current: dict[str, Any], instances: dict[str, Any]) -> str:
    lines = []
    for item in current["instances"]:
        key = instances.get(item["id"], {}).get("host_key", "")
        if not key:
            continue
        key_type, key_body = key.split()[:2]
        for address in filter(None, (item["private_ip"], item.get("public_ip"))):
            lines.append(f"{address} {key_type} {key_body}")
    return "\n".join(sorted(lines)) + ("\n" if lines else "")


def _log(message: str) -> None:
    print(f"{_now()} {message}", flush=True)


def run(interval: float = INTERVAL) -> int:
    """The agent's main loop (runs until the guest dies or the process is signalled)."""
    twin = Twin(state_dir.endpoint())
    write_status(phase="booting", message="booting the appliance (building its image if needed)")
    try:
        guest = appliance.up()
    except Exception as error:
        write_status(phase="failed", message=f"the appliance did not come up: {error}")
        _log(f"appliance failed: {error}")
        return 1
    _log(f"appliance up in {guest.boot_seconds} s ({guest.accel})")
    session: GuestSession | None = None
    applied: dict[str, Any] | None = None
    reported: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    state: dict[str, Any] = {"tunnels": [], "instances": {}}
    rounds = 0
    while True:
        rounds += 1
        started = time.monotonic()
        try:
            if appliance.status() is None:
                write_status(phase="failed", message="the appliance stopped")
                _log("appliance stopped; agent exits")
                return 1
            if session is None:
                session = GuestSession(guest)
                applied = None
            # When this round read the twin: `labbox dataplane wait` trusts only a status newer
            # than its own start, so it never answers from a round that predates the caller's
            # last API change (instances just launched must be booted, not merely absent).
            read_at = time.time()
            current = twin.spec()
            changed = current != applied
            if changed:
                applying = time.monotonic()
                answer = session.request({"op": "apply", "spec": current})
                errors = answer["errors"]
                # A part that failed is tried again next round; the rest is already in place.
                applied = current if not errors else None
                slowest = sorted(answer.get("seconds", {}).items(), key=lambda item: -item[1])[:4]
                _log(
                    f"applied in {time.monotonic() - applying:.1f} s: {len(current['vpcs'])} VPCs, "
                    f"{len(current['instances'])} instances, {len(current['gateways'])} gateways, "
                    f"{len(current.get('transit_gateways', []))} transit gateways; slowest {slowest}; "
                    f"{len(errors)} errors {errors}"
                )
            booting = any(
                i["running"] and not state["instances"].get(i["id"], {}).get("running") for i in current["instances"]
            )
            if changed or booting or rounds % STATUS_EVERY == 0:
                state = session.request({"op": "status"}, timeout=60)
            if any(m.get("wanted", True) and m.get("state") in ("failed", "inactive") for m in state["instances"].values()):
                applied = None  # a machine that should run does not: the next round starts it again
            for tunnel in state["tunnels"]:
                key = (tunnel["vpn_connection_id"], tunnel["outside_ip"])
                if reported.get(key) != tunnel["status"]:
                    twin.telemetry(tunnel)
                    reported[key] = tunnel["status"]
                    _log(f"telemetry {key[0]} {key[1]} {tunnel['status']}")
            vpcs = {i["id"]: i.get("vpc_id") for i in current["instances"]}
            known = run_dir() / KNOWN_HOSTS
            text = _known_hosts(current, state["instances"])
            if not known.exists() or known.read_text() != text:
                known.write_text(text)
            write_status(
                phase="running",
                message="in sync with the twin" if not errors else "applied with errors",
                errors=errors,
                twin_read_at=read_at,
                # Each with its VPC: a lab's wait tells its own errors from another lab's by it.
                instances={i: {**m, "vpc_id": vpcs.get(i)} for i, m in state["instances"].items()},
                tunnels=state["tunnels"],
                round_seconds=round(time.monotonic() - started, 2),
            )
        except SessionError as error:
            _log(f"guest session: {error}")
            if session is not None:
                session.close()
            session = None
            write_status(phase="running", message=f"reconnecting to the guest: {error}")
        except Exception as error:  # the next round tries again; the reason is kept
            _log(f"round failed: {error}\n{traceback.format_exc()}")
            write_status(phase="running", message=f"last round failed: {error}")
        _sleep_unless_woken(max(0.0, interval - (time.monotonic() - started)))


def wake() -> None:
    """Ask the running agent to start its next round now."""
    directory = run_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / WAKE).touch()


def _sleep_unless_woken(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    flag = run_dir() / WAKE
    while True:
        try:
            flag.unlink()
            return
        except FileNotFoundError:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(remaining, _WAKE_POLL_SECONDS))


if __name__ == "__main__":
    sys.exit(run())
