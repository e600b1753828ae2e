"""The templates deploy on the offline twin (moto + labbox's extensions, in-process), and what
they create carries the parameters' values: the lab's stacks as the stacks role runs them."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from cfn_contract import AGREED_OUTPUTS
from cfn_helpers import template_path

REGION = "ap-northeast-2"
OPERATOR = "198.51.100.7/32"
PSK = "cloudneta"


def create_stack(name: str, template: str, parameters: dict[str, str], region: str = REGION) -> dict[str, str]:
    """Create a stack, require CREATE_COMPLETE (with the failing resource's reason), return its outputs."""
    cfn = boto3.client("cloudformation", region_name=region)
    cfn.create_stack(
        StackName=name,
        TemplateBody=template_path(template).read_text(),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
    )
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        failures = [
            f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
            for e in cfn.describe_stack_events(StackName=name)["StackEvents"]
            if e["ResourceStatus"] == "CREATE_FAILED"
        ]
        pytest.fail(f"{name} is {stack['StackStatus']}: {failures or stack.get('StackStatusReason')}")
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def vpn_parameters(aws: dict[str, str], idc: dict[str, str], **extra: str) -> dict[str, str]:
    """vpn.yml's inputs wired from the other two stacks' outputs, as the stacks role does."""
    return {
        "VpcId": aws["VpcId"],
        "PublicRouteTableId": aws["PublicRouteTableId"],
        "CgwPublicIp": idc["CgwPublicIp"],
        "Tunnel1Psk": PSK,
        "Tunnel2Psk": PSK,
        **extra,
    }


@contextlib.contextmanager
def offline_twin() -> Iterator[None]:
    """The offline twin in-process: moto with every labbox extension installed.

    Dummy credentials and no endpoint override, so nothing can reach a real account.
    """
    from labbox.cloud import extensions
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        for name in ("AWS_PROFILE", "AWS_URL", "AWS_ENDPOINT_URL"):
            env.delenv(name, raising=False)
        extensions.install()
        with mock_aws():
            yield


@pytest.fixture(scope="module")
def module_twin() -> Iterator[None]:
    """One twin for the module: the seed lab is built once and read by many tests."""
    with offline_twin():
        yield


# The account ids of the fresh accounts, one per test that asks for one.
_FRESH_ACCOUNTS = itertools.count(210000000001)


@pytest.fixture
def twin() -> Iterator[None]:
    """A fresh account for one test that builds its own stacks: moto keeps one state per process
    (a nested mock starts from the module's), so the test gets an account of its own, with its
    own default VPC and quotas, as a new AWS account would."""
    with offline_twin(), pytest.MonkeyPatch.context() as env:
        env.setenv("MOTO_ACCOUNT_ID", str(next(_FRESH_ACCOUNTS)))
        yield


@pytest.fixture(scope="module")
def network(module_twin: None) -> dict[str, dict[str, str]]:
    """The idc and aws stacks with the seed's defaults."""
    return {
        "idc": create_stack("hybridlab-idc", "idc", {"OperatorCidr": OPERATOR}),
        "aws": create_stack("hybridlab-aws", "aws", {"OperatorCidr": OPERATOR}),
    }


@pytest.fixture(scope="module")
def vpn(network: dict[str, dict[str, str]]) -> dict[str, str]:
    """The vpn stack on top of the other two."""
    return create_stack("hybridlab-vpn", "vpn", vpn_parameters(network["aws"], network["idc"]))


@pytest.fixture(scope="module")
def ec2(module_twin: None) -> Any:
    return boto3.client("ec2", region_name=REGION)


def tags_of(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


# --- idc and aws stacks ------------------------------------------------------------------------


@pytest.mark.parametrize("stack", ["idc", "aws"])
def test_stack_publishes_every_agreed_output(network: dict[str, dict[str, str]], stack: str) -> None:
    outputs = network[stack]
    missing = {name for name in AGREED_OUTPUTS[stack] if not outputs.get(name)}
    assert not missing


def test_instances_get_the_seed_addresses(network: dict[str, dict[str, str]]) -> None:
    idc, aws = network["idc"], network["aws"]
    assert (idc["CgwPrivateIp"], idc["IdcEc2PrivateIp"], aws["AwsEc2PrivateIp"]) == (
        "10.60.0.100",
        "10.60.1.100",
        "10.50.1.100",
    )


@pytest.mark.parametrize("stack", ["idc", "aws"])
def test_availability_zone_output_is_the_subnets_zone_in_the_stacks_region(
    network: dict[str, dict[str, str]], ec2: Any, stack: str
) -> None:
    (subnet,) = ec2.describe_subnets(SubnetIds=[network[stack]["PublicSubnetId"]])["Subnets"]
    assert network[stack]["AvailabilityZone"] == subnet["AvailabilityZone"]
    assert subnet["AvailabilityZone"].startswith(REGION)


def test_vpcs_get_the_seed_cidrs(network: dict[str, dict[str, str]], ec2: Any) -> None:
    idc_vpc, aws_vpc = network["idc"]["VpcId"], network["aws"]["VpcId"]
    cidrs = {vpc["VpcId"]: vpc["CidrBlock"] for vpc in ec2.describe_vpcs(VpcIds=[idc_vpc, aws_vpc])["Vpcs"]}
    assert cidrs == {idc_vpc: "10.60.0.0/16", aws_vpc: "10.50.0.0/16"}


def test_idc_private_route_table_sends_the_aws_vpc_to_the_cgw_eni(network: dict[str, dict[str, str]], ec2: Any) -> None:
    idc = network["idc"]
    (table,) = ec2.describe_route_tables(RouteTableIds=[idc["PrivateRouteTableId"]])["RouteTables"]
    routes = {r["DestinationCidrBlock"]: r.get("NetworkInterfaceId") for r in table["Routes"]}
    assert routes["10.50.0.0/16"] == idc["CgwNetworkInterfaceId"]
    assert [a["SubnetId"] for a in table["Associations"]] == [idc["PrivateSubnetId"]]


@pytest.mark.parametrize("stack", ["idc", "aws"])
def test_public_route_table_sends_the_internet_to_the_gateway(
    network: dict[str, dict[str, str]], ec2: Any, stack: str
) -> None:
    (table,) = ec2.describe_route_tables(RouteTableIds=[network[stack]["PublicRouteTableId"]])["RouteTables"]
    default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
    assert len(default) == 1 and default[0]["GatewayId"].startswith("igw-")


def test_cgw_elastic_ip_is_on_the_cgw_eni(network: dict[str, dict[str, str]], ec2: Any) -> None:
    idc = network["idc"]
    (address,) = ec2.describe_addresses(PublicIps=[idc["CgwPublicIp"]])["Addresses"]
    assert address["NetworkInterfaceId"] == idc["CgwNetworkInterfaceId"]
    assert address["PrivateIpAddress"] == "10.60.0.100"


def test_cgw_eni_forwards_packets_that_are_not_its_own(network: dict[str, dict[str, str]], ec2: Any) -> None:
    (eni,) = ec2.describe_network_interfaces(NetworkInterfaceIds=[network["idc"]["CgwNetworkInterfaceId"]])[
        "NetworkInterfaces"
    ]
    assert eni["SourceDestCheck"] is False
    assert eni["Attachment"]["InstanceId"] == network["idc"]["CgwInstanceId"]


def test_cgw_security_group_admits_ipsec_operator_ssh_and_the_private_subnet(
    network: dict[str, dict[str, str]], ec2: Any
) -> None:
    (group,) = ec2.describe_security_groups(GroupIds=[network["idc"]["CgwSecurityGroupId"]])["SecurityGroups"]
    admitted = {
        (p["IpProtocol"], p.get("FromPort"), r["CidrIp"]) for p in group["IpPermissions"] for r in p["IpRanges"]
    }
    assert {("udp", 500, "0.0.0.0/0"), ("udp", 4500, "0.0.0.0/0"), ("tcp", 22, OPERATOR)} <= admitted
    assert {(protocol, cidr) for protocol, _, cidr in admitted} >= {("50", "0.0.0.0/0"), ("-1", "10.60.1.0/24")}


@pytest.mark.parametrize(
    ("stack", "output", "name"),
    [
        ("idc", "CgwInstanceId", "IDC-CGW"),
        ("idc", "IdcEc2InstanceId", "IDC-EC2"),
        ("aws", "AwsEc2InstanceId", "AWS-EC2"),
    ],
)
def test_instances_carry_their_names_and_the_lab_tag(
    network: dict[str, dict[str, str]], ec2: Any, stack: str, output: str, name: str
) -> None:
    (reservation,) = ec2.describe_instances(InstanceIds=[network[stack][output]])["Reservations"]
    tags = tags_of(reservation["Instances"][0])
    assert (tags["Name"], tags["hybridlab:lab"]) == (name, "hybridlab")


# --- vpn stack ---------------------------------------------------------------------------------


def test_vpn_stack_publishes_every_agreed_output(vpn: dict[str, str]) -> None:
    assert not {name for name in AGREED_OUTPUTS["vpn"] if not vpn.get(name)}


def test_vpn_gateway_is_attached_to_the_aws_vpc_with_the_seed_asn(
    network: dict[str, dict[str, str]], vpn: dict[str, str], ec2: Any
) -> None:
    (gateway,) = ec2.describe_vpn_gateways(VpnGatewayIds=[vpn["VpnGatewayId"]])["VpnGateways"]
    assert gateway["AmazonSideAsn"] == 64512
    assert [(a["VpcId"], a["State"]) for a in gateway["VpcAttachments"]] == [(network["aws"]["VpcId"], "attached")]
    assert (tags_of(gateway).get("Name"), tags_of(gateway).get("hybridlab:lab")) == ("AWS-VPNGW", "hybridlab")


def test_customer_gateway_is_idc_cgws_elastic_ip(
    network: dict[str, dict[str, str]], vpn: dict[str, str], ec2: Any
) -> None:
    (gateway,) = ec2.describe_customer_gateways(CustomerGatewayIds=[vpn["CustomerGatewayId"]])["CustomerGateways"]
    assert (gateway["IpAddress"], gateway["BgpAsn"], gateway["Type"]) == (
        network["idc"]["CgwPublicIp"],
        "65000",
        "ipsec.1",
    )
    assert tags_of(gateway).get("Name") == "IDC-VPN-CGW"


def test_vpn_connection_is_static_with_the_given_psks_and_the_idc_route(vpn: dict[str, str], ec2: Any) -> None:
    (connection,) = ec2.describe_vpn_connections(VpnConnectionIds=[vpn["VpnConnectionId"]])["VpnConnections"]
    assert (connection["VpnGatewayId"], connection["CustomerGatewayId"]) == (
        vpn["VpnGatewayId"],
        vpn["CustomerGatewayId"],
    )
    assert connection["Options"]["StaticRoutesOnly"] is True
    assert [t["PreSharedKey"] for t in connection["Options"]["TunnelOptions"]] == [PSK, PSK]
    assert [r["DestinationCidrBlock"] for r in connection["Routes"]] == ["10.60.0.0/16"]


def test_aws_public_rt_learns_the_idc_vpc_from_the_vpn_gateway(
    network: dict[str, dict[str, str]], vpn: dict[str, str], ec2: Any
) -> None:
    (table,) = ec2.describe_route_tables(RouteTableIds=[network["aws"]["PublicRouteTableId"]])["RouteTables"]
    assert [g["GatewayId"] for g in table["PropagatingVgws"]] == [vpn["VpnGatewayId"]]
    assert {"DestinationCidrBlock": "10.60.0.0/16", "GatewayId": vpn["VpnGatewayId"]}.items() <= next(
        r for r in table["Routes"] if r.get("DestinationCidrBlock") == "10.60.0.0/16"
    ).items()


# --- parameters other than the defaults ---------------------------------------------------------


def test_inside_cidrs_are_used_when_given_and_chosen_by_aws_when_empty(twin: None) -> None:
    idc = create_stack("insides-idc", "idc", {"OperatorCidr": OPERATOR})
    aws = create_stack("insides-aws", "aws", {"OperatorCidr": OPERATOR})
    vpn = create_stack("insides-vpn", "vpn", vpn_parameters(aws, idc, Tunnel1InsideCidr="169.254.10.0/30"))
    ec2 = boto3.client("ec2", region_name=REGION)
    (connection,) = ec2.describe_vpn_connections(VpnConnectionIds=[vpn["VpnConnectionId"]])["VpnConnections"]
    first, second = (t["TunnelInsideCidr"] for t in connection["Options"]["TunnelOptions"])
    assert first == "169.254.10.0/30"
    assert second.startswith("169.254.") and second.endswith("/30") and second != first


def test_idc_stack_honours_non_default_addressing(twin: None) -> None:
    outputs = create_stack(
        "lab2-idc",
        "idc",
        {
            "LabName": "lab2",
            "OperatorCidr": OPERATOR,
            "IdcVpcCidr": "10.70.0.0/16",
            "IdcPublicSubnetCidr": "10.70.8.0/24",
            "IdcPrivateSubnetCidr": "10.70.9.0/24",
            "CgwPrivateIp": "10.70.8.10",
            "IdcEc2PrivateIp": "10.70.9.20",
            "AwsVpcCidr": "10.80.0.0/16",
        },
    )
    ec2 = boto3.client("ec2", region_name=REGION)
    assert (outputs["CgwPrivateIp"], outputs["IdcEc2PrivateIp"]) == ("10.70.8.10", "10.70.9.20")
    (vpc,) = ec2.describe_vpcs(VpcIds=[outputs["VpcId"]])["Vpcs"]
    assert vpc["CidrBlock"] == "10.70.0.0/16"
    assert tags_of(vpc)["hybridlab:lab"] == "lab2"
    (table,) = ec2.describe_route_tables(RouteTableIds=[outputs["PrivateRouteTableId"]])["RouteTables"]
    assert "10.80.0.0/16" in {r["DestinationCidrBlock"] for r in table["Routes"]}
