"""The twin holds a region to its quotas as AWS does: VPCs, Elastic IPs, VPN and transit gateways.

A default account may hold 5 of each per region (the default VPC counts); the sixth is refused
with EC2's code and message, through the API and through CloudFormation alike, until the quota
is raised through Service Quotas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from labbox_helpers import REGION, client, raise_quota
from stack_helpers import resource_events, stack, template, vpc

OTHER_REGION = "ap-northeast-1"


def _vpc(ec2: Any) -> str:
    """Another VPC: the region's default one plus four fill a default account's quota of 5."""
    taken = {v["CidrBlock"] for v in ec2.describe_vpcs()["Vpcs"]}
    cidr = next(f"10.{n}.0.0/16" for n in range(256) if f"10.{n}.0.0/16" not in taken)
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def _eip(ec2: Any) -> str:
    return ec2.allocate_address(Domain="vpc")["AllocationId"]


def _vgw(ec2: Any) -> str:
    return ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]


def _tgw(ec2: Any) -> str:
    return ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]


def _count_vpcs(ec2: Any) -> int:
    return len(ec2.describe_vpcs()["Vpcs"])


def _count_eips(ec2: Any) -> int:
    return len(ec2.describe_addresses()["Addresses"])


def _count_vgws(ec2: Any) -> int:
    return len([g for g in ec2.describe_vpn_gateways()["VpnGateways"] if g["State"] != "deleted"])


def _count_tgws(ec2: Any) -> int:
    return len([g for g in ec2.describe_transit_gateways()["TransitGateways"] if g["State"] != "deleted"])


# (kind, create one, count the region's, service/quota code, EC2's refusal, its message)
LIMITS = [
    pytest.param(_vpc, _count_vpcs, ("vpc", "L-F678F1CE"), "VpcLimitExceeded",
                 "The maximum number of VPCs has been reached.", id="vpcs"),
    pytest.param(_eip, _count_eips, ("ec2", "L-0263D0A3"), "AddressLimitExceeded",
                 "The maximum number of addresses has been reached.", id="elastic-ips"),
    pytest.param(_vgw, _count_vgws, ("ec2", "L-7029FAB6"), "VpnGatewayLimitExceeded",
                 "The maximum number of virtual private gateways has been reached.", id="vpn-gateways"),
    pytest.param(_tgw, _count_tgws, ("ec2", "L-A2478D36"), "TransitGatewayLimitExceeded",
                 "Transit Gateway limit exceeded", id="transit-gateways"),
]


def _fill(ec2: Any, create: Callable[[Any], str], count: Callable[[Any], int]) -> list[str]:
    """Create until the region holds the default quota of 5."""
    return [create(ec2) for _ in range(5 - count(ec2))]


@pytest.mark.parametrize(("create", "count", "quota", "code", "message"), LIMITS)
def test_the_sixth_is_refused_with_ec2_s_code_and_message_and_nothing_is_created(
    ec2, create, count, quota, code, message
) -> None:
    _fill(ec2, create, count)
    assert count(ec2) == 5

    with pytest.raises(ClientError) as refused:
        create(ec2)

    assert (refused.value.response["Error"]["Code"], refused.value.response["Error"]["Message"]) == (code, message)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert count(ec2) == 5


@pytest.mark.parametrize(("create", "count", "quota", "code", "message"), LIMITS)
def test_a_raised_quota_lets_the_next_one_through_and_holds_at_the_new_value(
    ec2, create, count, quota, code, message
) -> None:
    _fill(ec2, create, count)

    raise_quota(*quota, 6)

    create(ec2)
    assert count(ec2) == 6
    with pytest.raises(ClientError, match=code):
        create(ec2)


@pytest.mark.parametrize(("create", "count", "quota", "code", "message"), LIMITS)
def test_each_region_has_its_own_quota(ec2, create, count, quota, code, message) -> None:
    _fill(ec2, create, count)
    other = client("ec2", OTHER_REGION)
    raise_quota(*quota, 6, region_name=OTHER_REGION)

    # The other region's own five (and a sixth, raised there) are still to be had...
    _fill(other, create, count)
    create(other)
    # ... and raising it there left this region's quota as it was.
    with pytest.raises(ClientError, match=code):
        create(ec2)


def test_the_default_vpc_counts_and_deleting_a_vpc_frees_its_place(ec2) -> None:
    [default] = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v["IsDefault"]]
    mine = [_vpc(ec2) for _ in range(4)]
    with pytest.raises(ClientError, match="VpcLimitExceeded"):
        _vpc(ec2)

    ec2.delete_vpc(VpcId=mine[0])
    _vpc(ec2)

    assert default in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}


def test_an_address_of_any_domain_counts_and_a_released_one_frees_its_place(ec2) -> None:
    # EC2-Classic is retired: every address AWS allocates is a VPC's, whatever Domain says.
    held = [ec2.allocate_address()["AllocationId"] for _ in range(2)] + [_eip(ec2) for _ in range(3)]
    with pytest.raises(ClientError, match="AddressLimitExceeded"):
        _eip(ec2)

    ec2.release_address(AllocationId=held[0])

    _eip(ec2)


def test_deleted_vpn_and_transit_gateways_no_longer_count(ec2) -> None:
    vpn_gateways = _fill(ec2, _vgw, _count_vgws)
    transit_gateways = _fill(ec2, _tgw, _count_tgws)

    ec2.delete_vpn_gateway(VpnGatewayId=vpn_gateways[0])
    ec2.delete_transit_gateway(TransitGatewayId=transit_gateways[0])

    _vgw(ec2)
    _tgw(ec2)
    with pytest.raises(ClientError, match="VpnGatewayLimitExceeded"):
        _vgw(ec2)
    with pytest.raises(ClientError, match="TransitGatewayLimitExceeded"):
        _tgw(ec2)


# The resource a stack adds past a full quota; its template body.
STACK_RESOURCES = [
    pytest.param(_vpc, _count_vpcs, vpc("10.200.0.0/16"), "VpcLimitExceeded",
                 "The maximum number of VPCs has been reached.", "GeneralServiceException", id="vpc"),
    pytest.param(_eip, _count_eips, {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}}, "AddressLimitExceeded",
                 "The maximum number of addresses has been reached.", "GeneralServiceException", id="eip"),
    pytest.param(_vgw, _count_vgws, {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
                 "VpnGatewayLimitExceeded", "The maximum number of virtual private gateways has been reached.",
                 "GeneralServiceException", id="vpn-gateway"),
    pytest.param(_tgw, _count_tgws, {"Type": "AWS::EC2::TransitGateway", "Properties": {}},
                 "TransitGatewayLimitExceeded", "Transit Gateway limit exceeded", "ServiceLimitExceeded",
                 id="transit-gateway"),
]


@pytest.mark.parametrize(("create", "count", "resource", "code", "message", "handler_code"), STACK_RESOURCES)
def test_a_stack_past_the_quota_fails_on_the_resource_with_ec2_s_message_and_rolls_back(
    cfn, ec2, create, count, resource, code, message, handler_code
) -> None:
    _fill(ec2, create, count)
    # Created before the refused resource, and deleted again by the rollback.
    body = template({"Group": {"Type": "AWS::EC2::InternetGateway"}, "Extra": {**resource, "DependsOn": "Group"}})

    cfn.create_stack(StackName="class", TemplateBody=body)

    current = stack(cfn, "class")
    assert current["StackStatus"] == "ROLLBACK_COMPLETE"
    assert current["StackStatusReason"] == (
        "The following resource(s) failed to create: [Extra]. Rollback requested by user."
    )
    [(status, reason)] = [event for event in resource_events(cfn, "class", "Extra") if event[0] == "CREATE_FAILED"]
    assert reason.startswith(f'Resource handler returned message: "{message} (Service: Ec2, Status Code: 400, ')
    assert f"HandlerErrorCode: {handler_code}" in reason and code in reason
    assert count(ec2) == 5
    assert ec2.describe_internet_gateways()["InternetGateways"] == []


def test_a_stack_fits_once_the_quota_is_raised(cfn, ec2) -> None:
    _fill(ec2, _vpc, _count_vpcs)
    raise_quota("vpc", "L-F678F1CE", 7)

    cfn.create_stack(StackName="class", TemplateBody=template({"A": vpc("10.200.0.0/16"), "B": vpc("10.201.0.0/16")}))

    assert stack(cfn, "class")["StackStatus"] == "CREATE_COMPLETE"
    assert _count_vpcs(ec2) == 7
    applied = client("service-quotas").get_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]
    assert (applied["Value"], f":{REGION}:" in applied["QuotaArn"]) == (7.0, True)
