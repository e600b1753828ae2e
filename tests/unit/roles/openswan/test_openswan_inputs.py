"""The role's input checks (vars/main.yml: __openswan_input_problems), which run before any
task touches the host: each bad input gives a sentence naming the variable, never the key."""

from __future__ import annotations

import copy

import pytest

from openswan_role import TUNNELS, evaluate


def problems(**overrides) -> list[str]:
    return evaluate("{{ __openswan_input_problems }}", **overrides)


def tunnels_with(index: int, **changes) -> list[dict]:
    tunnels = copy.deepcopy(TUNNELS)
    tunnels[index].update(changes)
    return tunnels


def test_vpn_tunnel_info_output_is_accepted_as_it_is() -> None:
    assert problems() == []


def test_plain_tunnels_with_outside_ip_psk_and_inside_cidr_are_enough() -> None:
    plain = [{key: t[key] for key in ("outside_ip", "pre_shared_key", "inside_cidr")} for t in TUNNELS]
    assert problems(openswan_tunnels=plain) == []


def test_policy_mode_needs_no_inside_cidr() -> None:
    plain = [{key: t[key] for key in ("outside_ip", "pre_shared_key")} for t in TUNNELS]
    assert problems(openswan_tunnels=plain, openswan_routing="policy") == []


@pytest.mark.parametrize("bad_ip", ["203.0.113", "203.0.113.256", "203.0.113.1/32", "tunnel-1.example", "", 203])
def test_malformed_outside_ip_is_named(bad_ip) -> None:
    found = problems(openswan_tunnels=tunnels_with(1, outside_ip=bad_ip))
    assert len(found) == 1
    assert found[0].startswith("openswan_tunnels[1] (Tunnel2).outside_ip must be an IPv4 address")


def test_malformed_gateway_ip_is_named() -> None:
    assert problems(openswan_left_id="198.51.100.1000") == [
        'openswan_left_id (the customer gateway public IP) must be an IPv4 address like 198.51.100.10, not "198.51.100.1000"'
    ]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_anything_but_two_tunnels_is_refused(count: int) -> None:
    tunnels = (copy.deepcopy(TUNNELS) * 2)[:count]
    found = problems(openswan_tunnels=tunnels)
    assert found == [
        f"openswan_tunnels has {count} tunnel(s); an AWS VPN connection has two (Tunnel1 and Tunnel2) and both must be given"
    ]


def test_tunnels_that_are_not_a_list_are_refused() -> None:
    assert problems(openswan_tunnels={"outside_ip": "203.0.113.12"}) == [
        "openswan_tunnels must be a list of the two tunnels of the VPN connection"
    ]


@pytest.mark.parametrize(
    "psk, rule",
    [
        ("short7c", "must be 8 to 64 characters long (AWS), it has 7"),
        ("x" * 65, "must be 8 to 64 characters long (AWS), it has 65"),
        ("has-dash-psk", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("has space psk", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("0startswithzero", "must not start with '0' (AWS)"),
    ],
)
def test_psk_breaking_an_aws_rule_names_the_rule_but_not_the_key(psk: str, rule: str) -> None:
    found = problems(openswan_tunnels=tunnels_with(0, pre_shared_key=psk))
    assert found == [f"openswan_tunnels[0] (Tunnel1).pre_shared_key {rule}"]
    assert psk not in found[0]


def test_missing_psk_is_named() -> None:
    tunnels = copy.deepcopy(TUNNELS)
    del tunnels[1]["pre_shared_key"]
    assert problems(openswan_tunnels=tunnels) == ["openswan_tunnels[1] (Tunnel2).pre_shared_key is missing"]


def test_psk_of_the_course_is_accepted() -> None:
    assert problems(openswan_tunnels=tunnels_with(0, pre_shared_key="cloudneta")) == []


@pytest.mark.parametrize(
    "inside, message",
    [
        ("169.254.12.1/30", "has host bits set"),
        ("169.254.12.0/29", "must be a /30 in 169.254.0.0/16 (AWS)"),
        ("10.0.0.0/30", "must be a /30 in 169.254.0.0/16 (AWS)"),
        ("169.254.12.0", "must be an IPv4 network in CIDR notation"),
    ],
)
def test_bad_inside_cidr_is_refused_in_route_based_mode(inside: str, message: str) -> None:
    found = problems(openswan_tunnels=tunnels_with(0, inside_cidr=inside))
    assert len(found) == 1 and message in found[0] and found[0].startswith("openswan_tunnels[0] (Tunnel1).inside_cidr")
    assert problems(openswan_tunnels=tunnels_with(0, inside_cidr=inside), openswan_routing="policy") == []


def test_customer_inside_ip_outside_its_cidr_is_refused() -> None:
    assert problems(openswan_tunnels=tunnels_with(0, inside_ip_customer="169.254.12.9")) == [
        "openswan_tunnels[0] (Tunnel1).inside_ip_customer 169.254.12.9 is not a host address of 169.254.12.0/30"
    ]


def test_two_tunnels_to_the_same_endpoint_are_refused() -> None:
    found = problems(openswan_tunnels=tunnels_with(1, outside_ip=TUNNELS[0]["outside_ip"]))
    assert found == ["openswan_tunnels: both tunnels have outside_ip 203.0.113.12; each tunnel has its own"]


def test_overlapping_networks_are_refused() -> None:
    found = problems(openswan_local_cidr="10.0.0.0/8")
    assert found == [
        "openswan_local_cidr 10.0.0.0/8 and openswan_remote_cidr 10.50.0.0/16 overlap; the two sides of the VPN need distinct networks"
    ]


def test_dh_group_aws_does_not_accept_for_phase1_is_refused() -> None:
    assert problems(openswan_phase1_dh_group=5) == [
        "openswan_phase1_dh_group 5 is not a DH group AWS accepts for phase1 (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)"
    ]


def test_gcm_for_ike_needs_ikev2() -> None:
    assert problems(openswan_phase1_encryption="AES256-GCM-16", openswan_ike_version=1) == [
        "openswan_phase1_encryption AES256-GCM-16 needs IKEv2; IKEv1 has no AEAD ciphers for phase 1"
    ]


def test_lifetimes_outside_aws_ranges_are_refused() -> None:
    found = problems(openswan_phase1_lifetime=30000, openswan_phase2_lifetime=600)
    assert "openswan_phase1_lifetime must be 900 to 28800 seconds (AWS), not 30000" in found
    assert "openswan_phase2_lifetime must be 900 to 3600 seconds (AWS), not 600" in found
