"""A class's plan from its file, its quotas and cost, and its status table."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
import yaml

from ansible_collections.hybridlab.aws.plugins.filter.lab_inputs import lab_input_problems
from ansible_collections.hybridlab.aws.plugins.filter.tgw_inputs import tgw_input_problems
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_class, lab_quotas

REPO = Path(__file__).resolve().parents[4]
LAB = yaml.safe_load((REPO / "roles" / "lab_config" / "defaults" / "main.yml").read_text())
# What lab_config checks, with the values of a lab of its defaults (templates left out).
INPUTS = {key: value for key, value in LAB.items() if not str(value).startswith("{{")}
INPUTS["tgw_vpn_networks_cidr"] = "10.0.0.0/14"
REGIONS = ["ap-northeast-2", "ap-northeast-1", "eu-west-1"]


def plan(lab: str = "s2s", learners: int = 3, **content) -> dict:
    return lab_class.class_plan(
        {"class_name": "net101", "lab": lab, "learners": [{"name": f"l{n}"} for n in range(learners)], **content}, LAB
    )


def vpcs(learner: dict, lab: str) -> list[ipaddress.IPv4Network]:
    return [network for _slot, network in lab_class.vpc_networks(learner["extra_vars"], lab)]


@pytest.mark.parametrize("lab", list(lab_class.LAB_GROUPS))
def test_every_learners_lab_is_valid_and_overlaps_no_other(lab: str) -> None:
    planned = plan(lab, lab_class.MAX_LEARNERS)
    assert planned["problems"] == []
    assert [learner["lab_name"] for learner in planned["learners"]][:2] == ["net101-l0", "net101-l1"]
    networks = [network for learner in planned["learners"] for network in vpcs(learner, lab)]
    assert len(networks) == lab_class.MAX_LEARNERS * len(vpcs(planned["learners"][0], lab))
    for index, network in enumerate(networks):
        assert not any(network.overlaps(other) for other in networks[index + 1:]), network
    for learner in planned["learners"]:
        inputs = {**INPUTS, **learner["extra_vars"]}
        assert lab_input_problems(inputs, REGIONS) + tgw_input_problems(inputs, REGIONS) == [], learner["name"]


def test_the_first_learner_keeps_the_labs_addresses_and_the_next_get_blocks_of_their_own() -> None:
    first, second, third = plan()["learners"]
    assert first["extra_vars"]["idc_vpc_cidr"] == LAB["idc_vpc_cidr"] == "10.60.0.0/16"
    assert first["extra_vars"]["aws_ec2_private_ip"] == LAB["aws_ec2_private_ip"]
    assert (second["extra_vars"]["idc_vpc_cidr"], second["extra_vars"]["aws_vpc_cidr"]) == ("10.100.0.0/16", "10.101.0.0/16")
    assert second["extra_vars"]["idc_cgw_private_ip"] == "10.100.0.100"
    assert second["extra_vars"]["aws_ec2_private_ip"] == "10.101.1.100"
    assert third["extra_vars"]["idc_private_subnet_cidr"] == "10.108.1.0/24"


def test_the_vpn_attachment_sends_the_learners_own_vpcs_and_not_their_idc() -> None:
    second = plan("tgw_vpn")["learners"][1]["extra_vars"]
    assert second["tgw_vpc_cidrs"] == ["10.96.0.0/16", "10.97.0.0/16", "10.98.0.0/16"]
    assert second["tgw_vpn_networks_cidr"] == "10.96.0.0/14"
    assert not ipaddress.ip_network(second["idc_vpc_cidr"]).overlaps(ipaddress.ip_network("10.96.0.0/14"))


def test_a_learners_own_plan_wins_and_an_overlap_is_named() -> None:
    planned = lab_class.class_plan({"class_name": "c", "lab": "s2s", "learners": [
        {"name": "kim"}, {"name": "lee", "cidrs": {"aws_vpc_cidr": "10.60.0.0/16"}, "lab_instance_type": "t3.small"}]}, LAB)
    assert planned["learners"][1]["extra_vars"]["aws_vpc_cidr"] == "10.60.0.0/16"
    assert planned["learners"][1]["extra_vars"]["lab_instance_type"] == "t3.small"
    assert planned["problems"] == [
        "learners kim and lee: kim's idc_vpc_cidr 10.60.0.0/16 overlaps lee's aws_vpc_cidr 10.60.0.0/16; labs of one "
        "class share the account and must not overlap"]


def test_every_problem_of_a_file_is_listed_at_once() -> None:
    problems = lab_class.class_plan({
        "class_name": "Net 101", "lab": "s2s", "parallel": "many", "hours": 0, "extra": 1,
        "lab_vars": {"lab_name": "x", "aws_vpc_cidr": "10.1.0.0/16"},
        "learners": [{"name": "kim"}, {"name": "kim"}, {"name": "a-very-long-learner-name-indeed"}, {"nick": "x"},
                     {"name": "lee", "cidrs": {"tgw_vpc_cidrs": []}}],
    }, LAB)["problems"]
    expected = [
        "class file: unknown key 'extra'",
        "class_name must be lower-case letters and digits",
        "parallel must be a whole number",
        "hours must be how long the labs stand",
        "lab_vars: 'aws_vpc_cidr' is an address of the lab, planned per learner",
        "lab_vars: 'lab_name' is set by the class itself",
        "learners[1]: 'kim' is listed twice (learners[0] and learners[1])",
        "is longer than 31 characters",
        "learners[3]: unknown key 'nick'",
        "learners[3].name must be lower-case letters",
        "learners[4].cidrs: 'tgw_vpc_cidrs' is not an address variable of the s2s lab",
    ]
    for sentence in expected:
        assert any(sentence in problem for problem in problems), (sentence, problems)


@pytest.mark.parametrize("content", [{"lab": "s2s_bgp"}, {"learners": []}, {"learners": "kim"}])
def test_a_class_without_a_known_lab_or_learners_plans_no_lab(content: dict) -> None:
    planned = lab_class.class_plan({"class_name": "c", "lab": "s2s", "learners": [{"name": "kim"}], **content}, LAB)
    assert planned["learners"] == [] and planned["problems"]


def account(in_use_vpcs: int, stacks=(), vpc_quota: int = 5, status: str = "CREATE_COMPLETE") -> dict:
    quotas = [{"quota_code": q["quota_code"], "quota_name": q["name"], "service_code": q["service_code"],
               "value": vpc_quota if kind == "vpc" else q["default"], "source": "applied", "reason": ""}
              for kind, q in lab_quotas.QUOTAS.items()]
    return {"ap-northeast-2": {"quotas": quotas, "in_use": {"vpc": in_use_vpcs, "eip": 0, "vgw": 0, "tgw": 0},
                               "stacks": [{"name": name, "status": status} for name in stacks]}}


def test_the_quota_refusal_says_how_many_labs_need_what_and_how_many_fit() -> None:
    rows = lab_class.class_quota_usage(plan(learners=12), account(1))
    assert [row["kind"] for row in rows if row["short"]] == ["vpc", "eip", "vgw"]
    [short] = [row for row in rows if row["kind"] == "vpc"]
    assert short["reason"] == (
        "12 labs need 24 VPCs in ap-northeast-2, 1 in use, quota 5 (VPCs per Region, applied to the account): request "
        "an increase of vpc L-F678F1CE to at least 25 in Service Quotas, or use fewer learners per account (room for 2 "
        "more lab(s))")
    assert {row["kind"]: row["needs"] for row in rows} == {"vpc": 24, "eip": 12, "vgw": 12, "tgw": 0}


def test_a_learners_lab_that_stands_adds_nothing_so_a_rerun_is_not_refused() -> None:
    built = [f"net101-l{n}-{key}" for n in range(2) for key in ("idc", "aws", "vpn")]
    rows = lab_class.class_quota_usage(plan(learners=2), account(5, built))
    assert not any(row["short"] for row in rows)
    assert rows[0]["line"].endswith("in use 5, the class's 0 lab(s) to build add 0")


def test_a_learners_stacks_that_rolled_back_hold_nothing_and_add_again() -> None:
    rolled_back = [f"net101-l{n}-{key}" for n in range(2) for key in ("idc", "aws", "vpn")]
    rows = lab_class.class_quota_usage(plan(learners=2), account(1, rolled_back, status="ROLLBACK_COMPLETE"))
    assert {row["kind"]: row["needs"] for row in rows} == {"vpc": 4, "eip": 2, "vgw": 2, "tgw": 0}


def test_the_class_costs_every_learners_lab() -> None:
    one = lab_class.class_cost(plan(learners=1))
    three = lab_class.class_cost(plan(learners=3, hours=3))
    assert three["per_hour"] == pytest.approx(3 * one["per_hour"], abs=1e-3)
    assert three["run_total"] == pytest.approx(3 * three["per_hour"], abs=1e-3)


def test_the_status_table_has_a_row_per_learner_and_names_what_is_wrong() -> None:
    planned = plan(learners=3)
    tunnels = [{"status": "UP"}, {"status": "DOWN"}]
    statuses = [
        {"lab_name": "net101-l0", "health": "healthy", "vpn_connections": [{"tunnels": tunnels}],
         "cost": {"since_built": 0.3, "currency": "USD"}, "leftovers": []},
        {"lab_name": "net101-l1", "health": "degraded: no tunnel of vpn-1 is UP", "vpn_connections": [],
         "cost": {"since_built": 0.1, "currency": "USD"}, "leftovers": ["instance i-1"]},
    ]
    lines = lab_class.class_status_lines(lab_class.class_status_rows(planned, statuses), "net101", on_twin=True)
    assert lines[0] == "class net101: 3 lab(s), 1 healthy"
    assert lines[1].split() == ["learner", "lab", "health", "tunnels", "cost", "so", "far", "(on", "AWS)", "leftovers"]
    assert lines[2].split() == ["l0", "net101-l0", "healthy", "1/2", "UP", "0.30", "USD", "0"]
    assert lines[3].split() == ["l1", "net101-l1", "degraded", "-", "0.10", "USD", "1"]
    assert lines[4].split()[:4] == ["l2", "net101-l2", "status", "not"]
    assert lines[5] == "l1: no tunnel of vpn-1 is UP"
