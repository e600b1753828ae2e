# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each lab creates, per stack and region: the one table quotas and costs are read from.

The stack keys are those of roles/stacks (``stacks_names``); ``home`` is ``aws_region`` and
``peer`` is ``tgw_peer_region``. The counts follow cloudformation/*.yml: a template that gains
a VPC, an instance or an address must change its line here too (tests/unit checks the VPC,
instance and Elastic IP counts against the templates).
"""

from __future__ import annotations

# Which stacks each lab builds (site.yml's labs; tgw_full is all of day two).
LAB_STACKS = {
    "s2s": ("idc", "aws", "vpn"),
    "tgw": ("tgw",),
    "tgw_vpn": ("tgw", "idc", "tgw_vpn", "tgw_vpn_routes"),
    "tgw_peering": ("tgw", "tgw_peer", "tgw_peering", "tgw_peering_routes", "tgw_peer_routes"),
    "tgw_full": (
        "tgw",
        "idc",
        "tgw_vpn",
        "tgw_vpn_routes",
        "tgw_peer",
        "tgw_peering",
        "tgw_peering_routes",
        "tgw_peer_routes",
    ),
}

# What each stack creates that counts against a quota or costs money, per region it touches.
# `instance` counts are of lab_instance_type; each has an 8 GB gp3 root volume (AL2023's AMI).
STACK_RESOURCES = {
    "idc": {"home": {"vpc": 1, "eip": 1, "public_ipv4": 1, "instance": 2, "ebs_gp3_gb": 16}},
    # AWS-EC2 gets an auto-assigned public IPv4 address (MapPublicIpOnLaunch).
    "aws": {"home": {"vpc": 1, "public_ipv4": 1, "instance": 1, "ebs_gp3_gb": 8}},
    "vpn": {"home": {"vgw": 1, "customer_gateway": 1, "vpn_connection": 1}},
    # VPC0-2 attached to LAB-TGW; VPC0-EC2 public; VPC0's interface endpoint in two AZs.
    "tgw": {
        "home": {
            "vpc": 3,
            "tgw": 1,
            "tgw_attachment": 3,
            "instance": 3,
            "ebs_gp3_gb": 24,
            "public_ipv4": 1,
            "interface_endpoint_az": 2,
        }
    },
    # A VPN connection on the transit gateway bills as a connection and as an attachment.
    "tgw_vpn": {"home": {"customer_gateway": 1, "vpn_connection": 1, "tgw_attachment": 1}},
    "tgw_vpn_routes": {},
    "tgw_peer": {"peer": {"vpc": 1, "tgw": 1, "tgw_attachment": 1, "instance": 1, "ebs_gp3_gb": 8}},
    # A peering attachment bills on both transit gateways.
    "tgw_peering": {"home": {"tgw_attachment": 1}, "peer": {"tgw_attachment": 1}},
    "tgw_peering_routes": {},
    "tgw_peer_routes": {},
}

# The resources a quota limits per region, as preflight checks them.
QUOTA_KINDS = ("vpc", "eip", "vgw", "tgw")


class UnknownLab(ValueError):
    """A lab name LAB_STACKS does not know."""


def lab_stacks(lab):
    """The stack keys ``lab`` builds, in build order."""
    try:
        return list(LAB_STACKS[lab])
    except KeyError:
        raise UnknownLab(f"unknown lab {lab!r}; known labs: {', '.join(LAB_STACKS)}") from None


def lab_resources(lab, aws_region, peer_region, instance_type, skip_stacks=()):
    """The resources ``lab`` creates, as ``lab_prices.hourly_cost`` takes them.

    One dict per stack, region and kind: ``kind``, ``count``, ``region``, ``stack`` and, for
    instances, ``instance_type``. Stacks in ``skip_stacks`` (already there) are left out.
    """
    regions = {"home": aws_region, "peer": peer_region}
    resources = []
    for stack in lab_stacks(lab):
        if stack in skip_stacks:
            continue
        for side, counts in STACK_RESOURCES[stack].items():
            for kind, count in counts.items():
                resource = {"kind": kind, "count": count, "region": regions[side], "stack": stack}
                if kind == "instance":
                    resource["instance_type"] = instance_type
                resources.append(resource)
    return resources


def lab_quota_needs(lab, aws_region, peer_region, skip_stacks=()):
    """Per region the lab uses, how many of each ``QUOTA_KINDS`` it would add.

    Every region the lab's stacks touch is listed, with zeros where it adds nothing of a kind.
    """
    needs = {}
    for resource in lab_resources(lab, aws_region, peer_region, instance_type=None):
        region_needs = needs.setdefault(resource["region"], dict.fromkeys(QUOTA_KINDS, 0))
        if resource["kind"] in QUOTA_KINDS and resource["stack"] not in skip_stacks:
            region_needs[resource["kind"]] += resource["count"]
    return needs


def lab_regions(lab, aws_region, peer_region):
    """The regions ``lab`` builds in, ``aws_region`` first."""
    regions = [aws_region]
    if any("peer" in STACK_RESOURCES[stack] for stack in lab_stacks(lab)) and peer_region not in regions:
        regions.append(peer_region)
    return regions
