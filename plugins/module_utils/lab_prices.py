# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the lab's billable resources cost per hour, from a dated table of AWS's list prices.

One table, one function: preflight prices the lab it is about to build, teardown prices what it
found left behind, a status report prices what runs. Each caller describes resources by kind
(and instance type, region); :func:`hourly_cost` answers the total with one line per kind.

The figures are AWS's on-demand list prices in USD as the public pages in ``PRICE_SOURCES``
gave them when the table was last written (``PRICES_AS_OF``); they were written down by hand,
not fetched, so check them against those pages before you budget with them. They exclude data
transfer, data processing (per GB through a VPN, a transit gateway or an endpoint), taxes, and
any free tier or discount. Prices change: update the table and its date together.
"""

from __future__ import annotations

import math

PRICES_AS_OF = "2026-12-04"
CURRENCY = "USD"
PRICE_NOTE = (
    f"AWS list prices in {CURRENCY} as written on {PRICES_AS_OF} (check the pricing pages), on-demand; "
    "data transfer, data processing and taxes excluded"
)
PRICE_SOURCES = {
    "vpn_connection": "https://aws.amazon.com/vpn/pricing/ (Site-to-Site VPN connection-hour)",
    "tgw_attachment": "https://aws.amazon.com/transit-gateway/pricing/ (attachment-hour; a peering bills on both sides)",
    "public_ipv4": "https://aws.amazon.com/vpc/pricing/ (public IPv4 address-hour, in use or idle, Elastic IPs included)",
    "interface_endpoint_az": "https://aws.amazon.com/privatelink/pricing/ (interface endpoint-hour per Availability Zone)",
    "ebs_gp3_gb": "https://aws.amazon.com/ebs/pricing/ (gp3 GB-month / 730 hours)",
    "instance": "https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, shared tenancy)",
}

# AWS bills a month as 730 hours when it prices storage per GB-month.
HOURS_PER_MONTH = 730

# USD per hour per unit, by region. `instance` is by instance type (Linux on-demand).
HOURLY_PRICES = {
    "ap-northeast-2": {  # Asia Pacific (Seoul)
        "vpn_connection": 0.05,
        "tgw_attachment": 0.07,
        "public_ipv4": 0.005,
        "interface_endpoint_az": 0.013,
        "ebs_gp3_gb": 0.0912 / HOURS_PER_MONTH,
        "instance": {"t3.nano": 0.0065, "t3.micro": 0.013, "t3.small": 0.026, "t3.medium": 0.052},
    },
    "ap-northeast-1": {  # Asia Pacific (Tokyo)
        "vpn_connection": 0.05,
        "tgw_attachment": 0.07,
        "public_ipv4": 0.005,
        "interface_endpoint_az": 0.014,
        "ebs_gp3_gb": 0.096 / HOURS_PER_MONTH,
        "instance": {"t3.nano": 0.0068, "t3.micro": 0.0136, "t3.small": 0.0272, "t3.medium": 0.0544},
    },
}

# What each kind is called in a cost line, and its unit.
KIND_LABELS = {
    "instance": "EC2 instance",
    "vpn_connection": "Site-to-Site VPN connection",
    "tgw_attachment": "Transit Gateway attachment",
    "public_ipv4": "public IPv4 address",
    "interface_endpoint_az": "interface VPC endpoint (per AZ)",
    "ebs_gp3_gb": "EBS gp3 storage (GB)",
}

# Resources with no hourly charge of their own: listed so a caller may pass them and so that a
# misspelt kind is an error, not a silent zero. An Elastic IP bills as a public IPv4 address,
# a transit gateway through its attachments.
NO_HOURLY_CHARGE = frozenset(
    {"vpc", "subnet", "route_table", "security_group", "internet_gateway", "eip", "vgw", "customer_gateway", "tgw", "key_pair"}
)

KINDS = frozenset(KIND_LABELS) | NO_HOURLY_CHARGE


class UnknownResourceKind(ValueError):
    """A resource kind the table does not know: neither priced nor known to be free."""


def hourly_cost(resources, region=None):
    """The hourly cost of ``resources`` with one line per kind, instance type and region.

    ``resources``: a list of dicts with ``kind`` (see ``KINDS``), ``count`` (default 1),
    ``region`` (default ``region``) and, for ``instance``, ``instance_type``.

    Returns ``{"total", "lines", "unpriced", "currency", "as_of", "note"}``. ``lines`` holds
    ``kind``, ``label``, ``region``, ``instance_type`` (instances), ``count``, ``unit_price`` and
    ``hourly``, in the order kinds first appear; ``unpriced`` names what the table has no price
    for (a region or an instance type it does not list), so a total is never silently low.
    """
    lines = {}
    unpriced = []
    for resource in resources:
        kind = resource.get("kind")
        if kind not in KINDS:
            raise UnknownResourceKind(f"unknown resource kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
        count = resource.get("count", 1)
        if kind in NO_HOURLY_CHARGE or not count:
            continue
        where = resource.get("region") or region
        instance_type = resource.get("instance_type") if kind == "instance" else None
        price = _unit_price(kind, where, instance_type)
        key = (kind, where, instance_type)
        if price is None:
            what = f"{count} x {KIND_LABELS[kind]}" + (f" {instance_type}" if instance_type else "")
            unpriced.append(f"{what} in {where}")
            continue
        if key not in lines:
            lines[key] = {
                "kind": kind,
                "label": KIND_LABELS[kind],
                "region": where,
                "instance_type": instance_type,
                "count": 0,
                "unit_price": price,
                "hourly": 0.0,
            }
        lines[key]["count"] += count
        lines[key]["hourly"] = round(lines[key]["count"] * price, 6)
    return {
        "total": round(sum(line["hourly"] for line in lines.values()), 6),
        "lines": list(lines.values()),
        "unpriced": unpriced,
        "currency": CURRENCY,
        "as_of": PRICES_AS_OF,
        "note": PRICE_NOTE,
    }


def run_cost(hourly_total, hours):
    """The cost of ``hours`` of a lab costing ``hourly_total`` per hour.

    VPN connections, transit gateway attachments and endpoints bill each started hour in full,
    so a run is priced by whole hours (a 20-minute run costs one hour).
    """
    return round(hourly_total * max(1, math.ceil(hours)), 6)


def _unit_price(kind, region, instance_type):
    prices = HOURLY_PRICES.get(region)
    if prices is None:
        return None
    if kind == "instance":
        return prices["instance"].get(instance_type)
    return prices.get(kind)
