"""The stack catalogue's filters through Ansible's filter loader, as playbooks call them."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader
from ansible_collections.hybridlab.aws.plugins.filter.lab_catalogue import FilterModule


def _filter(name: str):
    return FilterModule().filters()[name]


def test_the_filters_load_by_their_collection_names() -> None:
    for name in FilterModule().filters():
        assert filter_loader.get(f"hybridlab.aws.{name}") is not None, name


def test_lab_stacks_lists_a_labs_stack_keys_in_build_order() -> None:
    assert _filter("lab_stacks")("s2s") == ["idc", "aws", "vpn"]


def test_lab_stack_list_for_every_lab_holds_each_stack_once_in_its_region() -> None:
    stacks = _filter("lab_stack_list")("all", "hybridlab", "ap-northeast-2", "ap-northeast-1")

    names = [stack["name"] for stack in stacks]
    assert len(names) == len(set(names)) == 10
    assert {stack["region"] for stack in stacks if "peer-" in stack["name"] or stack["name"].endswith("-peer")} == {
        "ap-northeast-1"
    }
    assert [stack["key"] for stack in stacks if stack["secret"]] == ["vpn", "tgw_vpn"]


def test_lab_stack_name_follows_the_one_naming_rule() -> None:
    assert _filter("lab_stack_name")("tgw_vpn_routes", "class-3") == "class-3-tgw-vpn-routes"


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("lab_stacks", ("big",), "lab_stacks: unknown lab 'big'"),
        ("lab_stack_list", ("big", "l", "r1", "r2"), "lab_stack_list: unknown lab 'big'"),
        ("lab_stack_name", ("vpc", "l"), "lab_stack_name: unknown stack 'vpc'"),
    ],
)
def test_an_unknown_name_fails_the_filter_with_its_name(name: str, args: tuple, message: str) -> None:
    with pytest.raises(AnsibleFilterError, match=message):
        _filter(name)(*args)
