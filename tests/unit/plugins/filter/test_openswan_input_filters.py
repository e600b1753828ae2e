"""openswan_input_problems and openswan_version_problems: each rule of the openswan role fires on
its own with a sentence naming the role variable, good settings pass, and no sentence quotes a key."""

from __future__ import annotations

import copy
import json
import ipaddress
from typing import Any

import pytest

from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from ansible_collections.hybridlab.aws.plugins.filter.openswan_inputs import (
    INPUT_SETTINGS,
    VERSION_SETTINGS,
    openswan_input_problems,
    openswan_version_problems,
)
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules

AWS_DH_GROUPS = {
    "phase1": [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    "phase2": [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
}
LIBRESWAN_DH_GROUPS = {
    3: [2, 5, 14, 15, 16, 17, 18, 19, 20, 21],
    4: [5, 14, 15, 16, 17, 18, 19, 20, 21],
    5: [5, 14, 15, 16, 17, 18, 19, 20, 21],
}
DH_GROUP_NAMES = {2: "modp1024", 5: "modp1536", 14: "modp2048", 19: "dh19", 22: "dh22"}

PSKS = ("Tunnel1.example_psk", "Tunnel2.example_psk")
TUNNELS = [
    {
        "outside_ip": "203.0.113.12",
        "inside_cidr": "169.254.12.0/30",
        "inside_ip_aws": "169.254.12.1",
        "inside_ip_customer": "169.254.12.2",
        "pre_shared_key": PSKS[0],
    },
    {
        "outside_ip": "203.0.113.47",
        "inside_cidr": "169.254.47.8/30",
        "inside_ip_aws": "169.254.47.9",
        "inside_ip_customer": "169.254.47.10",
        "pre_shared_key": PSKS[1],
    },
]
SETTINGS: dict[str, Any] = {
    "left_id": "198.51.100.10",
    "local_cidr": "10.60.0.0/16",
    "remote_cidr": "10.50.0.0/16",
    "tunnels": TUNNELS,
    "routing": "vti",
    "ike_version": 2,
    "phase1_encryption": "AES256",
    "phase1_dh_group": 14,
    "phase1_lifetime": 28800,
    "phase2_dh_group": 14,
    "phase2_lifetime": 3600,
    "dpd_delay": 10,
    "dpd_timeout": 30,
    "tcp_mss": 1379,
    "aws_dh_groups": AWS_DH_GROUPS,
}
TUNNEL1 = "openswan_tunnels[0] (Tunnel1)"
TUNNEL2 = "openswan_tunnels[1] (Tunnel2)"


def problems_with(**changes: Any) -> list[str]:
    return openswan_input_problems(copy.deepcopy(SETTINGS) | changes)


def tunnels_with(index: int, **changes: Any) -> list[dict[str, Any]]:
    tunnels = copy.deepcopy(TUNNELS)
    tunnels[index].update(changes)
    return tunnels


def tunnels_without(index: int, key: str) -> list[dict[str, Any]]:
    tunnels = copy.deepcopy(TUNNELS)
    del tunnels[index][key]
    return tunnels


# Good settings


def test_vpn_tunnel_info_tunnels_in_route_based_mode_have_no_problems() -> None:
    assert problems_with() == []


def test_policy_mode_needs_only_outside_ip_and_key() -> None:
    plain = [{"outside_ip": t["outside_ip"], "pre_shared_key": t["pre_shared_key"]} for t in TUNNELS]
    assert problems_with(tunnels=plain, routing="policy") == []


def test_numbers_given_as_strings_are_read_as_numbers() -> None:
    assert problems_with(phase1_dh_group="14", phase2_lifetime="3600", dpd_delay="10", dpd_timeout="30") == []


@pytest.mark.parametrize(
    "changes",
    [
        {"phase1_lifetime": 901, "phase2_lifetime": 900},
        {"phase1_lifetime": 28800, "phase2_lifetime": 3600},
    ],
)
def test_lifetime_bounds_are_inclusive(changes: dict[str, int]) -> None:
    assert problems_with(**changes) == []


# The customer gateway and the two sides' networks


@pytest.mark.parametrize(
    "bad, shown",
    [
        ("198.51.100.1000", '"198.51.100.1000"'),
        ("198.51.100", '"198.51.100"'),
        ("198.51.100.010", '"198.51.100.010"'),
        ("198.51.100.10/32", '"198.51.100.10/32"'),
        (" 198.51.100.10", '" 198.51.100.10"'),
        ("cgw.example", '"cgw.example"'),
        ("", '""'),
        (3325256714, '"3325256714"'),
        (None, '"None"'),
    ],
)
def test_malformed_gateway_address_is_named_and_shown(bad: Any, shown: str) -> None:
    assert problems_with(left_id=bad) == [
        f"openswan_left_id (the customer gateway public IP) must be an IPv4 address like 198.51.100.10, not {shown}"
    ]


def test_a_long_bad_value_is_shortened_in_the_sentence() -> None:
    found = problems_with(left_id="x" * 200)
    assert found == [
        "openswan_left_id (the customer gateway public IP) must be an IPv4 address like 198.51.100.10, "
        f'not "{"x" * 57}..."'
    ]


@pytest.mark.parametrize("bad", ["10.60.0.0", "10.60.0.0/33", "10.60.0.0/255.255.0.0", "10.60.0.0/016", "10.60/16", "", 16])
def test_a_network_not_in_cidr_notation_is_refused(bad: Any) -> None:
    assert problems_with(local_cidr=bad) == [
        f'openswan_local_cidr must be an IPv4 network in CIDR notation like 10.60.0.0/16, not "{bad}"'
    ]


def test_a_network_with_host_bits_is_refused() -> None:
    assert problems_with(remote_cidr="10.50.1.0/16") == [
        "openswan_remote_cidr 10.50.1.0/16 has host bits set; the network is written with its first address"
    ]


@pytest.mark.parametrize("local", ["10.0.0.0/8", "10.50.0.0/16", "10.50.3.0/24"])
def test_overlapping_networks_are_refused(local: str) -> None:
    assert problems_with(local_cidr=local) == [
        f"openswan_local_cidr {local} and openswan_remote_cidr 10.50.0.0/16 overlap; "
        "the two sides of the VPN need distinct networks"
    ]


def test_overlap_is_only_judged_between_valid_networks() -> None:
    assert problems_with(local_cidr="10.50.0.1/8") == [
        "openswan_local_cidr 10.50.0.1/8 has host bits set; the network is written with its first address"
    ]


# The list of tunnels


@pytest.mark.parametrize("tunnels", [{"outside_ip": "203.0.113.12"}, "203.0.113.12,203.0.113.47", None, 2])
def test_tunnels_that_are_not_a_list_are_refused(tunnels: Any) -> None:
    assert problems_with(tunnels=tunnels) == ["openswan_tunnels must be a list of the two tunnels of the VPN connection"]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_anything_but_two_tunnels_is_refused(count: int) -> None:
    assert problems_with(tunnels=(copy.deepcopy(TUNNELS) * 2)[:count]) == [
        f"openswan_tunnels has {count} tunnel(s); an AWS VPN connection has two (Tunnel1 and Tunnel2) and both must be given"
    ]


def test_a_tunnel_tuple_is_a_list_too() -> None:
    assert problems_with(tunnels=tuple(copy.deepcopy(TUNNELS))) == []


@pytest.mark.parametrize("tunnel", ["203.0.113.47", ["203.0.113.47", PSKS[1]], None])
def test_a_tunnel_that_is_not_a_mapping_is_refused(tunnel: Any) -> None:
    tunnels = copy.deepcopy(TUNNELS)
    tunnels[1] = tunnel
    found = problems_with(tunnels=tunnels)
    assert found == [f"{TUNNEL2} must be a mapping with outside_ip and pre_shared_key"]
    assert PSKS[1] not in found[0]


@pytest.mark.parametrize("bad", ["203.0.113", "203.0.113.256", "203.0.113.1/32", "tunnel-1.example", "", 203])
def test_malformed_outside_ip_is_named(bad: Any) -> None:
    assert problems_with(tunnels=tunnels_with(1, outside_ip=bad)) == [
        f'{TUNNEL2}.outside_ip must be an IPv4 address like 198.51.100.10, not "{bad}"'
    ]


def test_missing_outside_ip_is_named() -> None:
    assert problems_with(tunnels=tunnels_without(0, "outside_ip")) == [
        f'{TUNNEL1}.outside_ip must be an IPv4 address like 198.51.100.10, not ""'
    ]


def test_two_tunnels_to_the_same_endpoint_are_refused() -> None:
    assert problems_with(tunnels=tunnels_with(1, outside_ip="203.0.113.12")) == [
        "openswan_tunnels: both tunnels have outside_ip 203.0.113.12; each tunnel has its own"
    ]


def test_two_missing_outside_ips_are_not_called_the_same_endpoint() -> None:
    tunnels = [{"pre_shared_key": psk} for psk in PSKS]
    assert problems_with(tunnels=tunnels, routing="policy") == [
        f'{TUNNEL1}.outside_ip must be an IPv4 address like 198.51.100.10, not ""',
        f'{TUNNEL2}.outside_ip must be an IPv4 address like 198.51.100.10, not ""',
    ]


# Pre-shared keys


@pytest.mark.parametrize(
    "psk, rule",
    [
        ("short7c", "must be 8 to 64 characters long (AWS), it has 7"),
        ("x" * 65, "must be 8 to 64 characters long (AWS), it has 65"),
        ("has-dash-psk", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("has space psk", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("trailing_newline\n", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("kéy.unicode", "may contain only letters, digits, '.' and '_' (AWS)"),
        ("0startswithzero", "must not start with '0' (AWS)"),
    ],
)
def test_a_key_breaking_an_aws_rule_names_the_rule_but_not_the_key(psk: str, rule: str) -> None:
    found = problems_with(tunnels=tunnels_with(0, pre_shared_key=psk))
    assert found == [f"{TUNNEL1}.pre_shared_key {rule}"]
    assert psk not in found[0]


def test_every_rule_a_key_breaks_is_named_at_once() -> None:
    assert problems_with(tunnels=tunnels_with(1, pre_shared_key="0-a")) == [
        f"{TUNNEL2}.pre_shared_key must be 8 to 64 characters long (AWS), it has 3",
        f"{TUNNEL2}.pre_shared_key may contain only letters, digits, '.' and '_' (AWS)",
        f"{TUNNEL2}.pre_shared_key must not start with '0' (AWS)",
    ]


@pytest.mark.parametrize("psk", ["", None, 12345678])
def test_an_empty_or_non_text_key_is_missing(psk: Any) -> None:
    assert problems_with(tunnels=tunnels_with(1, pre_shared_key=psk)) == [f"{TUNNEL2}.pre_shared_key is missing"]


def test_an_absent_key_is_missing() -> None:
    assert problems_with(tunnels=tunnels_without(1, "pre_shared_key")) == [f"{TUNNEL2}.pre_shared_key is missing"]


@pytest.mark.parametrize("psk", ["cloudneta", "a" * 64, "1nitial.key", "A_b.C_d.1234"])
def test_keys_aws_accepts_pass(psk: str) -> None:
    assert problems_with(tunnels=tunnels_with(0, pre_shared_key=psk)) == []


# Tunnel inside CIDRs (route-based mode)


@pytest.mark.parametrize(
    "inside, rule",
    [
        (
            "169.254.12.1/30",
            "169.254.12.1/30 has host bits set; the network is written with its first address "
            "(route-based mode needs the tunnel inside CIDR)",
        ),
        (
            "169.254.12.0",
            'must be an IPv4 network in CIDR notation like 10.60.0.0/16, not "169.254.12.0" '
            "(route-based mode needs the tunnel inside CIDR)",
        ),
        ("169.254.12.0/29", "169.254.12.0/29 must be a /30 in 169.254.0.0/16 (AWS)"),
        ("10.0.0.0/30", "10.0.0.0/30 must be a /30 in 169.254.0.0/16 (AWS)"),
    ],
)
def test_a_bad_inside_cidr_is_refused_in_route_based_mode_only(inside: str, rule: str) -> None:
    tunnels = tunnels_with(0, inside_cidr=inside)
    assert problems_with(tunnels=tunnels) == [f"{TUNNEL1}.inside_cidr {rule}"]
    assert problems_with(tunnels=tunnels, routing="policy") == []


def test_a_missing_inside_cidr_is_refused_in_route_based_mode() -> None:
    assert problems_with(tunnels=tunnels_without(1, "inside_cidr")) == [
        f'{TUNNEL2}.inside_cidr must be an IPv4 network in CIDR notation like 10.60.0.0/16, not "" '
        "(route-based mode needs the tunnel inside CIDR)"
    ]


@pytest.mark.parametrize("customer", ["169.254.12.9", "169.254.12.0", "169.254.12.3"])
def test_a_customer_inside_address_that_is_not_a_host_of_the_cidr_is_refused(customer: str) -> None:
    assert problems_with(tunnels=tunnels_with(0, inside_ip_customer=customer)) == [
        f"{TUNNEL1}.inside_ip_customer {customer} is not a host address of 169.254.12.0/30"
    ]


@pytest.mark.parametrize("customer", ["169.254.12.1", "169.254.12.2", "", None])
def test_either_host_of_the_cidr_or_none_is_a_customer_inside_address(customer: Any) -> None:
    assert problems_with(tunnels=tunnels_with(0, inside_ip_customer=customer)) == []


def test_a_malformed_customer_inside_address_is_named() -> None:
    assert problems_with(tunnels=tunnels_with(0, inside_ip_customer="169.254.12")) == [
        f'{TUNNEL1}.inside_ip_customer must be an IPv4 address like 198.51.100.10, not "169.254.12"'
    ]


def test_two_tunnels_on_the_same_inside_cidr_are_refused_in_route_based_mode_only() -> None:
    tunnels = tunnels_with(1, inside_cidr="169.254.12.0/30", inside_ip_customer="169.254.12.2")
    assert problems_with(tunnels=tunnels) == [
        "openswan_tunnels: both tunnels have inside_cidr 169.254.12.0/30; each tunnel has its own"
    ]
    assert problems_with(tunnels=tunnels, routing="policy") == []


# Algorithms, lifetimes and dead peer detection


@pytest.mark.parametrize("ike_version", [1, "1"])
def test_gcm_for_ike_needs_ikev2(ike_version: Any) -> None:
    assert problems_with(phase1_encryption="AES256-GCM-16", ike_version=ike_version) == [
        "openswan_phase1_encryption AES256-GCM-16 needs IKEv2; IKEv1 has no AEAD ciphers for phase 1"
    ]


def test_gcm_for_ike_is_fine_with_ikev2_and_cbc_with_ikev1() -> None:
    assert problems_with(phase1_encryption="AES128-GCM-16", ike_version=2) == []
    assert problems_with(phase1_encryption="AES128", ike_version=1) == []


def test_dh_group_5_is_refused_for_phase1_but_accepted_for_phase2() -> None:
    assert problems_with(phase1_dh_group=5) == [
        "openswan_phase1_dh_group 5 is not a DH group AWS accepts for phase1 (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)"
    ]
    assert problems_with(phase2_dh_group=5) == []


@pytest.mark.parametrize("group, shown", [(1, "1"), ("25", "25"), ("strong", "strong")])
def test_a_dh_group_aws_does_not_know_is_refused_for_phase2(group: Any, shown: str) -> None:
    assert problems_with(phase2_dh_group=group) == [
        f"openswan_phase2_dh_group {shown} is not a DH group AWS accepts for phase2 "
        "(2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)"
    ]


def test_the_dh_groups_aws_accepts_come_from_the_settings() -> None:
    assert problems_with(aws_dh_groups={"phase1": [19], "phase2": [19]}, phase1_dh_group=19) == [
        "openswan_phase2_dh_group 14 is not a DH group AWS accepts for phase2 (19)"
    ]


@pytest.mark.parametrize("lifetime", [28801, "a day"])
def test_phase1_lifetime_outside_aws_range_is_refused(lifetime: Any) -> None:
    assert problems_with(phase1_lifetime=lifetime) == [
        f"openswan_phase1_lifetime must be 900 to 28800 seconds (AWS), not {lifetime}"
    ]


def test_phase1_lifetime_below_aws_range_also_leaves_phase2_no_room() -> None:
    assert problems_with(phase1_lifetime=899, phase2_lifetime=900) == [
        "openswan_phase1_lifetime must be 900 to 28800 seconds (AWS), not 899",
        "openswan_phase2_lifetime must be shorter than openswan_phase1_lifetime",
    ]


@pytest.mark.parametrize("lifetime", [899, 3601])
def test_phase2_lifetime_outside_aws_range_is_refused(lifetime: int) -> None:
    assert problems_with(phase2_lifetime=lifetime) == [
        f"openswan_phase2_lifetime must be 900 to 3600 seconds (AWS), not {lifetime}"
    ]


@pytest.mark.parametrize("phase1, phase2", [(1800, 1800), (2000, 2400)])
def test_phase2_lifetime_must_be_shorter_than_phase1(phase1: int, phase2: int) -> None:
    assert problems_with(phase1_lifetime=phase1, phase2_lifetime=phase2) == [
        "openswan_phase2_lifetime must be shorter than openswan_phase1_lifetime"
    ]


@pytest.mark.parametrize("delay, timeout", [(30, 30), (30, 10), (10, "soon")])
def test_dpd_timeout_must_be_longer_than_the_delay(delay: Any, timeout: Any) -> None:
    assert problems_with(dpd_delay=delay, dpd_timeout=timeout) == [
        f"openswan_dpd_timeout ({timeout}) must be longer than openswan_dpd_delay ({delay})"
    ]


# The list as a whole


def test_every_problem_is_listed_in_the_order_of_the_settings() -> None:
    found = problems_with(
        left_id="gw",
        local_cidr="10.60.0.1/16",
        tunnels=tunnels_with(1, pre_shared_key="0startswithzero"),
        phase1_encryption="AES256-GCM-16",
        ike_version=1,
        phase1_dh_group=5,
        phase1_lifetime=600,
        dpd_timeout=5,
    )
    assert [sentence.split()[0] for sentence in found] == [
        "openswan_left_id",
        "openswan_local_cidr",
        "openswan_tunnels[1]",
        "openswan_phase1_encryption",
        "openswan_phase1_dh_group",
        "openswan_phase1_lifetime",
        "openswan_phase2_lifetime",
        "openswan_dpd_timeout",
    ]


@pytest.mark.parametrize("psk", ["0bad-key", "sh0rt", "has space in it", "x" * 70, "trailing_newline\n", *PSKS])
def test_no_sentence_quotes_a_key(psk: str) -> None:
    with_key = tunnels_with(0, pre_shared_key=psk)
    every_way_wrong = [
        with_key,
        tunnels_with(0, pre_shared_key=psk, outside_ip="bad", inside_cidr="bad", inside_ip_customer="bad"),
        [with_key[0], [psk]],
        with_key * 2,
        {"pre_shared_key": psk},
    ]
    for tunnels in every_way_wrong:
        found = problems_with(tunnels=tunnels, left_id="", dpd_timeout=1)
        assert len(found) >= 2
        assert not any(psk in sentence for sentence in found), found


@pytest.mark.parametrize("mss", [536, 1379, 1460, "1379", " 1400 ", None, "", 0, "0"])
def test_a_tcp_mss_in_range_or_off_is_accepted(mss: Any) -> None:
    assert problems_with(tcp_mss=mss) == []


@pytest.mark.parametrize("mss", [535, 1461, 9001, -1, 1379.5, "1379.0", "1379 bytes", "auto", True, False, [1379]])
def test_a_tcp_mss_out_of_range_or_not_a_whole_number_is_named(mss: Any) -> None:
    assert problems_with(tcp_mss=mss) == [
        "openswan_tcp_mss must be a whole number of bytes from 536 to 1460 (AWS's sample uses 1379), "
        f"or 0 or null to turn the clamp off, not {json.dumps(str(mss))}"
    ]


@pytest.mark.parametrize("settings", [None, "left_id=198.51.100.10", [SETTINGS]])
def test_settings_that_are_not_a_dict_are_a_callers_mistake(settings: Any) -> None:
    with pytest.raises(AnsibleFilterError, match="expects a dict"):
        openswan_input_problems(settings)


def test_a_missing_setting_is_a_callers_mistake_that_is_named() -> None:
    settings = {key: value for key, value in SETTINGS.items() if key not in ("dpd_delay", "aws_dh_groups")}
    with pytest.raises(AnsibleFilterError, match="lack dpd_delay, aws_dh_groups"):
        openswan_input_problems(settings)


def test_the_filter_is_found_by_its_collection_name_in_a_template() -> None:
    variables = {"settings": copy.deepcopy(SETTINGS) | {"phase1_dh_group": 5}}
    templar = Templar(loader=DataLoader(), variables=variables)
    found = templar.template(trust_as_template("{{ settings | hybridlab.aws.openswan_input_problems }}"))
    assert found == [
        "openswan_phase1_dh_group 5 is not a DH group AWS accepts for phase1 (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)"
    ]


def test_the_settings_name_each_key_the_filter_reads() -> None:
    assert set(SETTINGS) == set(INPUT_SETTINGS)


# openswan_version_problems

VERSION: dict[str, Any] = {
    "version": "4.10",
    "major": 4,
    "supported_majors": [3, 4, 5],
    "phase1_dh_group": 14,
    "phase2_dh_group": 14,
    "libreswan_dh_groups": LIBRESWAN_DH_GROUPS,
    "aws_dh_groups": AWS_DH_GROUPS,
    "dh_group_names": DH_GROUP_NAMES,
}


def version_problems_with(**changes: Any) -> list[str]:
    return openswan_version_problems(copy.deepcopy(VERSION) | changes)


def test_the_default_groups_run_on_every_supported_release() -> None:
    for major, version in ((3, "3.25"), (4, "4.10"), (5, "5.2")):
        assert version_problems_with(version=version, major=major) == []


def test_modp1024_is_refused_on_libreswan_4_with_the_groups_both_accept() -> None:
    assert version_problems_with(phase2_dh_group=2) == [
        "openswan_phase2_dh_group 2 (modp1024) is not enabled in Libreswan 4.10; choose one of 5, 14, 15, 16, 17, 18, 19, 20, 21"
    ]


def test_the_choices_for_phase1_leave_out_groups_aws_refuses_for_phase1() -> None:
    assert version_problems_with(version="5.2", major=5, phase1_dh_group=2) == [
        "openswan_phase1_dh_group 2 (modp1024) is not enabled in Libreswan 5.2; choose one of 14, 15, 16, 17, 18, 19, 20, 21"
    ]


def test_a_group_is_shown_with_its_libreswan_name_or_a_question_mark() -> None:
    assert version_problems_with(phase2_dh_group=22) == [
        "openswan_phase2_dh_group 22 (dh22) is not enabled in Libreswan 4.10; choose one of 5, 14, 15, 16, 17, 18, 19, 20, 21"
    ]
    assert version_problems_with(phase2_dh_group=24)[0].startswith("openswan_phase2_dh_group 24 (?) is not enabled")


def test_modp1024_is_still_fine_on_libreswan_3() -> None:
    assert version_problems_with(version="3.25", major=3, phase1_dh_group=2, phase2_dh_group=2) == []


@pytest.mark.parametrize("version, major", [("6.0", 6), ("2.6.32", 2), ("", 0)])
def test_an_unsupported_major_version_is_refused(version: str, major: int) -> None:
    assert version_problems_with(version=version, major=major, phase1_dh_group=2) == [
        f"Libreswan {version} is not supported; the role writes configuration for 3.x, 4.x and 5.x"
    ]


def test_the_supported_majors_are_spelled_out_from_the_settings() -> None:
    assert version_problems_with(version="5.2", major=5, supported_majors=[4]) == [
        "Libreswan 5.2 is not supported; the role writes configuration for 4.x"
    ]


def test_tables_keyed_by_strings_and_numbers_as_strings_are_read_alike() -> None:
    as_text = {
        "major": "4",
        "phase2_dh_group": "2",
        "libreswan_dh_groups": {str(major): groups for major, groups in LIBRESWAN_DH_GROUPS.items()},
        "dh_group_names": {str(group): name for group, name in DH_GROUP_NAMES.items()},
    }
    assert version_problems_with(**as_text) == version_problems_with(phase2_dh_group=2)


def test_a_supported_major_without_a_dh_table_is_a_callers_mistake() -> None:
    with pytest.raises(AnsibleFilterError, match="no entry for Libreswan 5"):
        version_problems_with(major=5, libreswan_dh_groups={4: LIBRESWAN_DH_GROUPS[4]})


def test_the_version_settings_name_each_key_the_filter_reads() -> None:
    assert set(VERSION) == set(VERSION_SETTINGS)
    with pytest.raises(AnsibleFilterError, match="lack dh_group_names"):
        openswan_version_problems({key: value for key, value in VERSION.items() if key != "dh_group_names"})


# The generic rules the filters take from module_utils/lab_rules.py


@pytest.mark.parametrize(
    "value, expected",
    [("10.60.0.0/16", "10.60.0.0/16"), ("169.254.12.2/30", "169.254.12.2/30"), ("10.60.0.0", None),
     ("10.60.0.0/255.255.0.0", None), ("10.60.0.0/016", None), (" 10.60.0.0/16", None), (None, None)],
)
def test_written_cidr_reads_only_the_plain_spelling(value: Any, expected: str | None) -> None:
    found = lab_rules.written_cidr(value)
    assert (None if found is None else str(found)) == expected


@pytest.mark.parametrize("cidr", ["169.254.12.0/30", "10.0.0.8/29", "10.0.0.2/31", "10.0.0.7/32"])
def test_is_host_address_agrees_with_ipaddress_hosts(cidr: str) -> None:
    net = ipaddress.IPv4Network(cidr)
    hosts = set(net.hosts())
    for address in ipaddress.IPv4Network(f"{net.network_address}/27", strict=False):
        assert lab_rules.is_host_address(address, net) == (address in hosts), address


def test_is_host_address_does_not_list_the_hosts_of_a_large_network() -> None:
    net = ipaddress.IPv4Network("10.0.0.0/8")
    assert lab_rules.is_host_address(ipaddress.IPv4Address("10.200.0.1"), net)
    assert not lab_rules.is_host_address(ipaddress.IPv4Address("10.255.255.255"), net)


def test_psk_broken_rules_names_each_rule_in_order() -> None:
    assert lab_rules.psk_broken_rules("0-a") == [
        lab_rules.PSK_RULE_LENGTH,
        lab_rules.PSK_RULE_CHARACTERS,
        lab_rules.PSK_RULE_LEADING_ZERO,
    ]
    assert lab_rules.psk_broken_rules("cloudneta") == []
