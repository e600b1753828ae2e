"""Service Quotas increase requests, reviewed and approved as AWS does, raising the applied value.

moto 5 has no RequestServiceQuotaIncrease, GetRequestedServiceQuotaChange or
ListRequestedServiceQuotaChangeHistory(ByQuota): on the twin no quota could be raised, so a
class of several labs on one twin (more VPCs in a region than a default account may hold) had
no way to do what an instructor does on AWS. Here a request is a record in the Service Quotas
backend of its account and region, answered in AWS's ``RequestedQuota`` shape:

* AWS reviews a request: it is ``PENDING``, then ``CASE_OPENED`` (with a ``CaseId``), then
  ``APPROVED``. The twin walks the same states with the active delay policy's durations
  (``quota_increase.submit`` and ``.review``: at once under ``none``, seconds under ``short``,
  about half an hour under ``aws``), computed when read, like every walk of the twin's. It
  approves every request; AWS may deny one, or take days over a large one.
* Once ``APPROVED``, the desired value is the quota's applied value in that account and region:
  GetServiceQuota answers it (``service_quotas``) and the limits of ``quota_limits`` use it.
* Refused as AWS refuses: an unknown quota (``NoSuchResourceException``), a second open request
  for the same quota ("Only one open service quota increase request is allowed per quota.",
  ``ResourceAlreadyExistsException``), a value not above the applied one ("You must provide a
  quota value greater than the current quota value", ``IllegalArgumentException``), a quota
  AWS does not let anyone adjust (``IllegalArgumentException``, the twin's wording).
"""

from __future__ import annotations

import json
import string
import threading
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.moto_api._internal import mock_random
from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.responses import ServiceQuotasResponse

from labbox.cloud import lifecycle, patching

PENDING, CASE_OPENED, APPROVED = "PENDING", "CASE_OPENED", "APPROVED"
# States in which AWS still counts a request as open (another one for the quota is refused).
_OPEN = frozenset({PENDING, CASE_OPENED})
_REQUESTS_ATTRIBUTE = "labbox_quota_requests"
_ID_SUFFIX_ALPHABET = string.ascii_letters + string.digits
# Checking for an open request and recording a new one happen together: two requests for the same
# quota arriving at once at the threaded server must not both open.
_lock = threading.RLock()


class IllegalArgument(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("IllegalArgumentException", message)


class ResourceAlreadyExists(JsonRESTError):
    def __init__(self) -> None:
        super().__init__(
            "ResourceAlreadyExistsException", "Only one open service quota increase request is allowed per quota."
        )


class NoSuchRequest(JsonRESTError):
    def __init__(self, request_id: str) -> None:
        super().__init__("NoSuchResourceException", f"The request {request_id} does not exist.")


class InvalidPaginationToken(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidPaginationTokenException", "Invalid pagination token.")


class QuotaIncreaseRequest:
    """One request for one quota of one account and region; its status walks with time."""

    def __init__(self, backend: ServiceQuotasBackend, quota: dict[str, Any], desired_value: float) -> None:
        # AWS's ids: 32 hexadecimal digits and 8 letters or digits; case ids: 10 digits. moto's
        # random source, so that seeding moto (POST /moto-api/seed) makes them repeatable too.
        self.id = mock_random.get_random_hex(32) + "".join(mock_random.choice(_ID_SUFFIX_ALPHABET) for _ in range(8))
        self.case_id = str(mock_random.randint(10**9, 10**10 - 1))
        self.quota = quota
        self.desired_value = float(desired_value)
        self.requester = json.dumps(
            {"accountId": backend.account_id, "callerArn": f"arn:aws:iam::{backend.account_id}:root"},
            separators=(",", ":"),
        )
        self.walk = lifecycle.start(
            self, (PENDING, "quota_increase.submit"), (CASE_OPENED, "quota_increase.review"), APPROVED
        )

    @property
    def status(self) -> str:
        return self.walk.state_at(lifecycle.now())

    def describe(self) -> dict[str, Any]:
        status = self.status
        answer: dict[str, Any] = {
            "Id": self.id,
            "ServiceCode": self.quota["ServiceCode"],
            "ServiceName": self.quota["ServiceName"],
            "QuotaCode": self.quota["QuotaCode"],
            "QuotaName": self.quota["QuotaName"],
            "DesiredValue": self.desired_value,
            "Status": status,
            "Created": self.walk.steps[0][1],
            "LastUpdated": self.walk.entered(status),
            "Requester": self.requester,
            "QuotaArn": self.quota["QuotaArn"],
            "GlobalQuota": self.quota["GlobalQuota"],
            "Unit": self.quota["Unit"],
            "QuotaRequestedAtLevel": "ACCOUNT",
        }
        if status != PENDING:
            # AWS names the support case once it is opened.
            answer["CaseId"] = self.case_id
        return answer


def _codes(request: QuotaIncreaseRequest) -> tuple[str, str]:
    return request.quota["ServiceCode"], request.quota["QuotaCode"]


def requests_of(backend: ServiceQuotasBackend) -> dict[str, QuotaIncreaseRequest]:
    """The requests made in one account and region, oldest first (gone with moto's reset)."""
    return backend.__dict__.setdefault(_REQUESTS_ATTRIBUTE, {})


def approved_value(backend: ServiceQuotasBackend, service_code: str, quota_code: str) -> float | None:
    """The quota's value as last raised by an approved request here; None if never raised."""
    values = [
        request.desired_value
        for request in requests_of(backend).values()
        if _codes(request) == (service_code, quota_code) and request.status == APPROVED
    ]
    return max(values) if values else None


def request_increase(
    backend: ServiceQuotasBackend, service_code: str, quota_code: str, desired_value: float
) -> QuotaIncreaseRequest:
    """Open a request for ``desired_value``, or refuse it as Service Quotas does."""
    quota = backend.get_service_quota(service_code, quota_code)  # NoSuchResourceException if unknown
    if not quota.get("Adjustable", False):
        raise IllegalArgument(f"The quota {quota_code} of {service_code} is not adjustable.")
    with _lock:
        if any(
            _codes(request) == (service_code, quota_code) and request.status in _OPEN
            for request in requests_of(backend).values()
        ):
            raise ResourceAlreadyExists()
        # The applied value: AWS's default, or what the last approved request raised it to.
        if float(desired_value) <= float(quota["Value"]):
            raise IllegalArgument("You must provide a quota value greater than the current quota value")
        request = QuotaIncreaseRequest(backend, quota, desired_value)
        requests_of(backend)[request.id] = request
        return request


def _page(params: dict[str, Any], requests: list[QuotaIncreaseRequest]) -> dict[str, Any]:
    """One page of the history, newest first, with AWS's NextToken and MaxResults."""
    status = params.get("Status")
    listed = [request for request in reversed(requests) if status is None or request.status == status]
    token = params.get("NextToken")
    try:
        start = int(token) if token else 0
    except ValueError as error:
        raise InvalidPaginationToken() from error
    if not 0 <= start <= len(listed):
        raise InvalidPaginationToken()
    size = int(params.get("MaxResults") or 100)
    answer: dict[str, Any] = {"RequestedQuotas": [request.describe() for request in listed[start : start + size]]}
    if start + size < len(listed):
        answer["NextToken"] = str(start + size)
    return answer


def _request_service_quota_increase(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    request = request_increase(
        self.backend, str(params.get("ServiceCode")), str(params.get("QuotaCode")), float(params["DesiredValue"])
    )
    return json.dumps({"RequestedQuota": request.describe()})


def _get_requested_service_quota_change(self: ServiceQuotasResponse) -> str:
    request_id = str(json.loads(self.body).get("RequestId"))
    request = requests_of(self.backend).get(request_id)
    if request is None:
        raise NoSuchRequest(request_id)
    return json.dumps({"RequestedQuota": request.describe()})


def _list_requested_service_quota_change_history(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    service_code = params.get("ServiceCode")
    requests = [r for r in requests_of(self.backend).values() if service_code in (None, r.quota["ServiceCode"])]
    return json.dumps(_page(params, requests))


def _list_requested_service_quota_change_history_by_quota(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    wanted = (params.get("ServiceCode"), params.get("QuotaCode"))
    requests = [r for r in requests_of(self.backend).values() if _codes(r) == wanted]
    return json.dumps(_page(params, requests))


def install() -> None:
    patching.override(ServiceQuotasResponse, "request_service_quota_increase", _request_service_quota_increase)
    patching.override(ServiceQuotasResponse, "get_requested_service_quota_change", _get_requested_service_quota_change)
    patching.override(
        ServiceQuotasResponse,
        "list_requested_service_quota_change_history",
        _list_requested_service_quota_change_history,
    )
    patching.override(
        ServiceQuotasResponse,
        "list_requested_service_quota_change_history_by_quota",
        _list_requested_service_quota_change_history_by_quota,
    )
