"""The resource table quotas and costs are read from agrees with the templates it describes."""

from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from cfn_helpers import REPO_ROOT, load_template

_spec = importlib.util.spec_from_file_location("lab_resources", REPO_ROOT / "plugins/module_utils/lab_resources.py")
lab_resources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lab_resources)

# Stack key -> template (roles/stacks: stacks_templates); the routes stacks share one template.
TEMPLATES = {
    "tgw_vpn_routes": "tgw_attachment_routes",
    "tgw_peering_routes": "tgw_attachment_routes",
    "tgw_peer_routes": "tgw_attachment_routes",
}
COUNTED_TYPES = {
    "AWS::EC2::VPC": "vpc",
    "AWS::EC2::EIP": "eip",
    "AWS::EC2::VPNGateway": "vgw",
    "AWS::EC2::TransitGateway": "tgw",
    "AWS::EC2::Instance": "instance",
    "AWS::EC2::VPNConnection": "vpn_connection",
    "AWS::EC2::CustomerGateway": "customer_gateway",
}


@pytest.mark.parametrize("stack", sorted(lab_resources.STACK_RESOURCES))
def test_each_stack_line_counts_what_its_template_creates(stack: str) -> None:
    template = load_template(TEMPLATES.get(stack, stack))
    created = Counter(
        COUNTED_TYPES[resource["Type"]] for resource in template["Resources"].values() if resource["Type"] in COUNTED_TYPES
    )
    table = Counter()
    for counts in lab_resources.STACK_RESOURCES[stack].values():
        table.update({kind: count for kind, count in counts.items() if kind in COUNTED_TYPES.values()})

    assert table == created
