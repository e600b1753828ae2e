"""hybridlab.aws.lab_account_info against stubbed AWS: one pass over what preflight judges."""

from __future__ import annotations

import datetime
from typing import Any

from ansible_collections.hybridlab.aws.plugins.modules.lab_account_info import main
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import REGION

PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
IMAGE = "ami-0a1b2c3d4e5f60718"
VPCS = {"service_code": "vpc", "quota_code": "L-F678F1CE", "default": 5, "name": "VPCs per Region"}
TAG = [{"Name": "tag:hybridlab:lab", "Values": ["hybridlab"]}]


def _vpc(vpc_id: str) -> dict[str, Any]:
    return {"VpcId": vpc_id, "CidrBlock": "10.0.0.0/16", "State": "available", "IsDefault": False}


def _queue_identity(aws, regions: list[str]) -> None:
    aws("sts").add_response(
        "get_caller_identity", {"UserId": "AIDAEXAMPLE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/lab"}
    )
    aws("ec2").add_response(
        "describe_regions", {"Regions": [{"RegionName": region, "OptInStatus": "opt-in-not-required"} for region in regions]}
    )


def _queue_region(aws, *, vpcs: int = 1, stack_status: str | None = None, image_name: str = "al2023-ami-2023.6-x86_64",
                  key_pairs: int = 0, parameter_found: bool = True) -> None:
    aws("service-quotas").add_response(
        "get_service_quota",
        {"Quota": {"ServiceCode": "vpc", "QuotaCode": "L-F678F1CE", "QuotaName": "VPCs per Region", "Value": 5.0}},
        {"ServiceCode": "vpc", "QuotaCode": "L-F678F1CE"},
    )
    aws("ec2").add_response("describe_vpcs", {"Vpcs": [_vpc(f"vpc-0000000000000000{index}") for index in range(vpcs)]})
    aws("ec2").add_response("describe_addresses", {"Addresses": [{"PublicIp": "198.51.100.9", "AllocationId": "eipalloc-1"}]})
    aws("ec2").add_response(
        "describe_vpn_gateways", {"VpnGateways": []}, {"Filters": [{"Name": "state", "Values": ["pending", "available"]}]}
    )
    aws("ec2").add_response(
        "describe_transit_gateways",
        {"TransitGateways": []},
        {"Filters": [{"Name": "state", "Values": ["pending", "available", "modifying", "deleting"]}]},
    )
    if stack_status:
        aws("cloudformation").add_response(
            "describe_stacks",
            {"Stacks": [{"StackName": "hybridlab-idc", "StackStatus": stack_status,
                         "CreationTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)}]},
            {"StackName": "hybridlab-idc"},
        )
    else:
        aws("cloudformation").add_client_error(
            "describe_stacks", "ValidationError", "Stack with id hybridlab-idc does not exist", expected_params={"StackName": "hybridlab-idc"}
        )
    aws("ec2").add_response("describe_vpcs", {"Vpcs": [_vpc("vpc-0aaaaaaaaaaaaaaaa")]}, {"Filters": TAG})
    aws("ec2").add_response(
        "describe_instances",
        {"Reservations": []},
        {"Filters": TAG + [{"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}]},
    )
    aws("ec2").add_response(
        "describe_vpn_connections", {"VpnConnections": []}, {"Filters": TAG + [{"Name": "state", "Values": ["pending", "available"]}]}
    )
    if parameter_found:
        aws("ssm").add_response("get_parameter", {"Parameter": {"Name": PARAMETER, "Type": "String", "Value": IMAGE}}, {"Name": PARAMETER})
        aws("ec2").add_response("describe_images", {"Images": [{"ImageId": IMAGE, "Name": image_name}]}, {"ImageIds": [IMAGE]})
    else:
        aws("ssm").add_client_error("get_parameter", "ParameterNotFound", "not there", expected_params={"Name": PARAMETER})
    aws("ec2").add_response(
        "describe_key_pairs",
        {"KeyPairs": [{"KeyName": "hybridlab-key", "KeyPairId": "key-0123456789abcdef0"}] * key_pairs},
        {"Filters": [{"Name": "key-name", "Values": ["hybridlab-key"]}]},
    )


def _args(**extra: Any) -> dict[str, Any]:
    return {
        "regions": [REGION],
        "quotas": [VPCS],
        "lab_tag": "hybridlab",
        "stacks": [{"name": "hybridlab-idc", "region": REGION}, {"name": "hybridlab-tgw-peer", "region": "ap-northeast-1"}],
        "image_ssm_parameter": PARAMETER,
        "key_pair_name": "hybridlab-key",
        **extra,
    }


def test_one_pass_reads_account_quotas_use_stacks_tags_image_and_key_pair(aws, run_module) -> None:
    _queue_identity(aws, [REGION, "ap-northeast-1"])
    _queue_region(aws, vpcs=3, stack_status="CREATE_COMPLETE", key_pairs=1)

    result = run_module(main, _args())

    assert result.exit_code == 0, result
    assert result["changed"] is False
    assert (result["account"], result["regions_not_enabled"]) == ("123456789012", [])
    region = result["regions"][REGION]
    assert region["quotas"][0]["value"] == 5.0 and region["quotas"][0]["source"] == "applied"
    assert region["in_use"] == {"vpc": 3, "eip": 1, "vgw": 0, "tgw": 0}
    # Only the stacks of this region are looked up.
    assert region["stacks"] == [{"name": "hybridlab-idc", "status": "CREATE_COMPLETE"}]
    assert region["tagged"] == {"vpcs": ["vpc-0aaaaaaaaaaaaaaaa"], "instances": [], "vpn_connections": []}
    assert region["image"] == {"parameter": PARAMETER, "image_id": IMAGE, "name": "al2023-ami-2023.6-x86_64", "reason": ""}
    assert region["key_pair_exists"] is True


def test_a_missing_stack_parameter_and_key_pair_are_answers_not_failures(aws, run_module) -> None:
    _queue_identity(aws, [REGION])
    _queue_region(aws, parameter_found=False)

    result = run_module(main, _args())

    assert result.exit_code == 0, result
    region = result["regions"][REGION]
    assert region["stacks"] == []
    assert region["image"]["image_id"] == "" and region["image"]["reason"] == "ParameterNotFound"
    assert region["key_pair_exists"] is False


def test_a_region_not_enabled_is_named_and_not_read(aws, run_module) -> None:
    _queue_identity(aws, ["ap-northeast-1"])

    result = run_module(main, _args())

    assert result.exit_code == 0, result
    assert result["regions_not_enabled"] == [REGION]
    assert result["regions"] == {}


def test_refused_credentials_fail_with_aws_words(aws, run_module) -> None:
    aws("sts").add_client_error("get_caller_identity", "InvalidClientTokenId", "The security token included in the request is invalid.")

    result = run_module(main, _args())

    assert result.exit_code == 1
    assert "security token" in result["msg"]
