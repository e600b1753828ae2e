"""Linux names for AWS objects.

Interface names have at most 15 characters, so links are named by a short hash of the AWS id
(stable across runs, so an apply finds what an earlier one made). Network namespaces and
systemd units have no such limit and carry the id itself, which keeps ``ip netns`` readable.
"""

from __future__ import annotations

import hashlib

# Where the instances' shared root tree is (recipe.AMI_DIR) and where their own layers live.
AMI = "/var/lib/labbox/ami"
INSTANCES = "/var/lib/labbox/instances"
MACHINES = "/var/lib/machines"
STATE = "/var/lib/labbox/netd"
VPN_DIR = "/var/lib/labbox/vpn"
LOG_DIR = "/var/log/labbox"

INTERNET_BRIDGE = "binet"


def short(aws_id: str) -> str:
    """8 hex digits naming ``aws_id`` in interface names."""
    return hashlib.sha1(aws_id.encode()).hexdigest()[:8]


def subnet_bridge(subnet_id: str) -> str:
    return f"bs{short(subnet_id)}"


def router_netns(vpc_id: str) -> str:
    return f"r-{vpc_id}"


def router_subnet_port(subnet_id: str) -> tuple[str, str]:
    """(bridge side, router side) of the router's leg on a subnet."""
    return f"rs{short(subnet_id)}", f"s{short(subnet_id)}"


def router_internet_port(vpc_id: str) -> tuple[str, str]:
    """(bridge side, router side) of the internet gateway's leg on the internet segment."""
    return f"ri{short(vpc_id)}", "igw"


def gateway_netns(gateway_id: str) -> str:
    return f"g-{gateway_id}"


def gateway_internet_port(gateway_id: str) -> tuple[str, str]:
    return f"gi{short(gateway_id)}", "inet"


def gateway_vpc_port(gateway_id: str, vpc_id: str) -> tuple[str, str]:
    """(router side, gateway side) of the link between a VPC's router and a gateway."""
    return f"g{short(gateway_id + vpc_id)}", f"v{short(gateway_id + vpc_id)}"


def machine(instance_id: str) -> str:
    """The nspawn machine of an instance; its port on the subnet bridge is ``vb-<machine>``."""
    return f"ec2-{short(instance_id)}"


def instance_port(instance_id: str) -> str:
    # systemd-nspawn --network-bridge names the bridge side "vb-" + machine name (15 chars here).
    return f"vb-{machine(instance_id)}"


def instance_unit(instance_id: str) -> str:
    return f"{machine(instance_id)}.service"
