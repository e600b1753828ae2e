"""The twin's public addresses routed to this machine, as AWS's are routed to anyone's.

By default the guest's only network is QEMU's user-mode stack (no route in or out but the
forwarded SSH port), and clients reach the twin's public addresses through the appliance as a
jump host (``dataplane/ssh_config``). A client that must reach them exactly as it reaches AWS,
with no jump host of the twin's in its SSH settings (``inventory/aws`` pointed at the twin), needs
a route instead. With ``LABBOX_PUBLIC_ROUTE=1`` (root only: it makes a network device), the
appliance gets a second network card on a TAP device of this machine, and the guest plugs it
into its "internet" bridge:

- this machine holds ``CONTROLLER_ADDRESS`` on the TAP and routes the documentation range the
  twin's Elastic and public IPs come from (198.51.100.0/24) into it, nothing else;
- an nftables table of its own drops anything this machine would forward to or from the TAP, so
  the guest can never use it as a way off the machine;
- the twin never hands ``CONTROLLER_ADDRESS`` out (labbox.cloud.public_ips), so a lab opened to
  ``operator_cidr: 198.51.100.254/32`` lets exactly this machine in.

Only one twin of a machine may hold the route: a second one refuses to start with it.
"""

from __future__ import annotations

import os
import subprocess

ENVIRONMENT = "LABBOX_PUBLIC_ROUTE"
CONTROLLER_ADDRESS = "198.51.100.254"
ROUTED_RANGE = "198.51.100.0/24"
# The guest finds its internet card by this address (labbox.dataplane.guest.internet).
GUEST_MAC = "52:54:00:6c:62:01"


class PublicRouteError(RuntimeError):
    """The route cannot be made (not root, no TUN device, or another twin holds it)."""


def wanted() -> bool:
    return os.environ.get(ENVIRONMENT, "") not in ("", "0", "false", "no")


def device_name(ssh_port: int) -> str:
    """A name per appliance (interface names hold at most 15 characters)."""
    return f"lbxnet{ssh_port}"


def _nft_table(device: str) -> str:
    return f"labbox_{device}"


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise PublicRouteError(f"{' '.join(argv)}: {done.stderr.strip() or done.stdout.strip()}")
    return done


def _holder() -> str:
    """The device that routes the range now, or ''."""
    route = _run("ip", "-o", "route", "show", "exact", ROUTED_RANGE, check=False).stdout.split()
    return route[route.index("dev") + 1] if "dev" in route else ""


def create(device: str) -> None:
    """The TAP device, the controller's address on it, the route and the forwarding guard."""
    if os.geteuid() != 0:
        raise PublicRouteError(f"{ENVIRONMENT}=1 needs root: it makes a network device and a route")
    if not os.path.exists("/dev/net/tun"):
        raise PublicRouteError(f"{ENVIRONMENT}=1 needs /dev/net/tun")
    holder = _holder()
    if holder and holder != device:
        raise PublicRouteError(f"{ROUTED_RANGE} is already routed to {holder}: another twin holds the public route")
    remove(device)
    _run("ip", "tuntap", "add", "dev", device, "mode", "tap")
    _run("ip", "addr", "add", f"{CONTROLLER_ADDRESS}/32", "dev", device)
    _run("ip", "link", "set", device, "up")
    _run("ip", "route", "replace", ROUTED_RANGE, "dev", device, "src", CONTROLLER_ADDRESS)
    table = _nft_table(device)
    script = (
        f"table inet {table} {{\n"
        "  chain forward {\n"
        "    type filter hook forward priority -10; policy accept;\n"
        f'    iifname "{device}" drop\n'
        f'    oifname "{device}" drop\n'
        "  }\n"
        "}\n"
    )
    done = subprocess.run(["nft", "-f", "-"], input=script, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        remove(device)
        raise PublicRouteError(f"nft: {done.stderr.strip()}")


def remove(device: str) -> None:
    """Undo :func:`create` (the route goes with the device); quiet when there is nothing."""
    _run("ip", "link", "del", device, check=False)
    _run("nft", "delete", "table", "inet", _nft_table(device), check=False)


def qemu_arguments(device: str) -> list[str]:
    """The guest's second card, on the TAP device."""
    return [
        "-netdev", f"tap,id=internet,ifname={device},script=no,downscript=no",
        "-device", f"virtio-net-pci,netdev=internet,mac={GUEST_MAC}",
    ]
