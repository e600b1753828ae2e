"""DescribeCustomerGateways filters by tag and state, as AWS does."""

from __future__ import annotations

from shapes import assert_matches_output_shape


def _gateway(ec2, ip: str, lab: str) -> str:
    return ec2.create_customer_gateway(
        Type="ipsec.1",
        PublicIp=ip,
        BgpAsn=65000,
        TagSpecifications=[{"ResourceType": "customer-gateway", "Tags": [{"Key": "hybridlab:lab", "Value": lab}]}],
    )["CustomerGateway"]["CustomerGatewayId"]


def test_deleted_gateways_are_filtered_out_by_state(ec2):
    kept = _gateway(ec2, "198.51.100.10", "lab")
    ec2.delete_customer_gateway(CustomerGatewayId=_gateway(ec2, "198.51.100.11", "lab"))

    live = ec2.describe_customer_gateways(Filters=[{"Name": "state", "Values": ["pending", "available"]}])

    assert [gateway["CustomerGatewayId"] for gateway in live["CustomerGateways"]] == [kept]
    assert_matches_output_shape("ec2", "DescribeCustomerGateways", live)


def test_gateways_are_filtered_by_tag(ec2):
    mine = _gateway(ec2, "198.51.100.12", "mine")
    _gateway(ec2, "198.51.100.13", "other")

    found = ec2.describe_customer_gateways(Filters=[{"Name": "tag:hybridlab:lab", "Values": ["mine"]}])

    assert [gateway["CustomerGatewayId"] for gateway in found["CustomerGateways"]] == [mine]


def test_gateways_are_still_filtered_by_address_and_asn(ec2):
    wanted = _gateway(ec2, "198.51.100.14", "lab")
    _gateway(ec2, "198.51.100.15", "lab")

    by_ip = ec2.describe_customer_gateways(Filters=[{"Name": "ip-address", "Values": ["198.51.100.14"]}])
    by_asn = ec2.describe_customer_gateways(Filters=[{"Name": "bgp-asn", "Values": ["65000"]}])

    assert [gateway["CustomerGatewayId"] for gateway in by_ip["CustomerGateways"]] == [wanted]
    assert len(by_asn["CustomerGateways"]) == 2
