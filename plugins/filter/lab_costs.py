# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters over what a lab creates and what it costs per hour.

The tables live in module_utils (lab_resources.py, lab_prices.py) so that modules and
filters read the same figures; these filters only expose them to playbooks.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_prices, lab_quotas
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_catalogue import UnknownLab
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_resources as resources_table


def lab_hourly_cost(resources, region=None, hours=None):
    """The hourly cost of ``resources`` with its lines (see lab_prices.hourly_cost).

    With ``hours``, the answer also holds ``run_hours`` and ``run_total``: the cost of a run of
    that length, by started hours.
    """
    if not isinstance(resources, (list, tuple)):
        raise AnsibleFilterError(f"lab_hourly_cost expects a list of resources, got {type(resources).__name__}")
    try:
        cost = lab_prices.hourly_cost(resources, region)
    except lab_prices.UnknownResourceKind as error:
        raise AnsibleFilterError(f"lab_hourly_cost: {error}") from None
    if hours is not None:
        cost["run_hours"] = hours
        cost["run_total"] = lab_prices.run_cost(cost["total"], float(hours))
    return cost


# The id of a resource as the amazon.aws info modules return it, by the key each kind uses.
_ID_KEYS = ("instance_id", "vpn_connection_id", "transit_gateway_attachment_id", "vpc_endpoint_id", "public_ip", "id")


def lab_leftover_costs(leftovers, region):
    """Each billable leftover named with its hourly cost, and their total.

    ``leftovers``: resources as the amazon.aws info modules return them, each with a ``kind``
    added (``instance``, ``vpn_connection``, ``public_ipv4``, ``tgw_attachment``,
    ``interface_endpoint_az``); an interface endpoint bills per subnet (Availability Zone).
    Returns ``{"lines": ["<id>: <what>, <price> USD/h", ...], "total": ..., "unpriced": [...]}``.
    """
    lines, resources = [], []
    for leftover in leftovers or []:
        resource = {"kind": leftover.get("kind"), "region": region}
        if resource["kind"] == "instance":
            resource["instance_type"] = leftover.get("instance_type")
        if resource["kind"] == "interface_endpoint_az":
            resource["count"] = max(1, len(leftover.get("subnet_ids") or []))
        cost = lab_hourly_cost([resource], region)
        name = next((str(leftover[key]) for key in _ID_KEYS if leftover.get(key)), "?")
        for line in cost["lines"]:
            what = line["label"] + (f" {line['instance_type']}" if line["instance_type"] else "")
            lines.append(f"{name}: {what}, {line['hourly']:g} {cost['currency']}/h")
        lines += [f"{name}: no price for {item}" for item in cost["unpriced"]]
        resources.append(resource)
    total = lab_hourly_cost(resources, region)
    return {"lines": lines, "total": total["total"], "unpriced": total["unpriced"], "note": total["note"]}


def lab_resources(lab, aws_region, peer_region, instance_type, skip_stacks=()):
    """What ``lab`` creates (kind, count, region, stack), without the stacks in ``skip_stacks``."""
    try:
        return resources_table.lab_resources(lab, aws_region, peer_region, instance_type, tuple(skip_stacks or ()))
    except UnknownLab as error:
        raise AnsibleFilterError(f"lab_resources: {error}") from None


def lab_quota_needs(lab, aws_region, peer_region, skip_stacks=()):
    """Per region, how many VPCs, Elastic IPs, VPN gateways and transit gateways ``lab`` adds."""
    try:
        return resources_table.lab_quota_needs(lab, aws_region, peer_region, tuple(skip_stacks or ()))
    except UnknownLab as error:
        raise AnsibleFilterError(f"lab_quota_needs: {error}") from None


def standing_stacks(stacks):
    """The stacks whose resources stand (not rolled back or deleted)."""
    if not isinstance(stacks, list):
        raise AnsibleFilterError("standing_stacks expects a list of stacks, each with a status")
    return lab_quotas.standing_stacks(stacks)


def lab_quota_usage(needs, account_regions):
    """Each quota of each region read against what is in use plus what the lab adds."""
    if not isinstance(needs, dict) or not isinstance(account_regions, dict):
        raise AnsibleFilterError("lab_quota_usage expects the lab's needs and the account's regions, as dicts")
    return lab_quotas.quota_usage(needs, account_regions)


class FilterModule:
    """hybridlab.aws filters on the lab's resources and their cost."""

    def filters(self):
        return {
            "lab_hourly_cost": lab_hourly_cost,
            "lab_leftover_costs": lab_leftover_costs,
            "lab_resources": lab_resources,
            "lab_quota_needs": lab_quota_needs,
            "lab_quota_usage": lab_quota_usage,
            "standing_stacks": standing_stacks,
        }
