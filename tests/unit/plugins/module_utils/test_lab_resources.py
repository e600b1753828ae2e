"""What each lab creates: stacks, quota needs per region, resources for the price table."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_resources
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_prices import hourly_cost

SEOUL, TOKYO = "ap-northeast-2", "ap-northeast-1"


@pytest.mark.parametrize(
    ("lab", "needs"),
    [
        ("s2s", {SEOUL: {"vpc": 2, "eip": 1, "vgw": 1, "tgw": 0}}),
        ("tgw", {SEOUL: {"vpc": 3, "eip": 0, "vgw": 0, "tgw": 1}}),
        ("tgw_vpn", {SEOUL: {"vpc": 4, "eip": 1, "vgw": 0, "tgw": 1}}),
        (
            "tgw_peering",
            {SEOUL: {"vpc": 3, "eip": 0, "vgw": 0, "tgw": 1}, TOKYO: {"vpc": 1, "eip": 0, "vgw": 0, "tgw": 1}},
        ),
        (
            "tgw_full",
            {SEOUL: {"vpc": 4, "eip": 1, "vgw": 0, "tgw": 1}, TOKYO: {"vpc": 1, "eip": 0, "vgw": 0, "tgw": 1}},
        ),
    ],
)
def test_quota_needs_per_region_of_each_lab(lab: str, needs: dict) -> None:
    assert lab_resources.lab_quota_needs(lab, SEOUL, TOKYO) == needs


def test_stacks_already_there_add_nothing_but_their_region_stays_listed() -> None:
    needs = lab_resources.lab_quota_needs("tgw_peering", SEOUL, TOKYO, skip_stacks=("tgw", "tgw_peer"))

    assert needs == {SEOUL: {"vpc": 0, "eip": 0, "vgw": 0, "tgw": 0}, TOKYO: {"vpc": 0, "eip": 0, "vgw": 0, "tgw": 0}}


def test_peering_labs_use_the_peer_region_and_day_one_does_not() -> None:
    assert lab_resources.lab_regions("s2s", SEOUL, TOKYO) == [SEOUL]
    assert lab_resources.lab_regions("tgw_vpn", SEOUL, TOKYO) == [SEOUL]
    assert lab_resources.lab_regions("tgw_full", SEOUL, TOKYO) == [SEOUL, TOKYO]


def test_instances_carry_the_lab_instance_type() -> None:
    instances = [r for r in lab_resources.lab_resources("s2s", SEOUL, TOKYO, "t3.small") if r["kind"] == "instance"]

    assert {r["instance_type"] for r in instances} == {"t3.small"}
    assert sum(r["count"] for r in instances) == 3


def test_day_one_costs_a_vpn_connection_three_instances_two_addresses_and_their_disks() -> None:
    cost = hourly_cost(lab_resources.lab_resources("s2s", SEOUL, TOKYO, "t3.micro"))

    assert {line["kind"]: line["count"] for line in cost["lines"]} == {
        "public_ipv4": 2,
        "instance": 3,
        "ebs_gp3_gb": 24,
        "vpn_connection": 1,
    }
    assert cost["total"] == pytest.approx(0.05 + 3 * 0.013 + 2 * 0.005 + 24 * 0.0912 / 730, abs=1e-5)
    assert cost["unpriced"] == []


def test_a_peering_bills_an_attachment_on_both_sides() -> None:
    cost = hourly_cost(lab_resources.lab_resources("tgw_peering", SEOUL, TOKYO, "t3.micro"))

    attachments = {line["region"]: line["count"] for line in cost["lines"] if line["kind"] == "tgw_attachment"}
    assert attachments == {SEOUL: 4, TOKYO: 2}


def test_an_unknown_lab_is_named() -> None:
    with pytest.raises(ValueError, match="unknown lab 'tgw_mesh'"):
        lab_resources.lab_resources("tgw_mesh", SEOUL, TOKYO, "t3.micro")
