"""docs/aws-iam-policy.json grants every AWS action the lab's templates and modules need.

What is needed is derived from the repository, not listed by hand once: each resource type of
cloudformation/*.yml (CloudFormation creates, updates and deletes with the caller's
permissions) and each AWS module or inventory plugin the roles, playbooks and inventories use.
A type or module this test does not know fails it, so a new one cannot slip past the policy.
"""

from __future__ import annotations

import fnmatch
import json
import re

import pytest

from cfn_helpers import REPO_ROOT, TEMPLATE_NAMES, load_template

POLICY = REPO_ROOT / "docs" / "aws-iam-policy.json"

# What CloudFormation calls to create, change and delete each resource type (AWS's resource
# provider schemas, "handlers": create, update, delete, read).
RESOURCE_TYPE_ACTIONS = {
    "AWS::EC2::VPC": ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DescribeVpcs"],
    "AWS::EC2::InternetGateway": ["ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:CreateTags"],
    "AWS::EC2::VPCGatewayAttachment": [
        "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:AttachVpnGateway", "ec2:DetachVpnGateway",
    ],
    "AWS::EC2::Subnet": ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", "ec2:DescribeSubnets"],
    "AWS::EC2::RouteTable": ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:DescribeRouteTables"],
    "AWS::EC2::Route": ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"],
    "AWS::EC2::SubnetRouteTableAssociation": [
        "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation",
    ],
    "AWS::EC2::SecurityGroup": [
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
        "ec2:DescribeSecurityGroups",
    ],
    "AWS::EC2::NetworkInterface": [
        "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:DescribeNetworkInterfaces",
    ],
    "AWS::EC2::EIP": ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DescribeAddresses"],
    "AWS::EC2::EIPAssociation": ["ec2:AssociateAddress", "ec2:DisassociateAddress"],
    "AWS::EC2::Instance": [
        "ec2:RunInstances", "ec2:TerminateInstances", "ec2:ModifyInstanceAttribute", "ec2:DescribeInstances",
        "ec2:DescribeImages", "ec2:DescribeKeyPairs", "ec2:CreateTags",
    ],
    "AWS::EC2::VPCEndpoint": [
        "ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:DescribeVpcEndpoints",
        "route53:AssociateVPCWithHostedZone",
    ],
    "AWS::EC2::CustomerGateway": ["ec2:CreateCustomerGateway", "ec2:DeleteCustomerGateway", "ec2:DescribeCustomerGateways"],
    "AWS::EC2::VPNGateway": ["ec2:CreateVpnGateway", "ec2:DeleteVpnGateway", "ec2:DescribeVpnGateways"],
    "AWS::EC2::VPNConnection": ["ec2:CreateVpnConnection", "ec2:DeleteVpnConnection", "ec2:DescribeVpnConnections"],
    "AWS::EC2::VPNConnectionRoute": ["ec2:CreateVpnConnectionRoute", "ec2:DeleteVpnConnectionRoute"],
    "AWS::EC2::VPNGatewayRoutePropagation": ["ec2:EnableVgwRoutePropagation", "ec2:DisableVgwRoutePropagation"],
    "AWS::EC2::TransitGateway": [
        "ec2:CreateTransitGateway", "ec2:DeleteTransitGateway", "ec2:ModifyTransitGateway", "ec2:DescribeTransitGateways",
    ],
    "AWS::EC2::TransitGatewayRouteTable": [
        "ec2:CreateTransitGatewayRouteTable", "ec2:DeleteTransitGatewayRouteTable",
        "ec2:DescribeTransitGatewayRouteTables",
    ],
    "AWS::EC2::TransitGatewayVpcAttachment": [
        "ec2:CreateTransitGatewayVpcAttachment", "ec2:DeleteTransitGatewayVpcAttachment",
        "ec2:ModifyTransitGatewayVpcAttachment", "ec2:DescribeTransitGatewayVpcAttachments",
    ],
    "AWS::EC2::TransitGatewayRouteTableAssociation": [
        "ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable",
        "ec2:GetTransitGatewayRouteTableAssociations",
    ],
    "AWS::EC2::TransitGatewayRouteTablePropagation": [
        "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation",
        "ec2:GetTransitGatewayRouteTablePropagations",
    ],
    "AWS::EC2::TransitGatewayRoute": [
        "ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute", "ec2:SearchTransitGatewayRoutes",
    ],
    "AWS::EC2::TransitGatewayPeeringAttachment": [
        "ec2:CreateTransitGatewayPeeringAttachment", "ec2:DeleteTransitGatewayPeeringAttachment",
        "ec2:DescribeTransitGatewayPeeringAttachments",
    ],
    # Parameters of this type are resolved by CloudFormation with the caller's permissions.
    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>": ["ssm:GetParameters"],
}

# What each module (and the inventory plugin) calls.
MODULE_ACTIONS = {
    "amazon.aws.cloudformation": [
        "cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack",
        "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate",
    ],
    "amazon.aws.cloudformation_info": [
        "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:ListStackResources",
        "cloudformation:GetTemplate",
    ],
    "amazon.aws.aws_ec2": ["ec2:DescribeInstances"],
    "amazon.aws.ec2_eip_info": ["ec2:DescribeAddresses"],
    "amazon.aws.ec2_eni_info": ["ec2:DescribeNetworkInterfaces"],
    # The exercises (roles/exercise) change what a learner changes by hand.
    "amazon.aws.ec2_eni": ["ec2:DescribeNetworkInterfaces", "ec2:ModifyNetworkInterfaceAttribute"],
    "amazon.aws.ec2_security_group": [
        "ec2:DescribeSecurityGroups", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress",
    ],
    "amazon.aws.ec2_vpc_route_table": ["ec2:DescribeRouteTables", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"],
    "hybridlab.aws.vgw_route_propagation": [
        "ec2:DescribeRouteTables", "ec2:EnableVgwRoutePropagation", "ec2:DisableVgwRoutePropagation",
    ],
    "amazon.aws.ec2_transit_gateway_vpc_attachment_info": ["ec2:DescribeTransitGatewayVpcAttachments"],
    "amazon.aws.ec2_instance_info": ["ec2:DescribeInstances"],
    "amazon.aws.ec2_key": ["ec2:ImportKeyPair", "ec2:DeleteKeyPair", "ec2:DescribeKeyPairs", "ec2:CreateTags"],
    "amazon.aws.ec2_key_info": ["ec2:DescribeKeyPairs"],
    "amazon.aws.ec2_security_group_info": ["ec2:DescribeSecurityGroups"],
    "amazon.aws.ec2_transit_gateway_info": ["ec2:DescribeTransitGateways"],
    "amazon.aws.ec2_vpc_endpoint_info": ["ec2:DescribeVpcEndpoints"],
    "amazon.aws.ec2_vpc_nacl_info": ["ec2:DescribeNetworkAcls"],
    "amazon.aws.ec2_vpc_net_info": ["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute"],
    "amazon.aws.ec2_vpc_route_table_info": ["ec2:DescribeRouteTables"],
    "amazon.aws.ec2_vpc_subnet_info": ["ec2:DescribeSubnets"],
    "amazon.aws.ec2_vpc_vgw_info": ["ec2:DescribeVpnGateways"],
    "amazon.aws.ec2_vpc_vpn_info": ["ec2:DescribeVpnConnections"],
    "community.aws.ec2_customer_gateway_info": ["ec2:DescribeCustomerGateways"],
    "hybridlab.aws.lab_account_info": [
        "sts:GetCallerIdentity", "ec2:DescribeRegions", "servicequotas:GetServiceQuota",
        "servicequotas:GetAWSDefaultServiceQuota", "ec2:DescribeVpcs", "ec2:DescribeAddresses",
        "ec2:DescribeVpnGateways", "ec2:DescribeTransitGateways", "cloudformation:DescribeStacks",
        "ec2:DescribeInstances", "ec2:DescribeVpnConnections", "ssm:GetParameter", "ec2:DescribeImages",
        "ec2:DescribeKeyPairs",
    ],
    "hybridlab.aws.service_quota_info": ["servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota"],
    "hybridlab.aws.tgw_peering_attachment": [
        "ec2:DescribeTransitGatewayPeeringAttachments", "ec2:AcceptTransitGatewayPeeringAttachment",
    ],
    "hybridlab.aws.tgw_routing_info": [
        "ec2:DescribeTransitGateways", "ec2:DescribeTransitGatewayAttachments", "ec2:DescribeTransitGatewayRouteTables",
        "ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations",
        "ec2:SearchTransitGatewayRoutes",
    ],
    "hybridlab.aws.vpn_tunnel_info": ["ec2:DescribeVpnConnections", "cloudformation:DescribeStacks"],
}

_USED_MODULE = re.compile(r"\b((?:amazon|community|hybridlab)\.aws\.[a-z0-9_]+)\b")
# Collection names that are not AWS calls: the action group, the strategy, and the lookups that
# read botocore's region data, the local credential chain or the lab's variables only (roles are
# recognised by their directory, filters by their docs).
_NOT_AN_AWS_CALL = re.compile(r"^hybridlab\.aws\.(aws|aws_regions|aws_credential_source|lab_setting|mitogen_linear)$")
_ROLES = {path.name for path in (REPO_ROOT / "roles").iterdir() if path.is_dir()}


def _policy() -> dict:
    return json.loads(POLICY.read_text())


def _allowed(action: str) -> bool:
    """Whether an Allow statement's Action (with IAM's * wildcards, case-insensitive) grants it."""
    for statement in _policy()["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in actions):
            return True
    return False


def _template_types() -> set[str]:
    types = set()
    for name in TEMPLATE_NAMES:
        template = load_template(name)
        types |= {resource["Type"] for resource in template["Resources"].values()}
        types |= {parameter["Type"] for parameter in template.get("Parameters", {}).values() if "::" in parameter["Type"]}
    return types - {"AWS::EC2::VPC::Id", "AWS::EC2::KeyPair::KeyName"}


def _used_modules() -> set[str]:
    files = [*REPO_ROOT.glob("roles/*/tasks/**/*.yml"), *REPO_ROOT.glob("playbooks/*.yml"), *REPO_ROOT.glob("inventory/*/*.yml")]
    used = set()
    for path in files:
        for name in _USED_MODULE.findall(path.read_text()):
            short = name.split(".")[-1]
            if name.startswith("hybridlab.aws.") and short in _ROLES:
                continue
            # Filters (documented beside their code) and lookups run on the controller and call no AWS API.
            plugin = REPO_ROOT / "plugins"
            if (plugin / "filter" / f"{short}.yml").exists() or (plugin / "lookup" / f"{short}.py").exists():
                continue
            if not _NOT_AN_AWS_CALL.match(name):
                used.add(name)
    return used


def test_the_policy_is_an_iam_policy_document() -> None:
    policy = _policy()

    assert policy["Version"] == "2012-10-17"
    assert policy["Statement"]
    for statement in policy["Statement"]:
        assert statement["Effect"] in ("Allow", "Deny")
        assert statement.get("Resource"), statement.get("Sid")
        assert re.fullmatch(r"[A-Za-z0-9]+", statement.get("Sid", "")), "every statement has a Sid"


def test_the_policy_grants_no_service_wide_wildcard() -> None:
    for statement in _policy()["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not [action for action in actions if action == "*" or action.endswith(":*")], statement["Sid"]


@pytest.mark.parametrize("resource_type", sorted(_template_types()))
def test_every_template_resource_type_is_covered(resource_type: str) -> None:
    assert resource_type in RESOURCE_TYPE_ACTIONS, f"{resource_type}: say which actions it needs here and in the policy"
    missing = [action for action in RESOURCE_TYPE_ACTIONS[resource_type] if not _allowed(action)]
    assert not missing, f"{resource_type} needs {missing}, which docs/aws-iam-policy.json does not grant"


@pytest.mark.parametrize("module", sorted(_used_modules()))
def test_every_aws_module_the_lab_runs_is_covered(module: str) -> None:
    assert module in MODULE_ACTIONS, f"{module}: say which actions it calls here and in the policy"
    missing = [action for action in MODULE_ACTIONS[module] if not _allowed(action)]
    assert not missing, f"{module} calls {missing}, which docs/aws-iam-policy.json does not grant"


def test_the_check_fails_for_an_action_the_policy_lacks() -> None:
    assert not _allowed("ec2:CreateNatGateway")
    assert not _allowed("iam:CreateUser")
    assert _allowed("ec2:DescribeVpcs")
