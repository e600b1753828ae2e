"""The price table and hourly_cost: lines per kind, totals, runs by started hour, nothing silently free."""

from __future__ import annotations

import re

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils import lab_prices
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_prices import hourly_cost, run_cost

SEOUL, TOKYO = "ap-northeast-2", "ap-northeast-1"


def test_the_table_is_dated_and_names_a_source_for_every_priced_kind() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lab_prices.PRICES_AS_OF)
    assert set(lab_prices.PRICE_SOURCES) == set(lab_prices.KIND_LABELS)
    assert all(source.startswith("https://aws.amazon.com/") for source in lab_prices.PRICE_SOURCES.values())
    assert "data transfer" in lab_prices.PRICE_NOTE and "USD" in lab_prices.PRICE_NOTE


@pytest.mark.parametrize("region", [SEOUL, TOKYO])
def test_both_default_regions_price_every_kind_and_the_lab_instance_type(region: str) -> None:
    prices = lab_prices.HOURLY_PRICES[region]
    assert set(prices) == set(lab_prices.KIND_LABELS)
    assert prices["instance"]["t3.micro"] > 0


def test_lines_group_by_kind_and_multiply_by_count() -> None:
    cost = hourly_cost(
        [
            {"kind": "vpn_connection"},
            {"kind": "instance", "count": 2, "instance_type": "t3.micro"},
            {"kind": "instance", "count": 1, "instance_type": "t3.micro"},
            {"kind": "public_ipv4", "count": 2},
        ],
        SEOUL,
    )

    lines = {line["kind"]: line for line in cost["lines"]}
    assert lines["instance"]["count"] == 3
    assert lines["instance"]["hourly"] == pytest.approx(3 * 0.013)
    assert lines["vpn_connection"]["hourly"] == pytest.approx(0.05)
    assert lines["public_ipv4"]["hourly"] == pytest.approx(0.01)
    assert cost["total"] == pytest.approx(0.05 + 0.039 + 0.01)
    assert cost["unpriced"] == []
    assert cost["as_of"] == lab_prices.PRICES_AS_OF and cost["currency"] == "USD"


def test_each_resource_is_priced_in_its_own_region() -> None:
    cost = hourly_cost(
        [
            {"kind": "instance", "instance_type": "t3.micro", "region": SEOUL},
            {"kind": "instance", "instance_type": "t3.micro", "region": TOKYO},
        ]
    )

    assert [(line["region"], line["unit_price"]) for line in cost["lines"]] == [(SEOUL, 0.013), (TOKYO, 0.0136)]


def test_free_resources_add_no_line_and_no_cost() -> None:
    cost = hourly_cost([{"kind": "vpc", "count": 3}, {"kind": "tgw"}, {"kind": "eip"}, {"kind": "vgw"}], SEOUL)

    assert cost == cost | {"total": 0, "lines": [], "unpriced": []}


def test_an_unknown_region_or_instance_type_is_named_not_counted_as_free() -> None:
    cost = hourly_cost(
        [
            {"kind": "vpn_connection", "region": "eu-west-1"},
            {"kind": "instance", "instance_type": "m7i.48xlarge", "count": 2},
            {"kind": "tgw_attachment"},
        ],
        SEOUL,
    )

    assert cost["unpriced"] == [
        "1 x Site-to-Site VPN connection in eu-west-1",
        "2 x EC2 instance m7i.48xlarge in ap-northeast-2",
    ]
    assert cost["total"] == pytest.approx(0.07)


def test_a_misspelt_kind_is_an_error() -> None:
    with pytest.raises(lab_prices.UnknownResourceKind, match="unknown resource kind 'vpn'"):
        hourly_cost([{"kind": "vpn"}], SEOUL)


@pytest.mark.parametrize(("hours", "billed"), [(0.3, 1), (1, 1), (1.01, 2), (2.5, 3)])
def test_a_run_is_billed_by_started_hours(hours: float, billed: int) -> None:
    assert run_cost(0.25, hours) == pytest.approx(0.25 * billed)
