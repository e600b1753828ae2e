# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read a service quota's value the way AWS accounts allow: applied, AWS default, or documented.

A caller that may not read Service Quotas (a least-privilege lab user) still deserves an
answer: AWS's documented default, with the reason it was used.
"""

from __future__ import annotations

try:
    import botocore
except ImportError:
    pass  # the calling module reports the missing dependency

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Errors after which the documented default is the honest answer: the caller may not read the
# quota, or the service knows no such quota here. Anything else is raised.
FALLBACK_ERRORS = ("AccessDeniedException", "NoSuchResourceException", "ServiceException", "TooManyRequestsException")


@AWSRetry.jittered_backoff()
def _applied_quota(client, **params):
    return client.get_service_quota(**params)["Quota"]


@AWSRetry.jittered_backoff()
def _default_quota(client, **params):
    return client.get_aws_default_service_quota(**params)["Quota"]


def _reason(error):
    if isinstance(error, botocore.exceptions.ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'error')}: {details.get('Message', '')}".strip()
    return f"{type(error).__name__}: {error}"


def read_quota(client, quota):
    """The quota's value and where it came from.

    ``quota``: ``service_code``, ``quota_code``, ``default`` (AWS's documented value) and
    optionally ``name``. Returns ``service_code``, ``quota_code``, ``quota_name``, ``value``,
    ``source`` (``applied``, ``aws_default`` or ``documented_default``) and ``reason``.
    """
    answer = {
        "service_code": quota["service_code"],
        "quota_code": quota["quota_code"],
        "quota_name": quota.get("name") or quota["quota_code"],
        "value": float(quota["default"]),
        "source": "documented_default",
        "reason": "",
    }
    params = {"ServiceCode": quota["service_code"], "QuotaCode": quota["quota_code"]}
    try:
        try:
            found, source = _applied_quota(client, **params), "applied"
        except is_boto3_error_code("NoSuchResourceException"):
            # No value applied to the account for this quota: AWS's default holds.
            found, source = _default_quota(client, **params), "aws_default"
    except is_boto3_error_code(FALLBACK_ERRORS) as error:  # pylint: disable=duplicate-except
        answer["reason"] = _reason(error)
        return answer
    except botocore.exceptions.EndpointConnectionError as error:
        answer["reason"] = _reason(error)
        return answer
    answer.update(value=float(found["Value"]), source=source, quota_name=found.get("QuotaName") or answer["quota_name"])
    return answer
