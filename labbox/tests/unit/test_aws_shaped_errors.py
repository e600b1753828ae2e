"""Calls the twin cannot serve answer AWS-shaped errors naming the call, never an HTML page."""

from __future__ import annotations

import json

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError
from flask import Flask

from labbox.cloud import aws_shaped_errors

NO_RETRIES = botocore.config.Config(retries={"max_attempts": 1})


def _aws(endpoint: str, service: str):
    return boto3.client(service, endpoint_url=endpoint, region_name="ap-northeast-2",
                        aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRIES)


@pytest.mark.parametrize(
    ("service", "call", "named"),
    [
        ("ec2", lambda c: c.describe_ipam_pools(), "ec2:DescribeIpamPools"),  # EC2's XML
        ("cloudformation", lambda c: c.list_stack_refactors(), "cloudformation:ListStackRefactors"),  # query XML
        ("service-quotas", lambda c: c.list_services(), "servicequotas:ListServices"),  # JSON
    ],
)
def test_an_unsupported_call_is_named_in_the_services_own_error_shape(labbox_server, service, call, named) -> None:
    with pytest.raises(ClientError) as refused:
        call(_aws(labbox_server["endpoint"], service))
    error = refused.value.response["Error"]
    assert error["Code"] == "UnsupportedOperation"
    assert error["Message"] == f"The offline twin does not support {named}"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_failure_inside_the_twin_is_an_internal_error_without_python_text() -> None:
    app = Flask("probe")
    handle = aws_shaped_errors._handler("ssm")
    with app.test_request_context("/", method="POST", headers={"X-Amz-Target": "AmazonSSM.GetParameter"}):
        answer = handle(KeyError("tgw-rtb-0123"))
    body = json.loads(answer.get_data())
    assert answer.status_code == 500 and body["__type"] == "InternalError"
    assert body["message"].startswith("The offline twin failed to serve ssm:GetParameter")
    assert "KeyError" not in body["message"] and "tgw-rtb" not in body["message"]
    with app.test_request_context("/", method="POST", data={"Action": "DescribeVpcs"}):
        xml = handle(RuntimeError("boom")).get_data(as_text=True)
    assert "<Code>InternalError</Code>" in xml and "ssm:DescribeVpcs" in xml and "boom" not in xml
