"""The lab cost filters through Ansible's filter loader, as playbooks call them."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader
from ansible_collections.hybridlab.aws.plugins.filter.lab_costs import FilterModule


def _filter(name: str):
    return FilterModule().filters()[name]


def test_the_filters_load_by_their_collection_names() -> None:
    for name in ("lab_hourly_cost", "lab_leftover_costs", "lab_resources", "lab_quota_needs", "lab_quota_usage",
                 "standing_stacks"):
        assert filter_loader.get(f"hybridlab.aws.{name}") is not None, name


def test_lab_hourly_cost_prices_a_run_by_started_hours() -> None:
    resources = _filter("lab_resources")("s2s", "ap-northeast-2", "ap-northeast-1", "t3.micro")

    cost = _filter("lab_hourly_cost")(resources, hours=1.5)

    assert cost["run_hours"] == 1.5
    assert cost["run_total"] == pytest.approx(2 * cost["total"])


def test_lab_hourly_cost_refuses_what_is_not_a_list() -> None:
    with pytest.raises(AnsibleFilterError, match="expects a list"):
        _filter("lab_hourly_cost")({"kind": "vpc"})


def test_a_misspelt_kind_fails_the_filter_with_its_name() -> None:
    with pytest.raises(AnsibleFilterError, match="unknown resource kind 'nat'"):
        _filter("lab_hourly_cost")([{"kind": "nat"}], "ap-northeast-2")


def test_an_unknown_lab_fails_each_filter_with_its_name() -> None:
    for name in ("lab_resources", "lab_quota_needs"):
        with pytest.raises(AnsibleFilterError, match=f"{name}: unknown lab 'big'"):
            _filter(name)("big", "ap-northeast-2", "ap-northeast-1", *(["t3.micro"] if name == "lab_resources" else []))


def test_each_leftover_is_named_with_its_hourly_cost() -> None:
    leftovers = [
        {"kind": "instance", "instance_id": "i-0abc", "instance_type": "t3.micro"},
        {"kind": "vpn_connection", "vpn_connection_id": "vpn-0def"},
        {"kind": "public_ipv4", "public_ip": "198.51.100.7", "allocation_id": "eipalloc-1"},
        {"kind": "interface_endpoint_az", "vpc_endpoint_id": "vpce-1", "subnet_ids": ["subnet-a", "subnet-b"]},
    ]

    costs = _filter("lab_leftover_costs")(leftovers, "ap-northeast-2")

    assert costs["lines"] == [
        "i-0abc: EC2 instance t3.micro, 0.013 USD/h",
        "vpn-0def: Site-to-Site VPN connection, 0.05 USD/h",
        "198.51.100.7: public IPv4 address, 0.005 USD/h",
        "vpce-1: interface VPC endpoint (per AZ), 0.026 USD/h",
    ]
    assert costs["total"] == pytest.approx(0.013 + 0.05 + 0.005 + 0.026)
    assert _filter("lab_leftover_costs")([], "ap-northeast-2")["lines"] == []


def test_a_leftover_the_table_cannot_price_is_said_so() -> None:
    costs = _filter("lab_leftover_costs")([{"kind": "instance", "instance_id": "i-1", "instance_type": "x9.huge"}], "ap-northeast-2")
    assert costs["lines"] == ["i-1: no price for 1 x EC2 instance x9.huge in ap-northeast-2"]


def test_only_the_stacks_whose_resources_stand_are_kept() -> None:
    stacks = [{"name": "a", "status": "CREATE_COMPLETE"}, {"name": "b", "status": "ROLLBACK_COMPLETE"},
              {"name": "c", "status": "UPDATE_ROLLBACK_COMPLETE"}, {"name": "d", "status": "DELETE_COMPLETE"},
              {"name": "e", "status": "CREATE_FAILED"}]

    assert [stack["name"] for stack in _filter("standing_stacks")(stacks)] == ["a", "c", "e"]
    with pytest.raises(AnsibleFilterError, match="standing_stacks expects a list"):
        _filter("standing_stacks")({"name": "a"})
