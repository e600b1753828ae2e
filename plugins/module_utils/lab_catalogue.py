# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's stacks, listed once: which stacks each lab builds, in which order and region, from
which template, which stacks' outputs each is made from, which outputs it must publish and what
it creates that a quota limits or that costs money.

Deploy (roles/stacks), teardown, preflight, the report, the quota and cost tables and the
documentation's stack table all read this module (through the filters of
plugins/filter/lab_catalogue.py in playbooks). Adding a stack is a change here, its template in
cloudformation/ and its parameters in roles/stacks/vars/main.yml (``stacks_parameters``, the only
place that maps lab variables to template parameters).
"""

from __future__ import annotations

from collections import namedtuple

# key: how roles and outputs name the stack (``stacks_outputs[key]``); its stack is
#   ``<lab_name>-<key with '-' for '_'>``.
# template: cloudformation/<template>.yml.
# side: ``home`` (aws_region) or ``peer`` (tgw_peer_region).
# needs: the stacks whose outputs its parameters are made from.
# outputs: what it must publish; a missing one stops the deploy with its name.
# secret: its parameters hold the tunnels' pre-shared keys (its tasks stay out of the log).
# resources: per side, what counts against a quota or costs money. `instance` counts are of
#   lab_instance_type; each has an 8 GB gp3 root volume (AL2023's AMI). tests/cloudformation
#   checks the VPC, instance and Elastic IP counts against the templates.
# builds: one line for the documentation.
Stack = namedtuple("Stack", "key template side needs outputs secret resources builds")

# Every stack, in the order a lab that has them creates them (teardown deletes in reverse).
STACKS = (
    Stack(
        "idc",
        "idc",
        "home",
        (),
        ("VpcId", "PublicSubnetId", "PrivateSubnetId", "PrivateRouteTableId", "CgwInstanceId",
         "CgwNetworkInterfaceId", "CgwPublicIp", "CgwPrivateIp", "IdcEc2InstanceId", "IdcEc2PrivateIp"),
        False,
        {"home": {"vpc": 1, "eip": 1, "public_ipv4": 1, "instance": 2, "ebs_gp3_gb": 16}},
        "IDC-VPC, customer gateway host IDC-CGW (ENI + Elastic IP), IDC-EC2",
    ),
    # AWS-EC2 gets an auto-assigned public IPv4 address (MapPublicIpOnLaunch).
    Stack(
        "aws",
        "aws",
        "home",
        (),
        ("VpcId", "PublicSubnetId", "PublicRouteTableId", "AwsEc2InstanceId", "AwsEc2PrivateIp"),
        False,
        {"home": {"vpc": 1, "public_ipv4": 1, "instance": 1, "ebs_gp3_gb": 8}},
        "AWS-VPC, route table AWS-PublicRT, AWS-EC2",
    ),
    Stack(
        "vpn",
        "vpn",
        "home",
        ("idc", "aws"),
        ("VpnGatewayId", "CustomerGatewayId", "VpnConnectionId"),
        True,
        {"home": {"vgw": 1, "customer_gateway": 1, "vpn_connection": 1}},
        "VGW AWS-VPNGW, customer gateway IDC-VPN-CGW, VPN connection",
    ),
    # VPC0-2 attached to LAB-TGW; VPC0-EC2 public; VPC0's interface endpoint in two AZs.
    Stack(
        "tgw",
        "tgw",
        "home",
        (),
        ("TransitGatewayId", "TransitGatewayRouteTableId", "Vpc0Id", "Vpc1Id", "Vpc2Id", "Vpc0Ec2InstanceId",
         "Vpc0Ec2PrivateIp", "Vpc1Ec2PrivateIp", "Vpc2Ec2PrivateIp"),
        False,
        {"home": {"vpc": 3, "tgw": 1, "tgw_attachment": 3, "instance": 3, "ebs_gp3_gb": 24, "public_ipv4": 1,
                  "interface_endpoint_az": 2}},
        "VPC0-2 (12 subnets, 4 route tables, 4 security groups, an internet gateway, an interface endpoint, "
        "3 instances), LAB-TGW, LAB-TGW-RT, the VPC attachments with associations and propagations, the VPCs' "
        "routes to the TGW",
    ),
    # A VPN connection on the transit gateway bills as a connection and as an attachment.
    Stack(
        "tgw_vpn",
        "tgw_vpn",
        "home",
        ("tgw", "idc"),
        ("CustomerGatewayId", "VpnConnectionId", "TgwNetworksCidr"),
        True,
        {"home": {"customer_gateway": 1, "vpn_connection": 1, "tgw_attachment": 1}},
        "customer gateway IDC-TGW-CGW, VPN connection on LAB-TGW, IDC-PrivateRT's route to the TGW networks",
    ),
    # CloudFormation returns no ID for a VPN connection's attachment: it is looked up, then
    # associated and routed by a stack of its own.
    Stack(
        "tgw_vpn_routes",
        "tgw_attachment_routes",
        "home",
        ("tgw", "tgw_vpn"),
        ("TransitGatewayAttachmentId",),
        False,
        {},
        "the VPN attachment's association and the route to IDC-VPC",
    ),
    Stack(
        "tgw_peer",
        "tgw_peer",
        "peer",
        (),
        ("TransitGatewayId", "TransitGatewayRouteTableId", "VpcId", "PeerEc2InstanceId", "PeerEc2PrivateIp"),
        False,
        {"peer": {"vpc": 1, "tgw": 1, "tgw_attachment": 1, "instance": 1, "ebs_gp3_gb": 8}},
        "PEER-VPC, PEER-EC2, PEER-TGW and its route table",
    ),
    # A peering attachment bills on both transit gateways.
    Stack(
        "tgw_peering",
        "tgw_peering",
        "home",
        ("tgw", "tgw_peer"),
        ("PeeringAttachmentId", "PeerRegion"),
        False,
        {"home": {"tgw_attachment": 1}, "peer": {"tgw_attachment": 1}},
        "the peering request (a `Rules` assertion refuses the same region)",
    ),
    # A peering can be associated only once the peer accepted it, hence stacks of their own.
    Stack(
        "tgw_peering_routes",
        "tgw_attachment_routes",
        "home",
        ("tgw", "tgw_peering"),
        ("TransitGatewayAttachmentId",),
        False,
        {},
        "the peering's association and the route to PEER-VPC",
    ),
    Stack(
        "tgw_peer_routes",
        "tgw_attachment_routes",
        "peer",
        ("tgw_peer", "tgw_peering"),
        ("TransitGatewayAttachmentId",),
        False,
        {},
        "the peering's association on PEER-TGW and the routes to VPC0-2",
    ),
)

STACKS_BY_KEY = {stack.key: stack for stack in STACKS}

# Which stacks each lab builds, in build order (site.yml's labs; tgw_full is all of day two).
LABS = {
    "s2s": ("idc", "aws", "vpn"),
    "tgw": ("tgw",),
    "tgw_vpn": ("tgw", "idc", "tgw_vpn", "tgw_vpn_routes"),
    "tgw_peering": ("tgw", "tgw_peer", "tgw_peering", "tgw_peering_routes", "tgw_peer_routes"),
    "tgw_full": ("tgw", "idc", "tgw_vpn", "tgw_vpn_routes", "tgw_peer", "tgw_peering", "tgw_peering_routes",
                 "tgw_peer_routes"),
}

# What lab_stack_list takes for every stack of every lab (teardown, preflight, audit).
EVERY_LAB = "all"


class UnknownLab(ValueError):
    """A lab name LABS does not know."""


def lab_stacks(lab):
    """The stack keys ``lab`` builds, in build order; every stack for ``EVERY_LAB``."""
    if lab == EVERY_LAB:
        return [stack.key for stack in STACKS]
    try:
        return list(LABS[lab])
    except KeyError:
        raise UnknownLab(f"unknown lab {lab!r}; known labs: {', '.join(LABS)}") from None


def stack_name(lab_name, key):
    """The CloudFormation stack name of stack ``key`` in the lab ``lab_name``."""
    if key not in STACKS_BY_KEY:
        raise UnknownLab(f"unknown stack {key!r}; known stacks: {', '.join(STACKS_BY_KEY)}")
    return f"{lab_name}-{key.replace('_', '-')}"


def lab_stack_list(lab, lab_name, aws_region, peer_region):
    """The stacks of ``lab`` in build order, each a dict: ``key``, ``name``, ``region``,
    ``template``, ``needs``, ``outputs``, ``secret``."""
    regions = {"home": aws_region, "peer": peer_region}
    listed = []
    for key in lab_stacks(lab):
        stack = STACKS_BY_KEY[key]
        listed.append(
            {
                "key": key,
                "name": stack_name(lab_name, key),
                "region": regions[stack.side],
                "template": stack.template,
                "needs": list(stack.needs),
                "outputs": list(stack.outputs),
                "secret": stack.secret,
            }
        )
    return listed
