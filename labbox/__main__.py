"""``python -m labbox`` (or ``labbox``): run and manage the offline twin of AWS.

    labbox start        start the server in the background and wait until it is healthy
    labbox status       print endpoint and state (exit 0 running, 3 stopped)
    labbox stop         stop the server 'start' started
    labbox reset        forget every AWS resource and empty the state directory
    labbox serve        run the server in the foreground
    labbox telemetry VPN_ID OUTSIDE_IP UP|DOWN [--message TEXT]
                        report a tunnel's state as the data plane sees it
    labbox appliance build|up|down|status|ssh -- CMD
                        the data plane's QEMU guest (see labbox.appliance.cli)
    labbox dataplane up|wait|status|down|tunnel
                        the twin's network in that guest (see labbox.dataplane.cli)

Point AWS clients at the printed endpoint (``endpoint_url`` / ``AWS_URL``) with any
access keys. LABBOX_PORT picks the port (5055), LABBOX_HOME the state directory.
"""

from __future__ import annotations

import argparse
import sys

from labbox.appliance import cli as appliance_cli
from labbox.cloud import control, state_dir
from labbox.dataplane import cli as dataplane_cli
from labbox.dataplane import control as dataplane_control


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labbox", description="The offline twin of AWS for the hybridlab lab.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server in the foreground")
    serve.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: $LABBOX_PORT or 5055)")

    start = commands.add_parser("start", help="start the server in the background")
    start.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for it to be healthy")

    stop = commands.add_parser("stop", help="stop the server started with 'start'")
    stop.add_argument("--timeout", type=float, default=15.0, help="seconds to wait before killing it")

    commands.add_parser("status", help="print endpoint and state; exit 0 when running, 3 when stopped")
    commands.add_parser("reset", help="clear all AWS state and empty the state directory")

    telemetry = commands.add_parser("telemetry", help="set a VPN tunnel's telemetry")
    telemetry.add_argument("vpn_connection_id", metavar="VPN_ID")
    telemetry.add_argument("outside_ip", metavar="OUTSIDE_IP")
    telemetry.add_argument("status", metavar="STATUS", type=str.upper, choices=["UP", "DOWN"])
    telemetry.add_argument("--message", default=None, help="StatusMessage to report")
    telemetry.add_argument("--accepted-route-count", type=int, default=None)

    appliance_cli.add_parser(commands)
    dataplane_cli.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from labbox.cloud import server  # imports moto: only the server needs it

        server.serve(args.port if args.port is not None else state_dir.port())
        return 0
    if args.command == "start":
        return control.start(timeout=args.timeout)
    if args.command == "stop":
        # A network built from state that is going away is meaningless: it goes first.
        for line in dataplane_control.down():
            print(line)
        return control.stop(timeout=args.timeout)
    if args.command == "status":
        return control.print_status()
    if args.command == "reset":
        # The guest's run state lives in the directory reset empties, and a network built from
        # state that no longer exists is meaningless: stop the guest first.
        for line in dataplane_control.down():
            print(line)
        return control.reset()
    if args.command == "appliance":
        return appliance_cli.main(args)
    if args.command == "dataplane":
        return dataplane_cli.main(args)
    return control.telemetry(
        args.vpn_connection_id, args.outside_ip, args.status, args.message, args.accepted_route_count
    )


if __name__ == "__main__":
    sys.exit(main())
