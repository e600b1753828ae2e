"""Service Quotas answers for the EC2 quotas a lab is limited by, at AWS's default values.

moto 5.2 knows the `vpc` service's quotas only: asked for `ec2` ones (Elastic IPs, virtual
private gateways, transit gateways, VPN connections) it says the service does not exist, and
it has no GetAWSDefaultServiceQuota at all. AWS answers both for every account, with the
defaults below until a quota is raised. Every answer's ARN names the region and account asked
(moto's VPC quotas carry one fixed region and no account).

GetServiceQuota answers the *applied* value: AWS's default until an increase of that quota,
for that account and region, is approved (``quota_increases``); the AWS default stays what
GetAWSDefaultServiceQuota and ListAWSDefaultServiceQuotas answer. The limits the twin enforces
(``quota_limits``) read the applied value from here, so a raised quota counts there too.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.responses import ServiceQuotasResponse

from labbox.cloud import patching, quota_increases

_EC2 = "Amazon Elastic Compute Cloud (Amazon EC2)"

# AWS's default values (Service Quotas console, "AWS default quota value"; the EC2, Site-to-Site
# VPN and Transit Gateway user guides' quota pages).
EC2_DEFAULT_QUOTAS: tuple[dict[str, Any], ...] = tuple(
    {
        "ServiceCode": "ec2",
        "ServiceName": _EC2,
        "QuotaCode": code,
        "QuotaName": name,
        "Value": value,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    }
    for code, name, value in (
        ("L-0263D0A3", "EC2-VPC Elastic IPs", 5.0),
        ("L-7029FAB6", "Virtual private gateways per region", 5.0),
        ("L-A2478D36", "Transit gateways per account", 5.0),
        ("L-3E6EC3A3", "VPN connections per region", 50.0),
        ("L-4FB7FF5D", "Customer gateways per region", 50.0),
    )
)


def _with_arn(quota: dict[str, Any], backend: ServiceQuotasBackend) -> dict[str, Any]:
    answer = copy.deepcopy(quota)
    answer["QuotaArn"] = (
        f"arn:aws:servicequotas:{backend.region_name}:{backend.account_id}:{quota['ServiceCode']}/{quota['QuotaCode']}"
    )
    return answer


def _list_aws_default_service_quotas(self: ServiceQuotasBackend, service_code: str) -> list[dict[str, Any]]:
    if service_code == "ec2":
        return [_with_arn(quota, self) for quota in EC2_DEFAULT_QUOTAS]
    quotas = patching.original(ServiceQuotasBackend, "list_aws_default_service_quotas", self)(service_code)
    return [_with_arn(quota, self) for quota in quotas]


def default_quota(backend: ServiceQuotasBackend, service_code: str, quota_code: str) -> dict[str, Any]:
    """AWS's default of one quota, with the backend's region and account in its ARN."""
    for quota in backend.list_aws_default_service_quotas(service_code):
        if quota["QuotaCode"] == quota_code:
            return quota
    raise NoSuchResource


def _get_service_quota(self: ServiceQuotasBackend, service_code: str, quota_code: str) -> dict[str, Any]:
    """The applied value: AWS's default, or the value of the last increase approved here."""
    quota = default_quota(self, service_code, quota_code)
    raised = quota_increases.approved_value(self, service_code, quota_code)
    if raised is not None and raised > quota["Value"]:
        quota["Value"] = raised
    return quota


def _get_aws_default_service_quota_response(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    quota = default_quota(self.backend, str(params.get("ServiceCode")), str(params.get("QuotaCode")))
    return json.dumps({"Quota": quota})


def install() -> None:
    patching.override(ServiceQuotasBackend, "list_aws_default_service_quotas", _list_aws_default_service_quotas)
    patching.override(ServiceQuotasBackend, "get_service_quota", _get_service_quota)
    patching.override(ServiceQuotasResponse, "get_aws_default_service_quota", _get_aws_default_service_quota_response)
