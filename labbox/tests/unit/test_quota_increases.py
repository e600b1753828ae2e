"""A quota is raised on the twin as on AWS: a request, reviewed, approved, then the applied value.

RequestServiceQuotaIncrease answers AWS's RequestedQuota record; the request walks PENDING ->
CASE_OPENED -> APPROVED with the delay policy's durations; only then does GetServiceQuota answer
the raised value, for that account and region. What AWS refuses is refused with its codes.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from delay_helpers import short, short_delays_on_a_fake_clock
from labbox_helpers import REGION, client, raise_quota
from shapes import assert_matches_output_shape

VPCS = {"ServiceCode": "vpc", "QuotaCode": "L-F678F1CE"}
EIPS = {"ServiceCode": "ec2", "QuotaCode": "L-0263D0A3"}


def _applied(quota: dict[str, str], region: str = REGION) -> float:
    return client("service-quotas", region).get_service_quota(**quota)["Quota"]["Value"]


def _refusal(error: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return error.value.response["Error"]["Code"], error.value.response["Error"]["Message"]


@pytest.fixture
def clock(aws: None):
    with short_delays_on_a_fake_clock() as clock:
        yield clock


def test_a_request_is_answered_as_aws_records_it(aws: None) -> None:
    answer = client("service-quotas").request_service_quota_increase(**VPCS, DesiredValue=10)

    assert_matches_output_shape("service-quotas", "RequestServiceQuotaIncrease", answer)
    requested = answer["RequestedQuota"]
    described = ("ServiceCode", "QuotaCode", "QuotaName", "DesiredValue", "GlobalQuota", "Unit")
    described += ("QuotaRequestedAtLevel",)
    assert {key: requested[key] for key in described} == {
        "ServiceCode": "vpc", "QuotaCode": "L-F678F1CE", "QuotaName": "VPCs per Region", "DesiredValue": 10.0,
        "GlobalQuota": False, "Unit": "None", "QuotaRequestedAtLevel": "ACCOUNT",
    }
    assert requested["QuotaArn"] == f"arn:aws:servicequotas:{REGION}:123456789012:vpc/L-F678F1CE"
    requester = {"accountId": "123456789012", "callerArn": "arn:aws:iam::123456789012:root"}
    assert json.loads(requested["Requester"]) == requester
    assert len(requested["Id"]) == 40 and requested["CaseId"].isdigit()
    assert requested["Created"] <= requested["LastUpdated"]
    fetched = client("service-quotas").get_requested_service_quota_change(RequestId=requested["Id"])
    assert_matches_output_shape("service-quotas", "GetRequestedServiceQuotaChange", fetched)
    assert fetched["RequestedQuota"] == requested


def test_the_request_is_reviewed_before_the_raised_value_applies(clock) -> None:
    quotas = client("service-quotas")

    requested = quotas.request_service_quota_increase(**EIPS, DesiredValue=20)["RequestedQuota"]

    assert requested["Status"] == "PENDING" and "CaseId" not in requested
    assert _applied(EIPS) == 5.0
    clock.advance(short("quota_increase.submit"))
    opened = quotas.get_requested_service_quota_change(RequestId=requested["Id"])["RequestedQuota"]
    assert opened["Status"] == "CASE_OPENED" and opened["CaseId"]
    assert _applied(EIPS) == 5.0
    clock.advance(short("quota_increase.review"))
    approved = quotas.get_requested_service_quota_change(RequestId=requested["Id"])["RequestedQuota"]
    assert (approved["Status"], approved["CaseId"]) == ("APPROVED", opened["CaseId"])
    assert approved["LastUpdated"] > opened["LastUpdated"] > approved["Created"]
    assert _applied(EIPS) == 20.0
    # The AWS default stays what it was.
    assert quotas.get_aws_default_service_quota(**EIPS)["Quota"]["Value"] == 5.0
    assert {q["QuotaCode"]: q["Value"] for q in quotas.list_aws_default_service_quotas(ServiceCode="ec2")["Quotas"]}[
        "L-0263D0A3"
    ] == 5.0


def test_a_second_open_request_for_the_quota_is_refused_and_the_next_one_waits_for_the_first(clock) -> None:
    quotas = client("service-quotas")
    quotas.request_service_quota_increase(**VPCS, DesiredValue=10)

    with pytest.raises(ClientError) as refused:
        quotas.request_service_quota_increase(**VPCS, DesiredValue=12)

    assert _refusal(refused) == (
        "ResourceAlreadyExistsException", "Only one open service quota increase request is allowed per quota."
    )
    # Another quota is another matter.
    quotas.request_service_quota_increase(**EIPS, DesiredValue=10)
    clock.advance(short("quota_increase.submit") + short("quota_increase.review"))
    assert quotas.request_service_quota_increase(**VPCS, DesiredValue=12)["RequestedQuota"]["Status"] == "PENDING"


@pytest.mark.parametrize("desired", [5, 4, 0])
def test_a_value_not_above_the_applied_one_is_refused(aws: None, desired: float) -> None:
    with pytest.raises(ClientError) as refused:
        client("service-quotas").request_service_quota_increase(**VPCS, DesiredValue=desired)

    assert _refusal(refused) == (
        "IllegalArgumentException", "You must provide a quota value greater than the current quota value"
    )
    assert client("service-quotas").list_requested_service_quota_change_history()["RequestedQuotas"] == []


def test_once_raised_the_raised_value_is_the_one_to_exceed(aws: None) -> None:
    raise_quota("vpc", "L-F678F1CE", 8)

    with pytest.raises(ClientError, match="IllegalArgumentException"):
        client("service-quotas").request_service_quota_increase(**VPCS, DesiredValue=7)
    raise_quota("vpc", "L-F678F1CE", 9)

    assert _applied(VPCS) == 9.0


def test_an_unknown_quota_and_an_unknown_request_are_no_such_resource(aws: None) -> None:
    quotas = client("service-quotas")
    with pytest.raises(ClientError) as unknown_quota:
        quotas.request_service_quota_increase(ServiceCode="ec2", QuotaCode="L-00000000", DesiredValue=10)
    with pytest.raises(ClientError) as unknown_request:
        quotas.get_requested_service_quota_change(RequestId="0123456789abcdef0123456789abcdefAbCdEfGh")

    assert _refusal(unknown_quota)[0] == _refusal(unknown_request)[0] == "NoSuchResourceException"


def test_a_quota_aws_does_not_adjust_is_refused(aws: None) -> None:
    # "Characters per VPC endpoint policy": fixed by AWS.
    with pytest.raises(ClientError) as refused:
        client("service-quotas").request_service_quota_increase(
            ServiceCode="vpc", QuotaCode="L-3248932A", DesiredValue=40960
        )

    assert _refusal(refused)[0] == "IllegalArgumentException"


def test_quotas_are_raised_per_region(aws: None) -> None:
    raise_quota("vpc", "L-F678F1CE", 10)

    assert (_applied(VPCS), _applied(VPCS, "ap-northeast-1")) == (10.0, 5.0)
    elsewhere = client("service-quotas", "ap-northeast-1").list_requested_service_quota_change_history()
    assert elsewhere["RequestedQuotas"] == []


def test_the_history_lists_requests_newest_first_by_quota_and_status_page_by_page(clock) -> None:
    quotas = client("service-quotas")
    first = quotas.request_service_quota_increase(**VPCS, DesiredValue=10)["RequestedQuota"]["Id"]
    eips = quotas.request_service_quota_increase(**EIPS, DesiredValue=10)["RequestedQuota"]["Id"]
    clock.advance(short("quota_increase.submit") + short("quota_increase.review"))
    second = quotas.request_service_quota_increase(**VPCS, DesiredValue=20)["RequestedQuota"]["Id"]

    by_quota = quotas.list_requested_service_quota_change_history_by_quota(**VPCS)
    assert_matches_output_shape("service-quotas", "ListRequestedServiceQuotaChangeHistoryByQuota", by_quota)
    assert [r["Id"] for r in by_quota["RequestedQuotas"]] == [second, first]
    approved = quotas.list_requested_service_quota_change_history_by_quota(**VPCS, Status="APPROVED")
    assert [r["Id"] for r in approved["RequestedQuotas"]] == [first]
    everything = quotas.list_requested_service_quota_change_history()
    assert_matches_output_shape("service-quotas", "ListRequestedServiceQuotaChangeHistory", everything)
    assert [r["Id"] for r in everything["RequestedQuotas"]] == [second, eips, first]
    ec2_only = quotas.list_requested_service_quota_change_history(ServiceCode="ec2")
    assert [r["Id"] for r in ec2_only["RequestedQuotas"]] == [eips]
    page = quotas.list_requested_service_quota_change_history(MaxResults=2)
    rest = quotas.list_requested_service_quota_change_history(MaxResults=2, NextToken=page["NextToken"])
    assert [r["Id"] for r in page["RequestedQuotas"] + rest["RequestedQuotas"]] == [second, eips, first]
    assert "NextToken" not in rest
    with pytest.raises(ClientError, match="InvalidPaginationTokenException"):
        quotas.list_requested_service_quota_change_history(NextToken="not-a-token")
