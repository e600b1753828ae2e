# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that check the lab's variables and say, in words, what is wrong with them."""

from __future__ import annotations

import os
import re
import stat

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules

# Stack names are "<lab_name>-idc" and the like; keep the prefix short and DNS-like.
_LAB_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
LAB_TARGETS = ("local", "aws")
CGW_ASN_RANGES = ((1, 2147483647),)

# Subnet -> the VPC it must lie in; address -> the subnet it must be usable in.
SUBNETS = (
    ("idc_public_subnet_cidr", "idc_vpc_cidr"),
    ("idc_private_subnet_cidr", "idc_vpc_cidr"),
    ("aws_public_subnet_cidr", "aws_vpc_cidr"),
)
ADDRESSES = (
    ("idc_cgw_private_ip", "idc_public_subnet_cidr"),
    ("idc_ec2_private_ip", "idc_private_subnet_cidr"),
    ("aws_ec2_private_ip", "aws_public_subnet_cidr"),
)
# Amazon Linux 2's public parameters (amzn2-ami-...) and the first Amazon Linux's (amzn-ami-...).
_OLD_AMAZON_LINUX = re.compile(r"/amzn2?-ami-")
# The user each supported image family's cloud-init gives the key pair to, by its public SSM
# parameter's prefix. Amazon Linux 2023 is the lab's default; Debian 12 the other image the
# openswan role manages.
IMAGE_LOGIN_USERS = (
    ("/aws/service/ami-amazon-linux-latest/", "ec2-user"),
    ("/aws/service/debian/", "admin"),
)
# What AWS takes as a key pair name: 1-255 ASCII characters.
_KEY_NAME = re.compile(r"^[ -~]{1,255}$")
CIDRS = ("idc_vpc_cidr", "aws_vpc_cidr", "operator_cidr") + tuple(subnet for subnet, _vpc in SUBNETS)


def lab_input_problems(inputs, regions):
    """Every rule the lab's variables break, as sentences naming the variable and the rule.

    ``inputs`` maps variable names to values (roles/lab_config/vars/main.yml builds it);
    ``regions`` lists the known region names (lookup hybridlab.aws.aws_regions).
    """
    if not isinstance(inputs, dict):
        raise AnsibleFilterError("lab_input_problems expects a dict of the lab's variables")
    problems = []
    target = inputs.get("lab_target")
    if target not in LAB_TARGETS:
        problems.append(f"lab_target must be one of {', '.join(LAB_TARGETS)} (got {target!r})")
    elif inputs.get("lab_inventory_target", target) != target:
        problems.append(
            f"lab_target={target} does not match the inventory, which is for "
            f"{inputs['lab_inventory_target']}: use -i inventory/{target}"
        )
    name = str(inputs.get("lab_name", ""))
    if not _LAB_NAME.match(name):
        problems.append(
            f"lab_name must start with a lower-case letter and hold at most 31 lower-case letters, digits "
            f"and '-' (got {name!r})"
        )
    region = inputs.get("aws_region")
    if region not in regions:
        problems.append(f"aws_region {region!r} is not an AWS region (such as ap-northeast-2 or us-east-1)")

    for variable in CIDRS:
        problems += lab_rules.cidr_problems(inputs.get(variable), variable)
    problems += lab_rules.overlap_problems(inputs.get("idc_vpc_cidr"), "idc_vpc_cidr", inputs.get("aws_vpc_cidr"), "aws_vpc_cidr")
    for subnet, vpc in SUBNETS:
        problems += lab_rules.within_problems(inputs.get(subnet), subnet, inputs.get(vpc), vpc)
    problems += lab_rules.overlap_problems(
        inputs.get("idc_public_subnet_cidr"), "idc_public_subnet_cidr",
        inputs.get("idc_private_subnet_cidr"), "idc_private_subnet_cidr",
    )
    for address, subnet in ADDRESSES:
        found = lab_rules.address_problems(inputs.get(address), address)
        problems += found or lab_rules.usable_address_problems(inputs.get(address), address, inputs.get(subnet), subnet)
    # A teardown opens nothing, so it must never be refused for what a build would open.
    if target == "aws" and not inputs.get("lab_removing") and str(inputs.get("operator_cidr")) == "0.0.0.0/0":
        problems.append(
            "operator_cidr is 0.0.0.0/0, which opens SSH on AWS to everyone: set it to your own address (/32)"
        )

    problems += lab_rules.asn_problems(inputs.get("vpn_gateway_asn"), "vpn_gateway_asn", lab_rules.VGW_ASN_RANGES)
    problems += lab_rules.asn_problems(inputs.get("customer_gateway_bgp_asn"), "customer_gateway_bgp_asn", CGW_ASN_RANGES)

    inside = inputs.get("vpn_tunnel_inside_cidrs")
    if not isinstance(inside, list) or len(inside) != 2:
        problems.append("vpn_tunnel_inside_cidrs must be a list of two entries, tunnel 1 then tunnel 2 ('' lets AWS choose)")
    else:
        for index, cidr in enumerate(inside):
            problems += lab_rules.tunnel_inside_cidr_problems(cidr, f"vpn_tunnel_inside_cidrs[{index}]")
        if inside[0] and inside[0] == inside[1]:
            problems.append("vpn_tunnel_inside_cidrs must differ between the two tunnels")
    problems += image_problems(inputs.get("lab_image_ssm_parameter"), inputs.get("lab_ssh_user", ""))
    problems += key_pair_problems(inputs.get("lab_key_name", ""), inputs.get("lab_private_key_file", ""))
    return problems


def image_problems(parameter, ssh_user=""):
    """The image must come from a public SSM parameter, not be Amazon Linux 2 or older, and
    have a login user the lab knows (or is told with lab_ssh_user)."""
    parameter = str(parameter or "")
    if not parameter.startswith("/"):
        return [f"lab_image_ssm_parameter must name a public SSM parameter such as "
                f"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (got {parameter!r})"]
    if _OLD_AMAZON_LINUX.search(parameter):
        return [f"lab_image_ssm_parameter asks for Amazon Linux 2 or older ({parameter}): its Python 3.7 is older "
                "than the 3.8 this Ansible needs on a managed host, and it left standard support on 2026-06-30; "
                "use Amazon Linux 2023 (/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64)"]
    if not ssh_user and not lab_image_user(parameter):
        known = ", ".join(f"{prefix}... ({user})" for prefix, user in IMAGE_LOGIN_USERS)
        return [f"lab_image_ssm_parameter {parameter} is not an image family whose login user the lab knows "
                f"({known}); set lab_ssh_user to the user its cloud-init gives the key pair to"]
    return []


def lab_image_user(parameter):
    """The login user of the image ``parameter`` resolves to ('' for a family the lab does not know)."""
    parameter = str(parameter or "")
    return next((user for prefix, user in IMAGE_LOGIN_USERS if parameter.startswith(prefix)), "")


def key_pair_problems(key_name, private_key_file):
    """A key pair of the user's needs its private key, a file only its owner can read."""
    key_name, private_key_file = str(key_name or ""), str(private_key_file or "")
    if not key_name:
        if private_key_file:
            return ["lab_private_key_file is set but lab_key_name is not: name the key pair it belongs to, "
                    "or unset both to let the lab make its own"]
        return []
    if not _KEY_NAME.match(key_name):
        return [f"lab_key_name must be 1-255 printable ASCII characters (got {key_name!r})"]
    if not private_key_file:
        return [f"lab_key_name={key_name} needs lab_private_key_file, the file of its private key"]
    path = os.path.expanduser(private_key_file)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return [f"lab_private_key_file {private_key_file} cannot be read: {error.strerror}"]
    if not stat.S_ISREG(mode):
        return [f"lab_private_key_file {private_key_file} is not a file"]
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return [f"lab_private_key_file {private_key_file} has mode {stat.S_IMODE(mode):04o}: a private key must be "
                f"readable by its owner only (chmod 600 {private_key_file}), or SSH refuses to use it"]
    return []


def vpn_psks_problems(psks, name="vpn_tunnel_psks"):
    """Problems of the tunnels' pre-shared keys: exactly two, each within AWS's rules."""
    if not isinstance(psks, (list, tuple)) or isinstance(psks, str) or len(psks) != 2:
        return [f"{name} must be a list of two pre-shared keys, tunnel 1 then tunnel 2"]
    problems = []
    for index, psk in enumerate(psks):
        problems += lab_rules.psk_problems(psk, f"{name}[{index}]")
    return problems


class FilterModule:
    def filters(self):
        return {
            "lab_input_problems": lab_input_problems,
            "lab_image_user": lab_image_user,
            "vpn_psks_problems": vpn_psks_problems,
        }
