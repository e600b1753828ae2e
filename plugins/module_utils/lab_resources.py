# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each lab creates that a quota limits or that costs money, per stack and region: the
quota and cost figures are read from here. The stacks and their resources are listed in
lab_catalogue.py; ``home`` is ``aws_region`` and ``peer`` is ``tgw_peer_region``.
"""

from __future__ import annotations

from ansible_collections.hybridlab.aws.plugins.module_utils.lab_catalogue import STACKS, lab_stacks

# Per stack key, per side, the count of each kind it creates.
STACK_RESOURCES = {stack.key: stack.resources for stack in STACKS}

# The resources a quota limits per region, as preflight checks them.
QUOTA_KINDS = ("vpc", "eip", "vgw", "tgw")


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
