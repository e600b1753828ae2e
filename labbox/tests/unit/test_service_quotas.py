"""Service Quotas on the twin answers the lab's quotas as AWS does for an account never raised."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labbox_helpers import REGION, client
from shapes import assert_matches_output_shape

LAB_QUOTAS = [
    ("vpc", "L-F678F1CE", "VPCs per Region"),
    ("ec2", "L-0263D0A3", "EC2-VPC Elastic IPs"),
    ("ec2", "L-7029FAB6", "Virtual private gateways per region"),
    ("ec2", "L-A2478D36", "Transit gateways per account"),
]


@pytest.mark.parametrize(("service", "code", "name"), LAB_QUOTAS)
def test_each_quota_the_lab_reads_is_answered_at_aws_default(aws: None, service: str, code: str, name: str) -> None:
    quotas = client("service-quotas")

    answer = quotas.get_service_quota(ServiceCode=service, QuotaCode=code)

    assert_matches_output_shape("service-quotas", "GetServiceQuota", answer)
    assert (answer["Quota"]["QuotaName"], answer["Quota"]["Value"]) == (name, 5.0)
    assert answer["Quota"]["QuotaArn"] == f"arn:aws:servicequotas:{REGION}:123456789012:{service}/{code}"


@pytest.mark.parametrize(("service", "code", "name"), LAB_QUOTAS)
def test_the_aws_default_is_answered_too(aws: None, service: str, code: str, name: str) -> None:
    answer = client("service-quotas", "ap-northeast-1").get_aws_default_service_quota(ServiceCode=service, QuotaCode=code)

    assert_matches_output_shape("service-quotas", "GetAWSDefaultServiceQuota", answer)
    assert answer["Quota"]["Value"] == 5.0
    assert ":ap-northeast-1:" in answer["Quota"]["QuotaArn"]


def test_ec2_defaults_are_listed(aws: None) -> None:
    listed = client("service-quotas").list_aws_default_service_quotas(ServiceCode="ec2")

    assert_matches_output_shape("service-quotas", "ListAWSDefaultServiceQuotas", listed)
    assert {"L-0263D0A3", "L-7029FAB6", "L-A2478D36"} <= {quota["QuotaCode"] for quota in listed["Quotas"]}


def test_an_unknown_quota_code_is_no_such_resource(aws: None) -> None:
    with pytest.raises(ClientError) as error:
        client("service-quotas").get_service_quota(ServiceCode="ec2", QuotaCode="L-00000000")

    assert error.value.response["Error"]["Code"] == "NoSuchResourceException"
