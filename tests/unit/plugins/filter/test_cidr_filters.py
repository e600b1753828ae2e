"""CIDR filters: every rule fires on its own and names the variable; good values pass."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader
from ansible_collections.hybridlab.aws.plugins.filter.cidr import cidr_host
from ansible_collections.hybridlab.aws.plugins.filter.cidr import cidr_problems
from ansible_collections.hybridlab.aws.plugins.filter.cidr import cidrs_overlap

# --- cidr_problems ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10.60.0.0/16", "172.16.0.0/12", "192.168.10.0/24", "10.60.1.0/24"])
def test_private_cidrs_have_no_problems(value: str) -> None:
    assert cidr_problems(value, "idc_vpc_cidr", private=True) == []


@pytest.mark.parametrize("value", ["10.60.0.0", "banana", "", None, 16])
def test_a_value_without_a_prefix_length_is_not_a_cidr(value: object) -> None:
    problems = cidr_problems(value, "idc_vpc_cidr")

    assert len(problems) == 1
    assert problems[0].startswith("idc_vpc_cidr must be an IPv4 CIDR")


@pytest.mark.parametrize("value", ["10.60.0.0/33", "10.300.0.0/16", "2001:db8::/32"])
def test_an_invalid_or_non_ipv4_network_is_not_a_cidr(value: str) -> None:
    problems = cidr_problems(value, "aws_vpc_cidr")

    assert len(problems) == 1
    assert problems[0].startswith("aws_vpc_cidr must be an IPv4 CIDR")


def test_host_bits_set_are_named_with_the_network_meant() -> None:
    problems = cidr_problems("10.60.0.1/16", "idc_vpc_cidr")

    assert len(problems) == 1
    assert "idc_vpc_cidr has host bits set" in problems[0]
    assert "10.60.0.0/16" in problems[0]


@pytest.mark.parametrize("value", ["100.64.0.0/16", "198.51.100.0/24", "10.0.0.0/7", "172.15.0.0/16"])
def test_a_public_or_too_wide_network_breaks_the_private_rule_when_asked(value: str) -> None:
    problems = cidr_problems(value, "idc_vpc_cidr", private=True)

    assert len(problems) == 1
    assert problems[0].startswith(f"idc_vpc_cidr ({value}) must lie in a private range of RFC 1918")


def test_the_private_rule_applies_only_when_asked() -> None:
    assert cidr_problems("198.51.100.0/24", "operator_cidr") == []


def test_the_private_rule_is_not_reported_on_top_of_a_malformed_value() -> None:
    assert len(cidr_problems("198.51.100.1/24", "operator_cidr", private=True)) == 1


# --- cidrs_overlap ----------------------------------------------------------------------------


def test_overlapping_pairs_of_a_list_are_listed_in_input_order() -> None:
    assert cidrs_overlap(["10.60.0.0/16", "10.50.0.0/16", "10.60.1.0/24", "10.0.0.0/8"]) == [
        ["10.60.0.0/16", "10.60.1.0/24"],
        ["10.60.0.0/16", "10.0.0.0/8"],
        ["10.50.0.0/16", "10.0.0.0/8"],
        ["10.60.1.0/24", "10.0.0.0/8"],
    ]


def test_overlapping_pairs_of_a_dict_are_named_by_variable() -> None:
    cidrs = {"idc_vpc_cidr": "10.60.0.0/16", "aws_vpc_cidr": "10.60.128.0/17", "operator_cidr": "198.51.100.7/32"}

    assert cidrs_overlap(cidrs) == [["idc_vpc_cidr", "aws_vpc_cidr"]]


def test_the_seed_lab_cidrs_do_not_overlap() -> None:
    assert cidrs_overlap({"idc_vpc_cidr": "10.60.0.0/16", "aws_vpc_cidr": "10.50.0.0/16"}) == []


def test_identical_cidrs_overlap() -> None:
    assert cidrs_overlap(["169.254.12.0/30", "169.254.12.0/30"]) == [["169.254.12.0/30", "169.254.12.0/30"]]


def test_ipv4_and_ipv6_never_overlap() -> None:
    assert cidrs_overlap(["0.0.0.0/0", "::/0"]) == []


def test_a_value_that_is_not_a_cidr_is_an_error_naming_it() -> None:
    with pytest.raises(AnsibleFilterError, match="aws_vpc_cidr is not a CIDR"):
        cidrs_overlap({"idc_vpc_cidr": "10.60.0.0/16", "aws_vpc_cidr": "ten.fifty"})


def test_a_scalar_is_refused() -> None:
    with pytest.raises(AnsibleFilterError, match="expects a list of CIDRs or a dict"):
        cidrs_overlap("10.60.0.0/16")


# --- cidr_host --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cidr", "number", "expected"),
    [
        ("169.254.12.0/30", 1, "169.254.12.1"),
        ("169.254.12.0/30", 2, "169.254.12.2"),
        ("10.50.0.0/16", 2, "10.50.0.2"),
        ("10.60.1.0/24", -1, "10.60.1.255"),
        ("10.60.1.100/24", 0, "10.60.1.0"),
        ("10.60.1.0/24", "100", "10.60.1.100"),
    ],
)
def test_cidr_host(cidr: str, number: int | str, expected: str) -> None:
    assert cidr_host(cidr, number) == expected


def test_cidr_host_beyond_the_network_is_an_error() -> None:
    with pytest.raises(AnsibleFilterError, match=r"169.254.12.0/30 has no address number 4 \(it has 4\)"):
        cidr_host("169.254.12.0/30", 4)


def test_cidr_host_of_a_non_cidr_is_an_error() -> None:
    with pytest.raises(AnsibleFilterError, match="'nope' is not a CIDR"):
        cidr_host("nope", 1)


# --- as Ansible loads them --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cidr_problems", "cidrs_overlap", "cidr_host", "vpn_psk_problems"])
def test_filters_load_by_their_fully_qualified_names(name: str) -> None:
    assert filter_loader.get(f"hybridlab.aws.{name}") is not None
