"""The lab's stack catalogue agrees with the templates it names and with the roles that read it."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest
import yaml

from cfn_helpers import REPO_ROOT, TEMPLATE_NAMES, load_template

# Plain Python, loaded by path: these tests run without Ansible's collection loader.
_spec = importlib.util.spec_from_file_location("lab_catalogue", REPO_ROOT / "plugins/module_utils/lab_catalogue.py")
lab_catalogue = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab_catalogue)

COUNTED_TYPES = {
    "AWS::EC2::VPC": "vpc",
    "AWS::EC2::EIP": "eip",
    "AWS::EC2::VPNGateway": "vgw",
    "AWS::EC2::TransitGateway": "tgw",
    "AWS::EC2::Instance": "instance",
    "AWS::EC2::VPNConnection": "vpn_connection",
    "AWS::EC2::CustomerGateway": "customer_gateway",
}
STACKS = lab_catalogue.STACKS_BY_KEY


def _role_file(path: str) -> dict:
    return yaml.safe_load((REPO_ROOT / "roles" / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(STACKS))
def test_each_stack_counts_what_its_template_creates(key: str) -> None:
    template = load_template(STACKS[key].template)
    created = Counter(
        COUNTED_TYPES[resource["Type"]] for resource in template["Resources"].values() if resource["Type"] in COUNTED_TYPES
    )
    table = Counter()
    for counts in STACKS[key].resources.values():
        table.update({kind: count for kind, count in counts.items() if kind in COUNTED_TYPES.values()})

    assert table == created


@pytest.mark.parametrize("key", sorted(STACKS))
def test_each_stack_names_outputs_its_template_publishes(key: str) -> None:
    outputs = load_template(STACKS[key].template).get("Outputs", {})

    assert set(STACKS[key].outputs) <= set(outputs), set(STACKS[key].outputs) - set(outputs)


@pytest.mark.parametrize("key", sorted(STACKS))
def test_the_stacks_role_gives_each_stack_every_parameter_its_template_requires(key: str) -> None:
    parameters = _role_file("stacks/vars/main.yml")["stacks_parameters"]
    template_parameters = load_template(STACKS[key].template).get("Parameters", {})
    required = {name for name, spec in template_parameters.items() if "Default" not in spec}

    assert required <= set(parameters[key]), required - set(parameters[key])
    assert set(parameters[key]) <= set(template_parameters), set(parameters[key]) - set(template_parameters)


def test_the_stacks_role_has_parameters_for_exactly_the_catalogued_stacks() -> None:
    assert set(_role_file("stacks/vars/main.yml")["stacks_parameters"]) == set(STACKS)


def test_every_template_belongs_to_a_stack() -> None:
    assert {stack.template for stack in lab_catalogue.STACKS} == set(TEMPLATE_NAMES)


def test_the_labs_are_those_lab_config_lets_a_user_choose() -> None:
    choices = _role_file("lab_config/meta/argument_specs.yml")["argument_specs"]["main"]["options"]["lab"]["choices"]

    assert choices == list(lab_catalogue.LABS)
    for lab in lab_catalogue.LABS:
        assert (REPO_ROOT / "playbooks" / "labs" / f"{lab}.yml").is_file(), lab


@pytest.mark.parametrize("lab", sorted(lab_catalogue.LABS))
def test_a_lab_builds_what_a_stack_needs_before_it(lab: str) -> None:
    built: list[str] = []
    for key in lab_catalogue.lab_stacks(lab):
        assert set(STACKS[key].needs) <= set(built), (key, STACKS[key].needs, built)
        built.append(key)


def test_every_stack_in_reverse_deletes_each_stack_before_those_it_needs() -> None:
    order = [stack["key"] for stack in reversed(lab_catalogue.lab_stack_list("all", "lab", "r1", "r2"))]

    for key in order:
        for needed in STACKS[key].needs:
            assert order.index(needed) > order.index(key), (key, needed)


def test_a_stack_list_names_each_stack_and_places_it_in_its_region() -> None:
    stacks = lab_catalogue.lab_stack_list("tgw_peering", "class-7", "ap-northeast-2", "ap-northeast-1")

    assert [(stack["name"], stack["region"]) for stack in stacks] == [
        ("class-7-tgw", "ap-northeast-2"),
        ("class-7-tgw-peer", "ap-northeast-1"),
        ("class-7-tgw-peering", "ap-northeast-2"),
        ("class-7-tgw-peering-routes", "ap-northeast-2"),
        ("class-7-tgw-peer-routes", "ap-northeast-1"),
    ]
    assert stacks[3]["template"] == "tgw_attachment_routes"


def test_an_unknown_lab_or_stack_is_named() -> None:
    with pytest.raises(lab_catalogue.UnknownLab, match="unknown lab 'tgw_mesh'; known labs: s2s, tgw"):
        lab_catalogue.lab_stacks("tgw_mesh")
    with pytest.raises(lab_catalogue.UnknownLab, match="unknown stack 'vpc'"):
        lab_catalogue.stack_name("hybridlab", "vpc")
