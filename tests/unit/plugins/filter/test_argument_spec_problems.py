"""A value an argument spec refuses is named in one line: the variable, the rule, the value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader
from ansible_collections.hybridlab.aws.plugins.filter.argument_spec_problems import argument_spec_problems

LAB_OPTIONS = yaml.safe_load(
    (Path(__file__).resolve().parents[4] / "roles" / "lab_config" / "meta" / "argument_specs.yml").read_text()
)["argument_specs"]["main"]["options"]


def test_the_filter_loads_by_its_collection_name() -> None:
    assert filter_loader.get("hybridlab.aws.argument_spec_problems") is not None


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        ({"lab_target": "awz"}, "lab_target must be one of local, aws; got 'awz'"),
        ({"lab": "tgw3"}, "lab must be one of s2s, tgw, tgw_vpn, tgw_peering, tgw_full; got 'tgw3'"),
        ({"tgw_asn": "abc"}, "tgw_asn must be a whole number; got 'abc'"),
        ({"lab_preflight": "maybe"}, "lab_preflight must be true or false; got 'maybe'"),
        ({"tgw_vpc_cidrs": {"a": 1}}, "tgw_vpc_cidrs must be a list of strings; got {'a': 1}"),
    ],
    ids=["choice", "lab", "int", "bool", "list"],
)
def test_a_refused_value_is_one_line_naming_variable_rule_and_value(values: dict, sentence: str) -> None:
    assert argument_spec_problems(values, LAB_OPTIONS) == [sentence]


def test_accepted_values_as_ansible_converts_them_and_unset_ones_pass() -> None:
    values = {"lab_target": "aws", "tgw_asn": "64512", "lab_preflight": "no", "tgw_vpc_cidrs": "10.0.0.0/16",
              "vpn_tunnel_psks": None}

    assert argument_spec_problems(values, LAB_OPTIONS) == []


def test_every_refusal_is_listed_in_the_specs_order() -> None:
    problems = argument_spec_problems({"tgw_asn": "x", "lab_target": "y"}, LAB_OPTIONS)

    assert [problem.split()[0] for problem in problems] == ["lab_target", "tgw_asn"]


def test_what_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(AnsibleFilterError, match="both mappings"):
        argument_spec_problems(["lab_target"], LAB_OPTIONS)
