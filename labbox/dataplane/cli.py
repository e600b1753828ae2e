"""``labbox dataplane up|wait|status|down|tunnel``: the twin's network from the shell.

    up        start the data plane in the background (boots the appliance); returns at once
    wait      wait until it is in sync with the twin and every instance has booted
              (--instance ID, repeated: those instances only, as a lab of a class does)
    status    print the agent's view (exit 0 running, 3 stopped)
    down      stop the agent and the appliance
    tunnel VPN_ID OUTSIDE_IP stop|start
              stop or start the AWS side of one tunnel (a fault for failover tests)
"""

from __future__ import annotations

import argparse
import json
import sys

from labbox.cloud import control as cloud
from labbox.cloud import state_dir
from labbox.dataplane import agent, control

EXIT_STOPPED = 3


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    dataplane = commands.add_parser("dataplane", help="the twin's network in the appliance: up, wait, status, down")
    actions = dataplane.add_subparsers(dest="dataplane_command", required=True, metavar="ACTION")
    actions.add_parser("up", help="start the data plane in the background")
    wait = actions.add_parser("wait", help="wait until the data plane is in sync and the instances booted")
    wait.add_argument("--timeout", type=float, default=900.0)
    wait.add_argument("--no-instances", action="store_true", help="do not wait for instances to boot")
    wait.add_argument(
        "--instance", action="append", default=[], metavar="ID",
        help="wait for this instance (repeat for each; default every instance), and not for other labs' errors",
    )
    actions.add_parser("status", help="print the data plane's state")
    actions.add_parser("down", help="stop the data plane and the appliance")
    tunnel = actions.add_parser("tunnel", help="stop or start one tunnel's AWS endpoint")
    tunnel.add_argument("vpn_connection_id", metavar="VPN_ID")
    tunnel.add_argument("outside_ip", metavar="OUTSIDE_IP")
    tunnel.add_argument("action", choices=["stop", "start"])


def main(args: argparse.Namespace) -> int:
    action = args.dataplane_command
    if action == "up":
        print(control.up())
        print(f"ssh_config: {control.ssh_config_path()}")
        return 0
    if action == "wait":
        ok, message = control.wait(args.timeout, instances=not args.no_instances, only=args.instance)
        print(message, file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1
    if action == "status":
        status = agent.read_status()
        running = control.agent_pid() is not None
        print(json.dumps({"agent_running": running, **(status or {})}, indent=2))
        return 0 if running else EXIT_STOPPED
    if action == "down":
        said = control.down()
        print("\n".join(said) if said else "data plane was not running")
        return 0
    state = "stopped" if args.action == "stop" else "running"
    body = {"vpn_connection_id": args.vpn_connection_id, "outside_ip": args.outside_ip, "state": state}
    code, answer = cloud.request("POST", f"{state_dir.endpoint()}/labbox-api/tunnel-endpoint", body)
    if code != 200:
        print(f"refused (HTTP {code}): {answer.get('message') if isinstance(answer, dict) else answer}", file=sys.stderr)
        return 1
    print(f"{args.vpn_connection_id} {args.outside_ip}: endpoint {state}")
    return 0
