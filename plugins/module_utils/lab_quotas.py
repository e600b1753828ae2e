# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The quotas a lab can run into, and each region's quotas weighed against what is in use plus
what one lab (preflight) or a class of labs adds: one table, one wording, for both.
"""

from __future__ import annotations

# Per region, by the resource kind of the lab's table (lab_resources.QUOTA_KINDS). Codes from the
# Service Quotas console and AWS's quota pages (Amazon VPC, Amazon EC2 Elastic IPs, Site-to-Site
# VPN, Transit Gateway); `default` is AWS's documented default, used when the caller may not
# read Service Quotas.
QUOTAS = {
    "vpc": {"service_code": "vpc", "quota_code": "L-F678F1CE", "name": "VPCs per Region", "default": 5},
    "eip": {"service_code": "ec2", "quota_code": "L-0263D0A3", "name": "EC2-VPC Elastic IPs", "default": 5},
    "vgw": {"service_code": "ec2", "quota_code": "L-7029FAB6", "name": "Virtual private gateways per region",
            "default": 5},
    "tgw": {"service_code": "ec2", "quota_code": "L-A2478D36", "name": "Transit gateways per account (per region)",
            "default": 5},
}
# What the quotas count, in a sentence ("3 labs need 6 VPCs").
NOUNS = {"vpc": "VPCs", "eip": "Elastic IPs", "vgw": "virtual private gateways", "tgw": "transit gateways"}

# Stack states whose resources are gone (a failed create rolled back, a deleted stack): such a
# stack holds nothing of the quotas, and the lab's stacks role clears and builds it again.
GONE_STACK_STATES = ("ROLLBACK_COMPLETE", "DELETE_COMPLETE")

# Where a quota's value came from (hybridlab.aws.service_quota_info's `source`), in words.
SOURCES = {
    "applied": "applied to the account",
    "aws_default": "AWS default",
    "documented_default": "documented default, Service Quotas not readable",
}


def standing_stacks(stacks):
    """The stacks (dicts with a ``status``, as hybridlab.aws.lab_account_info lists them) whose
    resources stand: a lab's stacks that stand add nothing to the quotas when it is built again."""
    return [stack for stack in stacks or [] if stack.get("status") not in GONE_STACK_STATES]


def quota_usage(needs, account_regions, labs=None, one_lab=None):
    """One row per region read and quota kind: the quota, what is in use, what is added.

    ``needs`` is, per region, the count of each kind added (lab_resources.lab_quota_needs, or a
    class's sum); ``account_regions`` is hybridlab.aws.lab_account_info's ``regions``. For a class,
    ``labs`` is how many labs are still to be built and ``one_lab`` one lab's needs (to say how
    many more fit). A row the region cannot hold is ``short`` and has a ``reason``: the numbers
    and what to do.
    """
    rows = []
    for region, held in account_regions.items():
        for kind, asked in QUOTAS.items():
            quota = next((q for q in held.get("quotas") or [] if q.get("quota_code") == asked["quota_code"]), None)
            if quota is None:
                continue
            limit, in_use = int(quota["value"]), int(held["in_use"][kind])
            adds = int(needs.get(region, {}).get(kind, 0))
            source = SOURCES.get(quota.get("source"), str(quota.get("source"))) + (
                f": {quota['reason']}" if quota.get("reason") else "")
            named = f"{quota['quota_name']} ({quota['service_code']} {quota['quota_code']})"
            added = "the lab adds" if labs is None else f"the class's {labs} lab(s) to build add"
            row = {"region": region, "kind": kind, "quota": limit, "in_use": in_use, "needs": adds,
                   "short": adds > 0 and in_use + adds > limit,
                   "line": f"{region} {named}: quota {limit} ({source}), in use {in_use}, {added} {adds}"}
            if row["short"] and labs is None:
                row["reason"] = (
                    f"{region}: {quota['quota_name']} is {limit} ({source}), {in_use} in use and the lab adds {adds}: "
                    f"free {in_use + adds - limit} or request an increase of {quota['service_code']} "
                    f"{quota['quota_code']} in Service Quotas")
            elif row["short"]:
                fit = max(0, limit - in_use) // max(1, (one_lab or {}).get(region, {}).get(kind, 0))
                row["reason"] = (
                    f"{labs} labs need {adds} {NOUNS[kind]} in {region}, {in_use} in use, quota {limit} "
                    f"({quota['quota_name']}, {source}): request an increase of {quota['service_code']} "
                    f"{quota['quota_code']} to at least {in_use + adds} in Service Quotas, or use fewer learners per "
                    f"account (room for {fit} more lab(s))")
            rows.append(row)
    return rows
