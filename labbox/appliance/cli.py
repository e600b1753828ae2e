"""``labbox appliance build|up|down|status|ssh -- CMD``: the data plane guest from the shell.

    build    build the disk image (or report the cached one)
    up       boot the guest and wait until SSH answers; prints the ssh_config to use
    down     stop the guest 'up' started
    status   exit 0 when running (prints port, pid, accelerator), 3 when not
    ssh      run a command line in the guest as root, like ssh(1) (no command: a shell)
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from labbox.appliance import build, control, ssh
from labbox.appliance.recipe import default

EXIT_RUNNING = 0
EXIT_FAILED = 1
EXIT_STOPPED = 3


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register ``appliance`` and its subcommands on the labbox command parser."""
    appliance = commands.add_parser("appliance", help="the data plane's QEMU guest: build, up, down, status, ssh")
    actions = appliance.add_subparsers(dest="appliance_command", required=True, metavar="ACTION")
    actions.add_parser("build", help="build the guest's disk image unless it is cached")
    up = actions.add_parser("up", help="boot the guest and wait for SSH")
    up.add_argument("--timeout", type=float, default=control.BOOT_TIMEOUT, help="seconds to wait for SSH")
    up.add_argument("--memory", type=int, default=1536, help="guest memory in MiB")
    down = actions.add_parser("down", help="stop the guest 'up' started")
    down.add_argument("--timeout", type=float, default=10.0, help="seconds before QEMU is killed")
    actions.add_parser("status", help="exit 0 when the guest runs, 3 when not")
    run = actions.add_parser("ssh", help="run a command in the guest as root: labbox appliance ssh -- CMD")
    run.add_argument("remote", nargs=argparse.REMAINDER, metavar="CMD")


def main(args: argparse.Namespace) -> int:
    """Run one ``appliance`` action; returns the exit code."""
    action = args.appliance_command
    try:
        if action == "build":
            image = build.ensure(default())
            manifest = image.manifest()
            print(f"{image.path} (kernel {manifest['kernel_release']}, built in {manifest['build_seconds']} s)")
            return 0
        if action == "up":
            state = control.up(timeout=args.timeout, memory_mib=args.memory)
            print(f"appliance up: ssh -F {state.ssh_config} labbox-appliance  (pid {state.pid}, "
                  f"127.0.0.1:{state.ssh_port}, {state.accel}: {state.accel_reason}, boot {state.boot_seconds} s)")
            return 0
        if action == "down":
            print("appliance stopped" if control.down(args.timeout) else "appliance was not running")
            return 0
        if action == "status":
            state = control.status()
            if state is None:
                print("appliance: stopped")
                return EXIT_STOPPED
            print(f"appliance: running, pid {state.pid}, ssh 127.0.0.1:{state.ssh_port}, {state.accel}, "
                  f"ssh_config {state.ssh_config}")
            return EXIT_RUNNING
        remote = list(args.remote)
        if remote[:1] == ["--"]:  # argparse keeps the separator in a REMAINDER argument
            remote = remote[1:]
        state = control.status()
        if state is None:
            print("appliance: not running (labbox appliance up)", file=sys.stderr)
            return EXIT_STOPPED
        # Like ssh(1): the words form one command line for the guest's shell.
        argv = ssh.command(control.run_dir(), state.ssh_port, " ".join(remote))
        if not remote:  # an interactive shell needs a terminal
            argv.insert(1, "-t")
        return subprocess.run(argv, check=False).returncode
    except (build.BuildError, control.ApplianceError, RuntimeError) as error:
        print(f"appliance {action}: {error}", file=sys.stderr)
        return EXIT_FAILED
