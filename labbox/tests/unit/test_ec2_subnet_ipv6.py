"""A subnet's IPv6 CIDR block as DescribeSubnets shows and filters it (AWS's API reference)."""

from __future__ import annotations

import ipaddress

from shapes import assert_matches_output_shape


def test_an_ipv6_subnet_is_described_and_found_by_its_block(ec2) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    [vpc_block] = vpc["Ipv6CidrBlockAssociationSet"]
    assert ipaddress.IPv6Network(vpc_block["Ipv6CidrBlock"]).prefixlen == 56
    block = str(next(ipaddress.IPv6Network(vpc_block["Ipv6CidrBlock"]).subnets(new_prefix=64)))
    subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.1.0/24", Ipv6CidrBlock=block)["Subnet"]

    found = ec2.describe_subnets(Filters=[{"Name": "ipv6-cidr-block-association.ipv6-cidr-block", "Values": [block]}])
    assert_matches_output_shape("ec2", "DescribeSubnets", found)
    [described] = found["Subnets"]
    [association] = described["Ipv6CidrBlockAssociationSet"]
    assert described["SubnetId"] == subnet["SubnetId"]
    assert association["Ipv6CidrBlock"] == block and association["Ipv6CidrBlockState"] == {"State": "associated"}
    by_id = ec2.describe_subnets(Filters=[{"Name": "ipv6-cidr-block-association.association-id", "Values": [association["AssociationId"]]}])
    assert [s["SubnetId"] for s in by_id["Subnets"]] == [subnet["SubnetId"]]
    by_state = ec2.describe_subnets(Filters=[{"Name": "ipv6-cidr-block-association.state", "Values": ["associated"]}])
    assert [s["SubnetId"] for s in by_state["Subnets"]] == [subnet["SubnetId"]]
