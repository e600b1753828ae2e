"""Public addresses come from 198.51.100.0/24, distinct, and are never handed out twice while held."""

from __future__ import annotations

import ipaddress

import botocore.exceptions
import pytest

from labbox.cloud import public_ips
from labbox_helpers import client, raise_quota
from shapes import assert_matches_output_shape
from stack_helpers import AMI, get_att, outputs, ref, subnet, template, vpc

RANGE = ipaddress.ip_network("198.51.100.0/24")
# These tests hold dozens of addresses at once, up to the whole range, which a default account may
# not (5 Elastic IPs per region): they raise the quota first, as an account's owner would.
EIP_QUOTA = ("ec2", "L-0263D0A3", 300)


@pytest.fixture
def ec2(ec2):
    raise_quota(*EIP_QUOTA)
    return ec2


def test_elastic_ips_are_distinct_documentation_addresses(ec2):
    addresses = [ec2.allocate_address(Domain="vpc")["PublicIp"] for _ in range(40)]

    response = ec2.describe_addresses()
    assert_matches_output_shape("ec2", "DescribeAddresses", response)
    assert all(ipaddress.ip_address(a) in RANGE for a in addresses)
    assert len(set(addresses)) == 40


def test_addresses_are_distinct_across_regions(ec2):
    raise_quota(*EIP_QUOTA, region_name="ap-northeast-1")
    tokyo = client("ec2", "ap-northeast-1")
    here = {ec2.allocate_address(Domain="vpc")["PublicIp"] for _ in range(20)}
    there = {tokyo.allocate_address(Domain="vpc")["PublicIp"] for _ in range(20)}

    assert here.isdisjoint(there)


def test_exhausted_range_fails_like_ec2(ec2):
    # 254 hosts in the /24, one of them the data plane's operator address, never handed out.
    given = {ec2.allocate_address(Domain="vpc")["PublicIp"] for _ in range(254 - len(public_ips.RESERVED))}
    assert not given & public_ips.RESERVED

    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ec2.allocate_address(Domain="vpc")

    assert refused.value.response["Error"]["Code"] == "AddressLimitExceeded"


def test_released_address_is_free_again(ec2):
    # With every other address held, the released one is the only one to give.
    held = [ec2.allocate_address(Domain="vpc") for _ in range(254 - len(public_ips.RESERVED))]
    ec2.release_address(AllocationId=held[7]["AllocationId"])

    assert ec2.allocate_address(Domain="vpc")["PublicIp"] == held[7]["PublicIp"]


def test_a_just_released_address_is_not_handed_out_again_while_others_are_free(ec2, monkeypatch):
    monkeypatch.setattr(public_ips, "_handed_out", {})
    first = ec2.allocate_address(Domain="vpc")
    ec2.release_address(AllocationId=first["AllocationId"])

    again = {ec2.allocate_address(Domain="vpc")["PublicIp"] for _ in range(100)}

    assert first["PublicIp"] not in again


def test_auto_assigned_public_ips_do_not_collide_with_elastic_ips(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    elastic = {ec2.allocate_address(Domain="vpc")["PublicIp"] for _ in range(200)}

    launched = ec2.run_instances(
        ImageId=AMI,
        MinCount=20,
        MaxCount=20,
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet_id, "AssociatePublicIpAddress": True}],
    )["Instances"]

    public = {i["PublicIpAddress"] for i in launched}
    assert len(public) == 20 and public.isdisjoint(elastic)
    assert all(ipaddress.ip_address(a) in RANGE for a in public)


def test_eip_association_resource_binds_and_frees_the_address(cfn, ec2):
    body = template(
        {
            "Vpc": vpc(),
            "Public": subnet("Vpc", "10.60.0.0/24"),
            "Eni": {"Type": "AWS::EC2::NetworkInterface", "Properties": {"SubnetId": ref("Public")}},
            "Server": {
                "Type": "AWS::EC2::Instance",
                "Properties": {
                    "ImageId": AMI,
                    "NetworkInterfaces": [{"DeviceIndex": "0", "NetworkInterfaceId": ref("Eni")}],
                },
            },
            "Gateway": {"Type": "AWS::EC2::InternetGateway"},
            "Attachment": {
                "Type": "AWS::EC2::VPCGatewayAttachment",
                "Properties": {"VpcId": ref("Vpc"), "InternetGatewayId": ref("Gateway")},
            },
            # As on AWS: an address maps only once the VPC's gateway is attached, and is unmapped
            # before the gateway is detached.
            "Eip": {"Type": "AWS::EC2::EIP", "DependsOn": "Attachment", "Properties": {"Domain": "vpc"}},
            "Association": {
                "Type": "AWS::EC2::EIPAssociation",
                "DependsOn": ["Server", "Attachment"],
                "Properties": {"AllocationId": get_att("Eip", "AllocationId"), "NetworkInterfaceId": ref("Eni")},
            },
        },
        outputs={"Ip": ref("Eip"), "Association": ref("Association"), "Server": ref("Server"), "Eni": ref("Eni")},
    )
    cfn.create_stack(StackName="lab", TemplateBody=body)
    out = outputs(cfn, "lab")

    [address] = ec2.describe_addresses(PublicIps=[out["Ip"]])["Addresses"]
    assert address["AssociationId"] == out["Association"]
    assert (address["NetworkInterfaceId"], address["InstanceId"]) == (out["Eni"], out["Server"])
    server = ec2.describe_instances(InstanceIds=[out["Server"]])["Reservations"][0]["Instances"][0]
    assert server["PublicIpAddress"] == out["Ip"]

    cfn.delete_stack(StackName="lab")
    assert ec2.describe_addresses()["Addresses"] == []
