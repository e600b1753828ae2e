"""The lab's variable rules: each rule fires on its own, names the variable, and good input passes."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.filter.lab_inputs import (
    key_pair_problems,
    lab_image_user,
    lab_input_problems,
    vpn_psks_problems,
)

REGIONS = ["ap-northeast-2", "us-east-1"]
SEED = {
    "lab_target": "local",
    "lab_inventory_target": "local",
    "lab_name": "hybridlab",
    "aws_region": "ap-northeast-2",
    "idc_vpc_cidr": "10.60.0.0/16",
    "idc_public_subnet_cidr": "10.60.0.0/24",
    "idc_private_subnet_cidr": "10.60.1.0/24",
    "idc_cgw_private_ip": "10.60.0.100",
    "idc_ec2_private_ip": "10.60.1.100",
    "aws_vpc_cidr": "10.50.0.0/16",
    "aws_public_subnet_cidr": "10.50.1.0/24",
    "aws_ec2_private_ip": "10.50.1.100",
    "operator_cidr": "0.0.0.0/0",
    "vpn_gateway_asn": 64512,
    "customer_gateway_bgp_asn": 65000,
    "vpn_tunnel_inside_cidrs": ["", ""],
    "lab_image_ssm_parameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    "lab_key_name": "",
    "lab_private_key_file": "",
}


def problems_with(**changes) -> list[str]:
    return lab_input_problems(SEED | changes, REGIONS)


def test_the_seed_lab_has_no_problems() -> None:
    assert problems_with() == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"lab_target": "azure"}, ["lab_target", "local, aws"]),
        ({"lab_target": "aws", "lab_inventory_target": "local", "operator_cidr": "198.51.100.7/32"}, ["inventory/aws"]),
        ({"lab_name": "Hybrid_Lab"}, ["lab_name", "lower-case"]),
        ({"lab_name": "a" * 32}, ["lab_name", "31"]),
        ({"aws_region": "mars-north-1"}, ["aws_region", "mars-north-1"]),
        ({"idc_vpc_cidr": "10.60.0.0/33"}, ["idc_vpc_cidr", "IPv4 CIDR"]),
        ({"idc_vpc_cidr": "10.60.0.0"}, ["idc_vpc_cidr", "IPv4 CIDR"]),
        ({"aws_vpc_cidr": "10.50.0.1/16"}, ["aws_vpc_cidr", "host bits", "10.50.0.0/16"]),
        ({"aws_vpc_cidr": "10.60.0.0/17", "aws_public_subnet_cidr": "10.60.1.0/24", "aws_ec2_private_ip": "10.60.1.100"},
         ["idc_vpc_cidr", "aws_vpc_cidr", "overlap"]),
        ({"idc_private_subnet_cidr": "10.70.1.0/24", "idc_ec2_private_ip": "10.70.1.100"}, ["idc_private_subnet_cidr", "inside idc_vpc_cidr"]),
        ({"idc_private_subnet_cidr": "10.60.0.0/24", "idc_ec2_private_ip": "10.60.0.101"}, ["overlap"]),
        ({"idc_cgw_private_ip": "10.60.0.300"}, ["idc_cgw_private_ip", "IPv4 address"]),
        ({"idc_cgw_private_ip": "10.60.1.100"}, ["idc_cgw_private_ip", "inside idc_public_subnet_cidr"]),
        ({"aws_ec2_private_ip": "10.50.1.3"}, ["aws_ec2_private_ip", "reserved"]),
        ({"aws_ec2_private_ip": "10.50.1.255"}, ["aws_ec2_private_ip", "reserved"]),
        ({"lab_target": "aws", "lab_inventory_target": "aws"}, ["operator_cidr", "everyone"]),
        ({"vpn_gateway_asn": 65000 + 600}, ["vpn_gateway_asn", "64512-65534"]),
        ({"vpn_gateway_asn": "many"}, ["vpn_gateway_asn"]),
        ({"vpn_gateway_asn": 4200000000}, ["vpn_gateway_asn", "64512-65534"]),
        ({"customer_gateway_bgp_asn": 0}, ["customer_gateway_bgp_asn"]),
        ({"vpn_tunnel_inside_cidrs": ["169.254.10.0/29", ""]}, ["vpn_tunnel_inside_cidrs[0]", "/30"]),
        ({"vpn_tunnel_inside_cidrs": ["", "10.0.0.0/30"]}, ["vpn_tunnel_inside_cidrs[1]", "169.254.0.0/16"]),
        ({"vpn_tunnel_inside_cidrs": ["169.254.169.252/30", ""]}, ["vpn_tunnel_inside_cidrs[0]", "reserved"]),
        ({"vpn_tunnel_inside_cidrs": ["169.254.10.0/30", "169.254.10.0/30"]}, ["vpn_tunnel_inside_cidrs", "differ"]),
        ({"vpn_tunnel_inside_cidrs": ["169.254.10.0/30"]}, ["vpn_tunnel_inside_cidrs", "two"]),
    ],
)
def test_each_rule_names_the_variable_and_the_rule(changes: dict, words: list[str]) -> None:
    found = problems_with(**changes)
    assert found, f"no problem found for {changes}"
    text = "\n".join(found)
    for word in words:
        assert word in text


def test_all_problems_are_reported_together() -> None:
    found = problems_with(aws_region="nowhere-1", idc_vpc_cidr="bad", lab_name="")
    assert len(found) >= 3


def test_only_a_valid_vpn_pair_passes() -> None:
    assert vpn_psks_problems(["cloudneta", "cloudneta"]) == []
    assert vpn_psks_problems(["cloudneta"]) == ["vpn_tunnel_psks must be a list of two pre-shared keys, tunnel 1 then tunnel 2"]
    assert vpn_psks_problems("cloudneta") != []


@pytest.mark.parametrize(
    ("psk", "rule"),
    [("short", "8 to 64"), ("x" * 65, "8 to 64"), ("0leading_zero", "must not start with '0'"), ("has-dash1", "letters, digits")],
)
def test_psk_rules_are_named_without_quoting_the_key(psk: str, rule: str) -> None:
    found = vpn_psks_problems([psk, "cloudneta"])
    assert len(found) == 1 and rule in found[0] and "vpn_tunnel_psks[0]" in found[0]
    assert psk not in found[0]


@pytest.mark.parametrize(
    "parameter",
    [
        "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
        "/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-gp2",
        "/aws/service/ami-amazon-linux-latest/amzn-ami-hvm-x86_64-gp2",
    ],
)
def test_amazon_linux_2_is_refused_with_the_reason(parameter: str) -> None:
    [problem] = problems_with(lab_image_ssm_parameter=parameter)
    assert problem.startswith("lab_image_ssm_parameter asks for Amazon Linux 2") and "Python 3.7" in problem


def test_an_image_id_instead_of_a_parameter_is_refused() -> None:
    [problem] = problems_with(lab_image_ssm_parameter="ami-0123456789abcdef0")
    assert "lab_image_ssm_parameter must name a public SSM parameter" in problem


@pytest.mark.parametrize(
    ("parameter", "user"),
    [
        ("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "ec2-user"),
        ("/aws/service/debian/release/12/latest/amd64", "admin"),
        ("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", ""),
    ],
)
def test_the_login_user_follows_the_image(parameter: str, user: str) -> None:
    assert lab_image_user(parameter) == user


def test_an_image_of_an_unknown_family_needs_its_login_user() -> None:
    ubuntu = "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"
    [problem] = problems_with(lab_image_ssm_parameter=ubuntu)
    assert problem.startswith(f"lab_image_ssm_parameter {ubuntu} is not an image family") and "set lab_ssh_user" in problem
    assert problems_with(lab_image_ssm_parameter=ubuntu, lab_ssh_user="ubuntu") == []


def test_a_users_key_pair_needs_its_private_key_file(tmp_path) -> None:
    assert key_pair_problems("my-key", "") == ["lab_key_name=my-key needs lab_private_key_file, the file of its private key"]
    assert "cannot be read" in key_pair_problems("my-key", str(tmp_path / "missing.pem"))[0]
    assert "lab_key_name is not" in key_pair_problems("", str(tmp_path / "key.pem"))[0]


def test_a_private_key_readable_by_others_is_refused_naming_its_mode(tmp_path) -> None:
    key = tmp_path / "key.pem"
    key.write_text("not really a key\n")
    key.chmod(0o644)
    [problem] = problems_with(lab_key_name="my-key", lab_private_key_file=str(key))
    assert f"lab_private_key_file {key} has mode 0644" in problem and "chmod 600" in problem
    key.chmod(0o600)
    assert problems_with(lab_key_name="my-key", lab_private_key_file=str(key)) == []


def test_an_open_operator_cidr_is_refused_on_aws_but_never_for_a_teardown() -> None:
    [problem] = problems_with(lab_target="aws", lab_inventory_target="aws")
    assert problem.startswith("operator_cidr is 0.0.0.0/0")
    assert problems_with(lab_target="aws", lab_inventory_target="aws", lab_removing=True) == []
