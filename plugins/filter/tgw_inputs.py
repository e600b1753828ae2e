# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for the Transit Gateway labs' variables: what is wrong with them, and one CIDR
spanning several."""

from __future__ import annotations

import itertools

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_catalogue
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules

# The labs site.yml builds (-e lab=...), from the stack catalogue: the course's first day, then
# the second day's; those with the VPN attachment's and those with the peering's stacks.
LABS = tuple(lab_catalogue.LABS)
USES_VPN = tuple(lab for lab, stacks in lab_catalogue.LABS.items() if "tgw_vpn" in stacks)
USES_PEERING = tuple(lab for lab, stacks in lab_catalogue.LABS.items() if "tgw_peering" in stacks)
TGW_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
CGW_ASN_RANGES = ((1, 2147483647),)
SUBNETS_PER_VPC = 4
PEER_SUBNETS = 2


def _cidr_list_problems(value, name, count):
    if not isinstance(value, (list, tuple)) or len(value) != count:
        return [f"{name} must be a list of {count} CIDRs"], []
    problems = []
    for index, cidr in enumerate(value):
        problems += lab_rules.cidr_problems(cidr, f"{name}[{index}]")
    return problems, [lab_rules.network(cidr) for cidr in value]


def _block_size_problems(net, name):
    if net is not None and not 16 <= net.prefixlen <= 28:
        return [f"{name} ({net}) must have a prefix length from /16 to /28, as AWS allows for VPCs and subnets"]
    return []


def _overlaps(named):
    """Sentences for every pair of (name, network) that overlap."""
    return [
        f"{a_name} ({a}) and {b_name} ({b}) overlap: networks joined by a transit gateway need distinct ranges"
        for (a_name, a), (b_name, b) in itertools.combinations(named, 2)
        if a is not None and b is not None and a.overlaps(b)
    ]


def _within(inner, inner_name, outer, outer_name, why):
    if inner is not None and outer is not None and not inner.subnet_of(outer):
        return [f"{inner_name} ({inner}) must lie inside {outer_name} ({outer}): {why}"]
    return []


def tgw_input_problems(inputs, regions):
    """Every rule the Transit Gateway labs' variables break, naming the variable and the rule.

    ``inputs`` maps variable names to values (roles/lab_config/vars/main.yml builds it), ``lab``
    among them: rules of the VPN attachment and of the peering apply only to the labs that build
    them. ``regions`` lists the known region names (lookup hybridlab.aws.aws_regions).
    """
    if not isinstance(inputs, dict):
        raise AnsibleFilterError("tgw_input_problems expects a dict of the lab's variables")
    lab = inputs.get("lab")
    if lab not in LABS:
        return [f"lab must be one of {', '.join(LABS)} (got {lab!r})"]
    if lab == "s2s":
        return []
    problems, vpcs = _cidr_list_problems(inputs.get("tgw_vpc_cidrs"), "tgw_vpc_cidrs", 3)
    named_vpcs = [(f"tgw_vpc_cidrs[{n}]", net) for n, net in enumerate(vpcs)]
    for name, net in named_vpcs:
        problems += _block_size_problems(net, name)
    subnets = inputs.get("tgw_vpc_subnet_cidrs")
    if not isinstance(subnets, (list, tuple)) or len(subnets) != 3:
        problems.append(f"tgw_vpc_subnet_cidrs must be a list of 3 lists (one per VPC) of {SUBNETS_PER_VPC} CIDRs")
    else:
        for n, vpc_subnets in enumerate(subnets):
            name = f"tgw_vpc_subnet_cidrs[{n}]"
            found, nets = _cidr_list_problems(vpc_subnets, name, SUBNETS_PER_VPC)
            problems += found
            for index, net in enumerate(nets):
                problems += _block_size_problems(net, f"{name}[{index}]")
                if n < len(vpcs):
                    problems += _within(net, f"{name}[{index}]", vpcs[n], f"tgw_vpc_cidrs[{n}]", "a subnet belongs to its VPC")
            overlapping = _overlaps([(f"{name}[{i}]", net) for i, net in enumerate(nets)])
            problems += [p.replace("networks joined by a transit gateway", "subnets of a VPC") for p in overlapping]

    routed_problems = lab_rules.cidr_problems(inputs.get("tgw_routed_cidr"), "tgw_routed_cidr")
    problems += routed_problems
    routed = lab_rules.network(inputs.get("tgw_routed_cidr")) if not routed_problems else None
    why_routed = "each VPC sends only tgw_routed_cidr to the transit gateway"
    joined = list(named_vpcs)
    problems += lab_rules.asn_problems(inputs.get("tgw_asn"), "tgw_asn", TGW_ASN_RANGES)

    if lab in USES_VPN:
        idc = lab_rules.network(inputs.get("idc_vpc_cidr"))
        joined.append(("idc_vpc_cidr", idc))
        problems += _within(idc, "idc_vpc_cidr", routed, "tgw_routed_cidr", why_routed)
        span_problems = lab_rules.cidr_problems(inputs.get("tgw_vpn_networks_cidr"), "tgw_vpn_networks_cidr")
        problems += span_problems
        span = lab_rules.network(inputs.get("tgw_vpn_networks_cidr")) if not span_problems else None
        for name, net in named_vpcs:
            problems += _within(net, name, span, "tgw_vpn_networks_cidr", "IDC-CGW sends only tgw_vpn_networks_cidr into the tunnels")
        if span is not None and idc is not None and span.overlaps(idc):
            problems.append(
                f"tgw_vpn_networks_cidr ({span}) overlaps idc_vpc_cidr ({idc}): IDC-CGW would send its own network into the tunnels"
            )
        problems += lab_rules.asn_problems(inputs.get("tgw_customer_gateway_bgp_asn"), "tgw_customer_gateway_bgp_asn", CGW_ASN_RANGES)
        if str(inputs.get("tgw_customer_gateway_bgp_asn")) == str(inputs.get("customer_gateway_bgp_asn")):
            problems.append(
                "tgw_customer_gateway_bgp_asn must differ from customer_gateway_bgp_asn: AWS returns the existing customer "
                "gateway for the same address and ASN, and removing one lab would remove the other's"
            )

    if lab in USES_PEERING:
        peer_region = inputs.get("tgw_peer_region")
        if peer_region not in regions:
            problems.append(f"tgw_peer_region {peer_region!r} is not an AWS region (such as ap-northeast-1 or us-east-1)")
        elif peer_region == inputs.get("aws_region"):
            problems.append(
                f"tgw_peer_region must be another region than aws_region ({peer_region}): a transit gateway peering "
                "here is inter-region"
            )
        peer_problems = lab_rules.cidr_problems(inputs.get("tgw_peer_vpc_cidr"), "tgw_peer_vpc_cidr")
        problems += peer_problems
        peer = lab_rules.network(inputs.get("tgw_peer_vpc_cidr")) if not peer_problems else None
        problems += _block_size_problems(peer, "tgw_peer_vpc_cidr")
        problems += _within(peer, "tgw_peer_vpc_cidr", routed, "tgw_routed_cidr", why_routed)
        joined.append(("tgw_peer_vpc_cidr", peer))
        found, peer_subnets = _cidr_list_problems(inputs.get("tgw_peer_subnet_cidrs"), "tgw_peer_subnet_cidrs", PEER_SUBNETS)
        problems += found
        for index, net in enumerate(peer_subnets):
            problems += _within(net, f"tgw_peer_subnet_cidrs[{index}]", peer, "tgw_peer_vpc_cidr", "a subnet belongs to its VPC")
        problems += lab_rules.asn_problems(inputs.get("tgw_peer_asn"), "tgw_peer_asn", TGW_ASN_RANGES)
        if str(inputs.get("tgw_peer_asn")) == str(inputs.get("tgw_asn")):
            problems.append("tgw_peer_asn must differ from tgw_asn: peered transit gateways need their own ASNs")

    for name, net in named_vpcs:
        problems += _within(net, name, routed, "tgw_routed_cidr", why_routed)
    problems += _overlaps(joined)
    return problems


def cidr_span(cidrs):
    """The smallest IPv4 network that holds every network in ``cidrs`` (10.0.0.0/14 for 10.0-10.2.0.0/16)."""
    if not isinstance(cidrs, (list, tuple)) or not cidrs:
        raise AnsibleFilterError("cidr_span expects a non-empty list of CIDRs")
    try:
        return lab_rules.cidr_span(cidrs)
    except ValueError as error:
        raise AnsibleFilterError(f"cidr_span: {error}") from None


def lab_steps(lab):
    """The list of steps site.yml imports for a lab (playbooks/labs/<name>.yml): the lab's own
    for a lab there is, else day one's, which never runs (lab_config refuses the lab first)."""
    return lab if lab in LABS else LABS[0]


class FilterModule:
    def filters(self):
        return {"tgw_input_problems": tgw_input_problems, "cidr_span": cidr_span, "lab_steps": lab_steps}
