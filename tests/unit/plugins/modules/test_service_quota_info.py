"""hybridlab.aws.service_quota_info against stubbed Service Quotas: applied, AWS default, documented fallback."""

from __future__ import annotations

from typing import Any

from ansible_collections.hybridlab.aws.plugins.modules.service_quota_info import main

VPCS = {"service_code": "vpc", "quota_code": "L-F678F1CE", "default": 5, "name": "VPCs per Region"}
EIPS = {"service_code": "ec2", "quota_code": "L-0263D0A3", "default": 5, "name": "EC2-VPC Elastic IPs"}


def quota(service: str, code: str, name: str, value: float) -> dict[str, Any]:
    return {
        "ServiceCode": service,
        "QuotaCode": code,
        "QuotaName": name,
        "QuotaArn": f"arn:aws:servicequotas:ap-northeast-2:123456789012:{service}/{code}",
        "Value": value,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    }


def _params(entry: dict[str, Any]) -> dict[str, str]:
    return {"ServiceCode": entry["service_code"], "QuotaCode": entry["quota_code"]}


def test_the_value_applied_to_the_account_wins(aws, run_module) -> None:
    aws("service-quotas").add_response(
        "get_service_quota", {"Quota": quota("vpc", "L-F678F1CE", "VPCs per Region", 20.0)}, _params(VPCS)
    )

    result = run_module(main, {"quotas": [VPCS]})

    assert result.exit_code == 0, result
    assert result["changed"] is False
    assert result["quotas"] == [
        {
            "service_code": "vpc",
            "quota_code": "L-F678F1CE",
            "quota_name": "VPCs per Region",
            "value": 20.0,
            "source": "applied",
            "reason": "",
        }
    ]


def test_without_an_applied_value_the_aws_default_is_read(aws, run_module) -> None:
    aws("service-quotas").add_client_error("get_service_quota", "NoSuchResourceException", "no applied value")
    aws("service-quotas").add_response(
        "get_aws_default_service_quota", {"Quota": quota("ec2", "L-0263D0A3", "EC2-VPC Elastic IPs", 5.0)}, _params(EIPS)
    )

    result = run_module(main, {"quotas": [EIPS]})

    assert result["quotas"][0]["source"] == "aws_default"
    assert result["quotas"][0]["value"] == 5.0


def test_access_denied_falls_back_to_the_documented_default_and_says_why(aws, run_module) -> None:
    aws("service-quotas").add_client_error(
        "get_service_quota", "AccessDeniedException", "not authorized to perform servicequotas:GetServiceQuota"
    )
    aws("service-quotas").add_response(
        "get_service_quota", {"Quota": quota("ec2", "L-0263D0A3", "EC2-VPC Elastic IPs", 10.0)}, _params(EIPS)
    )

    result = run_module(main, {"quotas": [dict(VPCS, default=5), EIPS]})

    assert result.exit_code == 0, result
    first, second = result["quotas"]
    assert (first["value"], first["source"], first["quota_name"]) == (5.0, "documented_default", "VPCs per Region")
    assert first["reason"].startswith("AccessDeniedException: not authorized")
    assert (second["value"], second["source"]) == (10.0, "applied")


def test_a_quota_the_service_does_not_know_falls_back_too(aws, run_module) -> None:
    aws("service-quotas").add_client_error("get_service_quota", "NoSuchResourceException", "unknown")
    aws("service-quotas").add_client_error("get_aws_default_service_quota", "NoSuchResourceException", "unknown")

    result = run_module(main, {"quotas": [EIPS]})

    assert result["quotas"][0]["source"] == "documented_default"
    assert result["quotas"][0]["reason"] == "NoSuchResourceException: unknown"


def test_any_other_error_fails_the_module(aws, run_module) -> None:
    aws("service-quotas").add_client_error("get_service_quota", "ValidationException", "bad quota code")

    result = run_module(main, {"quotas": [EIPS]})

    assert result.exit_code == 1
    assert "Could not read the service quotas" in result["msg"]
