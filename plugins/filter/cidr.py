# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for CIDR variables: what is wrong with one, which of several overlap, the nth host.

The CIDR rules themselves live in module_utils/lab_rules.py so that every check of the lab's
inputs words them the same way; these filters expose them one value at a time.
"""

from __future__ import annotations

import ipaddress
from itertools import combinations

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules

# RFC 1918's private ranges: where a VPC's CIDR belongs.
RFC1918 = tuple(ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def cidr_problems(value, name="value", private=False):
    """Sentences naming ``name`` and each rule ``value`` breaks as an IPv4 CIDR; empty when fine.

    Rules: a CIDR with a prefix length, no host bits set, and with ``private`` inside RFC 1918.
    """
    problems = lab_rules.cidr_problems(value, name)
    if problems or not private:
        return problems
    network = lab_rules.network(value)
    if not any(network.subnet_of(block) for block in RFC1918):
        problems.append(
            f"{name} ({network}) must lie in a private range of RFC 1918: " + ", ".join(str(block) for block in RFC1918)
        )
    return problems


def _network(label, value):
    try:
        return ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        raise AnsibleFilterError(f"cidrs_overlap: {label} is not a CIDR (got {value!r})") from None


def cidrs_overlap(cidrs):
    """Every pair of overlapping CIDRs, in input order.

    ``cidrs`` is a list of CIDRs, answered with pairs of CIDRs, or a dict of variable name to
    CIDR, answered with pairs of names so a message can say which variables clash.
    """
    if isinstance(cidrs, dict):
        labelled = [(name, _network(name, value)) for name, value in cidrs.items()]
    elif isinstance(cidrs, (list, tuple)):
        labelled = [(value, _network(f"item {index}", value)) for index, value in enumerate(cidrs)]
    else:
        raise AnsibleFilterError(f"cidrs_overlap expects a list of CIDRs or a dict of name to CIDR, got {type(cidrs).__name__}")
    return [
        [first_label, second_label]
        for (first_label, first), (second_label, second) in combinations(labelled, 2)
        if first.version == second.version and first.overlaps(second)
    ]


def cidr_host(cidr, number):
    """Address number ``number`` of ``cidr`` (0 is the network address; -1 the last address)."""
    try:
        network = ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        raise AnsibleFilterError(f"cidr_host: {cidr!r} is not a CIDR") from None
    try:
        return str(network[int(number)])
    except (IndexError, ValueError, TypeError):
        raise AnsibleFilterError(
            f"cidr_host: {network} has no address number {number!r} (it has {network.num_addresses})"
        ) from None


class FilterModule:
    """hybridlab.aws CIDR filters."""

    def filters(self):
        return {
            "cidr_problems": cidr_problems,
            "cidrs_overlap": cidrs_overlap,
            "cidr_host": cidr_host,
        }
