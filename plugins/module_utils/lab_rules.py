# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules the lab's inputs must follow, as plain functions that return problems.

Each function returns a list of sentences, empty when the value is fine; every sentence names
the variable and the rule, so a user can fix it without reading code. Filters and modules share
these functions so a rule is written once.
"""

from __future__ import annotations

import ipaddress
import re

# AWS's rules for a VPN tunnel pre-shared key.
PSK_MIN_LENGTH = 8
PSK_MAX_LENGTH = 64
_PSK_CHARACTERS = re.compile(r"^[A-Za-z0-9._]*$")

# Inside CIDRs AWS refuses for tunnels (AWS's VPN documentation, "tunnel options").
TUNNEL_INSIDE_RANGE = ipaddress.ip_network("169.254.0.0/16")
TUNNEL_INSIDE_RESERVED = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "169.254.0.0/30",
        "169.254.1.0/30",
        "169.254.2.0/30",
        "169.254.3.0/30",
        "169.254.4.0/30",
        "169.254.5.0/30",
        "169.254.169.252/30",
    )
)

# Private ASNs for the virtual private gateway. AWS also takes 4200000000-4294967294, but the
# VPN template's VgwAsn parameter can state only one range, so the lab offers the 16-bit one.
VGW_ASN_RANGES = ((64512, 65534),)


# The names of AWS's pre-shared key rules, as psk_broken_rules returns them; callers word them.
PSK_RULE_LENGTH = "length"
PSK_RULE_CHARACTERS = "characters"
PSK_RULE_LEADING_ZERO = "leading_zero"


def psk_broken_rules(psk):
    """The AWS rules the pre-shared key string ``psk`` breaks, as PSK_RULE_* names in that order.

    The rules are kept apart from their wording so that every caller checks the same rules and
    still speaks of its own variables.
    """
    broken = []
    if not PSK_MIN_LENGTH <= len(psk) <= PSK_MAX_LENGTH:
        broken.append(PSK_RULE_LENGTH)
    # fullmatch, not match: "$" would let a key end in a newline, which AWS refuses.
    if not _PSK_CHARACTERS.fullmatch(psk):
        broken.append(PSK_RULE_CHARACTERS)
    if psk.startswith("0"):
        broken.append(PSK_RULE_LEADING_ZERO)
    return broken


def psk_problems(psk, name):
    """Problems of one pre-shared key against AWS's rules (never quoting the key itself)."""
    if not isinstance(psk, str):
        return [f"{name} must be a string"]
    sentences = {
        PSK_RULE_LENGTH: f"{name} must be {PSK_MIN_LENGTH} to {PSK_MAX_LENGTH} characters long (it has {len(psk)})",
        PSK_RULE_CHARACTERS: f"{name} may contain only letters, digits, '.' and '_'",
        PSK_RULE_LEADING_ZERO: f"{name} must not start with '0'",
    }
    return [sentences[rule] for rule in psk_broken_rules(psk)]


def network(value):
    """The IPv4 network ``value`` names, or None when it is not a CIDR with clean host bits."""
    try:
        return ipaddress.IPv4Network(str(value), strict=True)
    except ValueError:
        return None


def written_cidr(value):
    """``value`` read as an IPv4 CIDR written address/prefix-length, host bits allowed, or None.

    Only the plain spelling counts ("10.60.0.0/16", "169.254.12.2/30"): a bare address, a netmask
    or a padded prefix length is None, because such values are written as they are into
    configuration files that expect that spelling.
    """
    if not isinstance(value, str):
        return None
    try:
        interface = ipaddress.IPv4Interface(value)
    except ValueError:
        return None
    return interface if str(interface) == value else None


def cidr_problems(value, name):
    """Problems of an IPv4 CIDR: malformed, missing prefix length, host bits set."""
    text = str(value)
    if "/" not in text:
        return [f"{name} must be an IPv4 CIDR such as 10.60.0.0/16 (got {text!r})"]
    try:
        ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        return [f"{name} must be an IPv4 CIDR such as 10.60.0.0/16 (got {text!r})"]
    if network(text) is None:
        return [f"{name} has host bits set: use {ipaddress.IPv4Network(text, strict=False)} (got {text!r})"]
    return []


def address_problems(value, name):
    """Problems of a single IPv4 address."""
    try:
        ipaddress.IPv4Address(str(value))
    except ValueError:
        return [f"{name} must be an IPv4 address such as 10.60.0.100 (got {str(value)!r})"]
    return []


def ipv4_address(value):
    """The IPv4 address the string ``value`` spells as a dotted quad, or None (numbers are not)."""
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.IPv4Address(value)
    except ValueError:
        return None


def is_host_address(address, net):
    """True when ``address`` is one of the host addresses of ``net``, as ``net.hosts()`` lists them.

    Checked without listing the hosts: every address but the network and broadcast addresses,
    except in a /31 or /32, where every address is a host (RFC 3021).
    """
    if address not in net:
        return False
    return net.prefixlen >= 31 or address not in (net.network_address, net.broadcast_address)


def overlap_problems(first, first_name, second, second_name):
    """Problem when two valid CIDRs overlap (invalid ones are reported by cidr_problems)."""
    a, b = network(first), network(second)
    if a is not None and b is not None and a.overlaps(b):
        return [f"{first_name} ({a}) and {second_name} ({b}) overlap: the two sides of a VPN need distinct ranges"]
    return []


def within_problems(inner, inner_name, outer, outer_name):
    """Problem when a valid subnet is not inside its valid VPC."""
    a, b = network(inner), network(outer)
    if a is not None and b is not None and not a.subnet_of(b):
        return [f"{inner_name} ({a}) must lie inside {outer_name} ({b})"]
    return []


def usable_address_problems(address, address_name, subnet, subnet_name):
    """Problem when a valid address is not one AWS lets an instance use in a valid subnet.

    AWS reserves the first four addresses and the last one of every subnet.
    """
    net = network(subnet)
    try:
        ip = ipaddress.IPv4Address(str(address))
    except ValueError:
        return []
    if net is None:
        return []
    if ip not in net:
        return [f"{address_name} ({ip}) must lie inside {subnet_name} ({net})"]
    if ip < net.network_address + 4 or ip == net.broadcast_address:
        return [f"{address_name} ({ip}) is reserved by AWS in {net}: the first four and the last address are"]
    return []


def is_tunnel_inside_range(net):
    """True when the network ``net`` has the shape of a tunnel inside CIDR: a /30 in 169.254.0.0/16."""
    return net.prefixlen == 30 and net.subnet_of(TUNNEL_INSIDE_RANGE)


def tunnel_inside_cidr_problems(value, name):
    """Problems of a tunnel inside CIDR: '' (AWS chooses) or a free /30 in 169.254.0.0/16."""
    if value in ("", None):
        return []
    problems = cidr_problems(value, name)
    if problems:
        return problems
    net = network(value)
    if not is_tunnel_inside_range(net):
        return [f"{name} must be a /30 inside 169.254.0.0/16 (got {net})"]
    if net in TUNNEL_INSIDE_RESERVED:
        return [f"{name} ({net}) is reserved by AWS; pick another /30 in 169.254.0.0/16"]
    return []


def asn_problems(value, name, ranges):
    """Problem when ``value`` is not a whole number inside one of ``ranges``."""
    try:
        asn = int(value)
    except (TypeError, ValueError):
        asn = None
    if asn is None or not any(low <= asn <= high for low, high in ranges):
        allowed = " or ".join(f"{low}-{high}" for low, high in ranges)
        return [f"{name} must be a private ASN in {allowed} (got {value!r})"]
    return []


def cidr_span(cidrs):
    """The smallest IPv4 network that holds every network in ``cidrs`` (10.0.0.0/14 for 10.0-10.2.0.0/16).

    Raises ValueError for a value that is not an IPv4 network.
    """
    nets = [ipaddress.IPv4Network(str(cidr), strict=False) for cidr in cidrs]
    low = min(int(net.network_address) for net in nets)
    high = max(int(net.broadcast_address) for net in nets)
    prefix = 32 - (low ^ high).bit_length()
    return str(ipaddress.IPv4Network((low, prefix), strict=False))
