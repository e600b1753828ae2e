"""The Transit Gateway labs' variable rules: each fires on its own and names the variable; the
defaults pass; rules of the VPN and the peering apply only to the labs that build them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.filter.tgw_inputs import LABS, cidr_span, lab_steps, tgw_input_problems

REGIONS = ["ap-northeast-1", "ap-northeast-2", "us-east-1"]
DEFAULTS = {
    "lab": "tgw_full",
    "aws_region": "ap-northeast-2",
    "idc_vpc_cidr": "10.60.0.0/16",
    "customer_gateway_bgp_asn": 65000,
    "tgw_vpc_cidrs": ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"],
    "tgw_vpc_subnet_cidrs": [[f"10.{n}.{i}.0/24" for i in range(1, 5)] for n in range(3)],
    "tgw_routed_cidr": "10.0.0.0/8",
    "tgw_asn": 64512,
    "tgw_vpn_networks_cidr": "10.0.0.0/14",
    "tgw_customer_gateway_bgp_asn": 65001,
    "tgw_peer_region": "ap-northeast-1",
    "tgw_peer_asn": 64513,
    "tgw_peer_vpc_cidr": "10.3.0.0/16",
    "tgw_peer_subnet_cidrs": ["10.3.1.0/24", "10.3.2.0/24"],
}


def problems_with(**changes) -> list[str]:
    return tgw_input_problems(DEFAULTS | changes, REGIONS)


@pytest.mark.parametrize("lab", ["s2s", "tgw", "tgw_vpn", "tgw_peering", "tgw_full"])
def test_the_defaults_have_no_problems(lab: str) -> None:
    assert problems_with(lab=lab) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"lab": "tgw2"}, "lab must be one of s2s, tgw, tgw_vpn, tgw_peering, tgw_full (got 'tgw2')"),
        (
            {"tgw_vpc_cidrs": ["10.0.0.0/16", "10.0.128.0/17", "10.2.0.0/16"]},
            "tgw_vpc_cidrs[0] (10.0.0.0/16) and tgw_vpc_cidrs[1] (10.0.128.0/17) overlap",
        ),
        ({"tgw_vpc_cidrs": ["10.0.0.0/16", "10.1.0.0/16"]}, "tgw_vpc_cidrs must be a list of 3 CIDRs"),
        (
            {"tgw_vpc_cidrs": ["10.0.0.0/12", "10.16.0.0/16", "10.17.0.0/16"]},
            "tgw_vpc_cidrs[0] (10.0.0.0/12) must have a prefix length from /16 to /28",
        ),
        (
            {"tgw_peer_vpc_cidr": "10.1.0.0/16", "tgw_peer_subnet_cidrs": ["10.1.1.0/24", "10.1.2.0/24"]},
            "tgw_vpc_cidrs[1] (10.1.0.0/16) and tgw_peer_vpc_cidr (10.1.0.0/16) overlap",
        ),
        ({"idc_vpc_cidr": "10.2.0.0/16"}, "tgw_vpc_cidrs[2] (10.2.0.0/16) and idc_vpc_cidr (10.2.0.0/16) overlap"),
        ({"tgw_peer_region": "ap-northeast-2"}, "tgw_peer_region must be another region than aws_region (ap-northeast-2)"),
        ({"tgw_peer_region": "mars-east-1"}, "tgw_peer_region 'mars-east-1' is not an AWS region"),
        ({"tgw_routed_cidr": "10.0.0.0/14"}, "idc_vpc_cidr (10.60.0.0/16) must lie inside tgw_routed_cidr (10.0.0.0/14)"),
        ({"tgw_vpn_networks_cidr": "10.0.0.0/15"}, "tgw_vpc_cidrs[2] (10.2.0.0/16) must lie inside tgw_vpn_networks_cidr (10.0.0.0/15)"),
        ({"tgw_vpn_networks_cidr": "10.0.0.0/9"}, "tgw_vpn_networks_cidr (10.0.0.0/9) overlaps idc_vpc_cidr (10.60.0.0/16)"),
        ({"tgw_customer_gateway_bgp_asn": 65000}, "tgw_customer_gateway_bgp_asn must differ from customer_gateway_bgp_asn"),
        ({"tgw_peer_asn": 64512}, "tgw_peer_asn must differ from tgw_asn"),
        ({"tgw_asn": 100}, "tgw_asn must be a private ASN in 64512-65534 or 4200000000-4294967294 (got 100)"),
        (
            {"tgw_vpc_subnet_cidrs": [["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.9.4.0/24"], *DEFAULTS["tgw_vpc_subnet_cidrs"][1:]]},
            "tgw_vpc_subnet_cidrs[0][3] (10.9.4.0/24) must lie inside tgw_vpc_cidrs[0] (10.0.0.0/16)",
        ),
        (
            {"tgw_vpc_subnet_cidrs": [["10.0.1.0/24", "10.0.1.0/25", "10.0.3.0/24", "10.0.4.0/24"], *DEFAULTS["tgw_vpc_subnet_cidrs"][1:]]},
            "tgw_vpc_subnet_cidrs[0][0] (10.0.1.0/24) and tgw_vpc_subnet_cidrs[0][1] (10.0.1.0/25) overlap: subnets of a VPC need distinct ranges",
        ),
        ({"tgw_peer_subnet_cidrs": ["10.3.1.0/24"]}, "tgw_peer_subnet_cidrs must be a list of 2 CIDRs"),
    ],
)
def test_each_rule_names_the_variable(changes: dict, words: str) -> None:
    problems = problems_with(**changes)
    assert any(words in problem for problem in problems), problems


def test_rules_of_the_peering_and_the_vpn_apply_only_where_they_are_built() -> None:
    assert problems_with(lab="tgw", tgw_peer_region="ap-northeast-2", idc_vpc_cidr="10.2.0.0/16") == []
    assert problems_with(lab="tgw_vpn", tgw_peer_region="ap-northeast-2") == []
    assert problems_with(lab="tgw_peering", idc_vpc_cidr="10.2.0.0/16") == []


def test_the_day_one_lab_is_not_checked_here() -> None:
    assert problems_with(lab="s2s", tgw_vpc_cidrs="nonsense") == []


@pytest.mark.parametrize(
    ("cidrs", "span"),
    [
        (["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"], "10.0.0.0/14"),
        (["10.0.0.0/16"], "10.0.0.0/16"),
        (["10.0.0.0/16", "10.1.0.0/16"], "10.0.0.0/15"),
        (["10.1.0.0/16", "10.2.0.0/16"], "10.0.0.0/14"),
        (["192.168.0.0/24", "10.0.0.0/8"], "0.0.0.0/0"),
    ],
)
def test_cidr_span(cidrs: list[str], span: str) -> None:
    assert cidr_span(cidrs) == span


def test_cidr_span_refuses_what_is_not_a_list_of_cidrs() -> None:
    with pytest.raises(AnsibleFilterError):
        cidr_span([])
    with pytest.raises(AnsibleFilterError):
        cidr_span(["10.0.0.0/33"])


LAB_STEPS_DIR = Path(__file__).resolve().parents[4] / "playbooks" / "labs"


@pytest.mark.parametrize("lab", LABS)
def test_each_lab_imports_its_own_steps(lab: str) -> None:
    assert lab_steps(lab) == lab
    assert (LAB_STEPS_DIR / f"{lab}.yml").is_file()


def test_the_step_lists_are_the_labs_there_are() -> None:
    assert sorted(path.stem for path in LAB_STEPS_DIR.glob("*.yml")) == sorted(LABS)


@pytest.mark.parametrize("lab", ["tgw3", "", "S2S", None])
def test_an_unknown_lab_imports_day_ones_steps_which_lab_config_stops_before(lab) -> None:
    assert lab_steps(lab) == "s2s"
