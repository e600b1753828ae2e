"""Where a VPN connection's addresses and keys come from on the twin.

AWS gives each Site-to-Site VPN connection two tunnel endpoints with public outside IPs,
one /30 of link-local "inside" addresses per tunnel and one pre-shared key per tunnel.
The twin hands out the same things, with two differences that matter to the lab:

* Outside IPs come from 203.0.113.0/24 (TEST-NET-3), never from real public space, so
  nothing the lab configures can reach the Internet.
* Outside IPs are handed out next-fit: the search resumes after the last address given, so
  an address freed by deleting (or replacing) a connection is the last one to be reused.
  That is what the lab relies on to prove that a replaced connection has new tunnel IPs.

This module knows nothing about moto: callers pass in the addresses already in use.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import string
import threading
from collections.abc import Collection, Iterable

OUTSIDE_IP_POOL = ipaddress.IPv4Network("203.0.113.0/24")
# The first host of the range stays free for the data plane's stand-in "Internet" router.
RESERVED_OUTSIDE_IPS = frozenset({ipaddress.IPv4Address("203.0.113.1")})

INSIDE_CIDR_POOL = ipaddress.IPv4Network("169.254.0.0/16")
INSIDE_CIDR_PREFIX = 30
# AWS refuses these /30s as tunnel inside CIDRs (see VpnTunnelOptionsSpecification).
RESERVED_INSIDE_CIDRS = frozenset(
    ipaddress.IPv4Network(cidr)
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

PSK_ALPHABET = string.ascii_letters + string.digits + "._"
PSK_MIN_LENGTH = 8
PSK_MAX_LENGTH = 64
# AWS's generated keys are 32 characters long.
GENERATED_PSK_LENGTH = 32
_PSK_PATTERN = re.compile(r"[A-Za-z0-9._]+")

_random = secrets.SystemRandom()


class InvalidTunnelParameter(ValueError):
    """A tunnel option that AWS would refuse; ``parameter`` names it as AWS does."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"Value for parameter {parameter} is invalid. {reason}")
        self.parameter = parameter
        self.reason = reason


class AddressPoolExhausted(RuntimeError):
    """Every usable address of a pool is allocated."""


class OutsideIpAllocator:
    """Hands out tunnel outside IPs next-fit, so freed addresses come back last."""

    def __init__(
        self,
        pool: ipaddress.IPv4Network = OUTSIDE_IP_POOL,
        reserved: Collection[ipaddress.IPv4Address] = RESERVED_OUTSIDE_IPS,
    ) -> None:
        self._candidates = [ip for ip in pool.hosts() if ip not in reserved]
        self._cursor = 0
        self._lock = threading.Lock()

    def allocate(self, count: int, in_use: Iterable[str]) -> list[str]:
        """``count`` distinct addresses, none of them in ``in_use``."""
        taken = {ipaddress.IPv4Address(ip) for ip in in_use}
        chosen: list[str] = []
        with self._lock:
            for step in range(len(self._candidates)):
                index = (self._cursor + step) % len(self._candidates)
                candidate = self._candidates[index]
                if candidate in taken:
                    continue
                chosen.append(str(candidate))
                taken.add(candidate)
                if len(chosen) == count:
                    self._cursor = index + 1
                    return chosen
        raise AddressPoolExhausted(f"no {count} free tunnel outside IPs left in {OUTSIDE_IP_POOL}")


# One allocator per process: outside IPs are unique across every account and region of the
# twin, as AWS's public addresses are.
outside_ips = OutsideIpAllocator()


def generate_pre_shared_key(length: int = GENERATED_PSK_LENGTH) -> str:
    """A random key that satisfies AWS's PSK rules (never starts with '0')."""
    first = _random.choice(PSK_ALPHABET.replace("0", ""))
    return first + "".join(_random.choice(PSK_ALPHABET) for _ in range(length - 1))


def validate_pre_shared_key(psk: str) -> str:
    """Return ``psk`` when AWS would accept it, else raise :class:`InvalidTunnelParameter`."""
    if not isinstance(psk, str):
        raise InvalidTunnelParameter("PreSharedKey", "The pre-shared key must be a string.")
    if not PSK_MIN_LENGTH <= len(psk) <= PSK_MAX_LENGTH:
        raise InvalidTunnelParameter(
            "PreSharedKey",
            f"The pre-shared key must be between {PSK_MIN_LENGTH} and {PSK_MAX_LENGTH} characters long.",
        )
    if not _PSK_PATTERN.fullmatch(psk):
        raise InvalidTunnelParameter(
            "PreSharedKey",
            "Allowed characters are alphanumeric characters, periods (.) and underscores (_).",
        )
    if psk.startswith("0"):
        raise InvalidTunnelParameter("PreSharedKey", "The pre-shared key cannot start with zero (0).")
    return psk


def validate_tunnel_inside_cidr(cidr: str) -> ipaddress.IPv4Network:
    """Parse ``cidr`` as AWS does: a /30 inside 169.254.0.0/16 that is not reserved."""
    try:
        network = ipaddress.IPv4Network(cidr, strict=True)
    except (ValueError, TypeError) as error:
        raise InvalidTunnelParameter("TunnelInsideCidr", f"{cidr!r} is not an IPv4 CIDR block.") from error
    if network.prefixlen != INSIDE_CIDR_PREFIX or not network.subnet_of(INSIDE_CIDR_POOL):
        raise InvalidTunnelParameter(
            "TunnelInsideCidr", f"{cidr} must be a /30 CIDR block from the {INSIDE_CIDR_POOL} range."
        )
    if network in RESERVED_INSIDE_CIDRS:
        raise InvalidTunnelParameter("TunnelInsideCidr", f"{cidr} is reserved and cannot be used.")
    return network


def allocate_inside_cidrs(count: int, in_use: Iterable[str]) -> list[str]:
    """``count`` distinct random /30s from 169.254.0.0/16, avoiding reserved and used ones."""
    taken = {ipaddress.IPv4Network(cidr) for cidr in in_use} | set(RESERVED_INSIDE_CIDRS)
    block_count = INSIDE_CIDR_POOL.num_addresses >> (32 - INSIDE_CIDR_PREFIX)
    if block_count - len(taken) < count:
        raise AddressPoolExhausted(f"no {count} free tunnel inside CIDRs left in {INSIDE_CIDR_POOL}")
    chosen: list[str] = []
    base = int(INSIDE_CIDR_POOL.network_address)
    while len(chosen) < count:
        offset = _random.randrange(block_count) << (32 - INSIDE_CIDR_PREFIX)
        network = ipaddress.IPv4Network((base + offset, INSIDE_CIDR_PREFIX))
        if network in taken:
            continue
        taken.add(network)
        chosen.append(str(network))
    return chosen


def inside_addresses(cidr: str) -> tuple[str, str]:
    """(AWS side, customer side) addresses of a tunnel's inside /30: first and second host."""
    aws_side, customer_side = list(ipaddress.IPv4Network(cidr).hosts())[:2]
    return str(aws_side), str(customer_side)
