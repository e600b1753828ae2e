"""Tunnel addresses and keys: AWS's rules, and the twin's documentation-range pools."""

from __future__ import annotations

import ipaddress

import pytest

from labbox.cloud.vpn_addresses import (
    OUTSIDE_IP_POOL,
    PSK_ALPHABET,
    RESERVED_INSIDE_CIDRS,
    AddressPoolExhausted,
    InvalidTunnelParameter,
    OutsideIpAllocator,
    allocate_inside_cidrs,
    generate_pre_shared_key,
    inside_addresses,
    validate_pre_shared_key,
    validate_tunnel_inside_cidr,
)


def test_generated_psks_follow_aws_rules_and_differ() -> None:
    keys = [generate_pre_shared_key() for _ in range(300)]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert len(key) == 32
        assert set(key) <= set(PSK_ALPHABET)
        assert not key.startswith("0")
        assert validate_pre_shared_key(key) == key


@pytest.mark.parametrize("psk", ["cloudneta", "a" * 8, "Z" * 64, "abc.def_123", "1leading_digit_ok"])
def test_psk_accepted_when_aws_accepts_it(psk: str) -> None:
    assert validate_pre_shared_key(psk) == psk


@pytest.mark.parametrize(
    ("psk", "reason"),
    [
        ("short7c", "between 8 and 64"),
        ("x" * 65, "between 8 and 64"),
        ("0cloudneta", "cannot start with zero"),
        ("has-dash-inside", "Allowed characters"),
        ("plus+sign+key", "Allowed characters"),
        ("spaces in key", "Allowed characters"),
    ],
)
def test_psk_rejected_like_aws(psk: str, reason: str) -> None:
    with pytest.raises(InvalidTunnelParameter) as caught:
        validate_pre_shared_key(psk)
    assert caught.value.parameter == "PreSharedKey"
    assert str(caught.value).startswith("Value for parameter PreSharedKey is invalid.")
    assert reason in str(caught.value)


def test_inside_cidr_accepted_when_a_free_slash_30_of_link_local() -> None:
    assert validate_tunnel_inside_cidr("169.254.10.0/30") == ipaddress.IPv4Network("169.254.10.0/30")


@pytest.mark.parametrize("cidr", sorted(str(network) for network in RESERVED_INSIDE_CIDRS))
def test_inside_cidr_reserved_by_aws_rejected(cidr: str) -> None:
    with pytest.raises(InvalidTunnelParameter, match="reserved"):
        validate_tunnel_inside_cidr(cidr)


@pytest.mark.parametrize("cidr", ["169.254.10.0/29", "169.254.10.0/31", "10.0.0.0/30", "169.254.10.1/30", "nonsense"])
def test_inside_cidr_not_a_link_local_slash_30_rejected(cidr: str) -> None:
    with pytest.raises(InvalidTunnelParameter) as caught:
        validate_tunnel_inside_cidr(cidr)
    assert caught.value.parameter == "TunnelInsideCidr"


def test_inside_addresses_are_aws_first_customer_second() -> None:
    assert inside_addresses("169.254.44.40/30") == ("169.254.44.41", "169.254.44.42")


def test_outside_ips_come_from_test_net_3_and_skip_addresses_in_use() -> None:
    allocator = OutsideIpAllocator()
    first = allocator.allocate(2, in_use=[])
    second = allocator.allocate(2, in_use=first)
    assert len(set(first + second)) == 4
    for address in first + second:
        assert ipaddress.IPv4Address(address) in OUTSIDE_IP_POOL
        assert address != "203.0.113.1"


def test_freed_outside_ips_are_the_last_to_come_back() -> None:
    allocator = OutsideIpAllocator(ipaddress.IPv4Network("203.0.113.0/29"), reserved=())
    # Six usable hosts: .1-.6.
    old = allocator.allocate(2, in_use=[])
    newer = allocator.allocate(2, in_use=old)
    # The first pair is freed; the next allocation still prefers never-used addresses.
    after_free = allocator.allocate(2, in_use=newer)
    assert set(after_free).isdisjoint(old)
    # Only when the pool has wrapped around do freed addresses return.
    wrapped = allocator.allocate(2, in_use=newer + after_free)
    assert set(wrapped) == set(old)


def test_outside_ip_pool_exhaustion_is_an_error() -> None:
    allocator = OutsideIpAllocator(ipaddress.IPv4Network("203.0.113.0/30"), reserved=())
    taken = allocator.allocate(2, in_use=[])
    with pytest.raises(AddressPoolExhausted):
        allocator.allocate(1, in_use=taken)


def test_generated_inside_cidrs_are_distinct_valid_and_avoid_used_ones() -> None:
    used = ["169.254.100.0/30", "169.254.100.4/30"]
    generated = allocate_inside_cidrs(200, in_use=used)
    assert len(set(generated)) == 200
    assert set(generated).isdisjoint(used)
    for cidr in generated:
        validate_tunnel_inside_cidr(cidr)
