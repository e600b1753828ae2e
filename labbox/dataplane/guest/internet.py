"""The "internet": one bridge that every public address of the twin sits on.

Internet gateways (their Elastic IPs and public IPs), the VPN gateways' tunnel outside IPs
and the operator meet here, on one layer-2 segment: each end owns its addresses and reaches
the others on-link, so no router stands between them and nothing here has a route off the
guest. The operator is the guest itself, with ``OPERATOR_ADDRESS`` (reserved by the twin, never
an Elastic IP): Ansible's jump host reaches instances from here exactly as a user on the
internet reaches EC2 instances by their public IPs. The guest does not forward packets, so it
is a host on this segment, never a way around the VPCs' routers.
"""

from __future__ import annotations

import os

from . import names, shell

OPERATOR_ADDRESS = "198.51.100.1"
# The card QEMU gives the guest when the host routes the public range to it (the host's side of
# labbox.appliance.public_route, which chose this address): plugged into the bridge, it makes the
# host one more station on this segment, at its own reserved address.
HOST_CARD_MAC = "52:54:00:6c:62:01"
# The documentation ranges the twin takes public addresses from (EIPs, tunnel outside IPs).
PUBLIC_RANGES = ("198.51.100.0/24", "203.0.113.0/24")


def ensure() -> None:
    bridge = names.INTERNET_BRIDGE
    if not shell.link_exists(bridge):
        shell.run("ip", "link", "add", bridge, "type", "bridge")
    shell.run("ip", "link", "set", bridge, "up")
    shell.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=0", f"net.ipv6.conf.{bridge}.disable_ipv6=1")
    shell.run("ip", "addr", "replace", f"{OPERATOR_ADDRESS}/32", "dev", bridge)
    for cidr in PUBLIC_RANGES:
        shell.run("ip", "route", "replace", cidr, "dev", bridge, "src", OPERATOR_ADDRESS)
    card = _host_card()
    if card:
        attach(card)


def _host_card() -> str:
    """The guest's interface towards the host's public route, or '' when it has none."""
    for name in sorted(os.listdir("/sys/class/net")):
        try:
            with open(f"/sys/class/net/{name}/address") as address:
                if address.read().strip() == HOST_CARD_MAC:
                    return name
        except OSError:
            continue
    return ""


def attach(port: str) -> None:
    """Plug a link (the outer end of a veth) into the internet segment."""
    shell.run("ip", "link", "set", port, "master", names.INTERNET_BRIDGE, "up")


def ensure_subnet_bridge(subnet_id: str) -> str:
    """The layer-2 segment of one subnet (instances and the VPC router's leg on it)."""
    bridge = names.subnet_bridge(subnet_id)
    if not shell.link_exists(bridge):
        shell.run("ip", "link", "add", bridge, "type", "bridge")
        shell.run("sysctl", "-q", "-w", f"net.ipv6.conf.{bridge}.disable_ipv6=1")
    shell.run("ip", "link", "set", bridge, "up")
    return bridge
