"""Outputs: the values the stacks role publishes as facts and feeds into the next stack."""

from __future__ import annotations

import pytest
from cfn_contract import AGREED_OUTPUTS
from cfn_helpers import TEMPLATE_NAMES, load_template, ref, refers_to


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_template_has_every_agreed_output(template: str) -> None:
    missing = AGREED_OUTPUTS[template] - set(load_template(template)["Outputs"])
    assert not missing


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_every_output_is_described(template: str) -> None:
    outputs = load_template(template)["Outputs"]
    assert all(len(output.get("Description", "")) > 10 for output in outputs.values())


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_outputs_are_not_exported(template: str) -> None:
    # Cross-stack values travel as parameters: an Export would pin the producing stack.
    outputs = load_template(template)["Outputs"]
    assert not [name for name, output in outputs.items() if "Export" in output]


def test_cgw_public_ip_is_the_elastic_ip() -> None:
    idc = load_template("idc")
    eips = [lid for lid, r in idc["Resources"].items() if r["Type"] == "AWS::EC2::EIP"]
    assert idc["Outputs"]["CgwPublicIp"]["Value"] in [ref(e) for e in eips]


@pytest.mark.parametrize(
    ("template", "output", "resource_type"),
    [
        ("idc", "CgwInstanceId", "AWS::EC2::Instance"),
        ("idc", "CgwNetworkInterfaceId", "AWS::EC2::NetworkInterface"),
        ("idc", "CgwPrivateIp", "AWS::EC2::NetworkInterface"),
        ("idc", "IdcEc2PrivateIp", "AWS::EC2::Instance"),
        ("aws", "AwsEc2PrivateIp", "AWS::EC2::Instance"),
        ("aws", "PublicRouteTableId", "AWS::EC2::RouteTable"),
        ("vpn", "VpnGatewayId", "AWS::EC2::VPNGateway"),
        ("vpn", "CustomerGatewayId", "AWS::EC2::CustomerGateway"),
        ("vpn", "VpnConnectionId", "AWS::EC2::VPNConnection"),
    ],
)
def test_outputs_read_the_created_resources_not_the_parameters(template: str, output: str, resource_type: str) -> None:
    loaded = load_template(template)
    value = loaded["Outputs"][output]["Value"]
    sources = [lid for lid, r in loaded["Resources"].items() if r["Type"] == resource_type and refers_to(value, lid)]
    assert sources, f"{template} output {output} = {value} does not come from a {resource_type}"
