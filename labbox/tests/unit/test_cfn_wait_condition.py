"""Wait conditions as CloudFormation's user guide ("Create wait conditions in a template") describes.

The stack waits in ``CREATE_IN_PROGRESS`` for ``Count`` success signals PUT to the handle's
URL; a FAILURE signal or ``Timeout`` fails the wait condition and rolls the stack back.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import Any

import boto3
import pytest

from labbox.cloud import api_routes
from stack_helpers import events, get_att, lab_vpcs, outputs, ref, resource_events, stack, template, vpc

_SETTLED = ("CREATE_COMPLETE", "CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_COMPLETE")


def _waiting_template(timeout: str = "30", count: int | None = None) -> str:
    condition: dict[str, Any] = {"Handle": ref("Handle"), "Timeout": timeout}
    if count is not None:
        condition["Count"] = count
    return template(
        {
            "Before": vpc("10.60.0.0/16"),
            "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
            "Ready": {"Type": "AWS::CloudFormation::WaitCondition", "DependsOn": "Before", "Properties": condition},
            "After": {**vpc("10.50.0.0/16"), "DependsOn": "Ready"},
        },
        outputs={"Url": ref("Handle"), "Data": get_att("Ready", "Data")},
    )


def _handle_url(cfn: Any, name: str) -> str:
    """The handle's URL (its physical id) once the stack has created it."""
    for _ in range(100):
        summaries = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
        url = next((s.get("PhysicalResourceId") for s in summaries if s["LogicalResourceId"] == "Handle"), None)
        if url:
            return url
        time.sleep(0.05)
    raise AssertionError(f"{name} never created its wait condition handle")


def _signal(url: str, **body: str) -> tuple[int, dict[str, Any]]:
    """PUT a signal to the handle, as cfn-signal or curl would (in-process: through the route)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    handler = api_routes.lookup("PUT", path)
    assert handler is not None, path
    return handler(body)


def _settled(cfn: Any, name: str, limit: float = 10.0) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if status in _SETTLED:
            return status
        time.sleep(0.05)
    raise AssertionError(f"{name} still {status} after {limit} s")


def _ready_events(cfn: Any, name: str) -> list[tuple[str, str]]:
    return resource_events(cfn, name, "Ready")


def test_the_stack_waits_for_the_signal_and_what_depends_on_it_waits_too(cfn, ec2) -> None:
    cfn.create_stack(StackName="waits", TemplateBody=_waiting_template())
    url = _handle_url(cfn, "waits")
    assert "/labbox-api/cloudformation-waitcondition/" in url
    time.sleep(0.3)
    assert stack(cfn, "waits")["StackStatus"] == "CREATE_IN_PROGRESS"
    assert _ready_events(cfn, "waits") == [("CREATE_IN_PROGRESS", "")]
    assert len(lab_vpcs(ec2)) == 1  # "After" is not created before the signal

    answer = _signal(url, Status="SUCCESS", UniqueId="cgw", Data="libreswan configured", Reason="done")
    assert answer == (200, {"ok": True})

    assert _settled(cfn, "waits") == "CREATE_COMPLETE"
    assert _ready_events(cfn, "waits")[-1][0] == "CREATE_COMPLETE"
    assert len(lab_vpcs(ec2)) == 2
    assert json.loads(outputs(cfn, "waits")["Data"]) == {"cgw": "libreswan configured"}
    assert outputs(cfn, "waits")["Url"] == url


def test_count_needs_that_many_unique_ids_and_a_repeated_id_counts_once(cfn) -> None:
    cfn.create_stack(StackName="counts", TemplateBody=_waiting_template(count=2))
    url = _handle_url(cfn, "counts")
    _signal(url, Status="SUCCESS", UniqueId="one", Data="first")
    _signal(url, Status="SUCCESS", UniqueId="one", Data="again")
    time.sleep(0.3)
    assert stack(cfn, "counts")["StackStatus"] == "CREATE_IN_PROGRESS"

    _signal(url, Status="SUCCESS", UniqueId="two", Data="second")
    assert _settled(cfn, "counts") == "CREATE_COMPLETE"
    assert json.loads(outputs(cfn, "counts")["Data"]) == {"one": "again", "two": "second"}


def test_no_signal_before_the_timeout_fails_it_and_rolls_the_stack_back(cfn, ec2) -> None:
    started = time.monotonic()
    cfn.create_stack(StackName="silent", TemplateBody=_waiting_template(timeout="1"))
    assert _settled(cfn, "silent") == "ROLLBACK_COMPLETE"
    assert time.monotonic() - started >= 1.0
    assert ("CREATE_FAILED", "WaitCondition timed out. Received 0 conditions when expecting 1") in _ready_events(
        cfn, "silent"
    )
    reason = stack(cfn, "silent")["StackStatusReason"]
    assert reason.startswith("The following resource(s) failed to create: [Ready].")
    assert lab_vpcs(ec2) == []  # "Before" was deleted again, "After" never made


def test_a_failure_signal_fails_it_at_once_with_its_reason(cfn, ec2) -> None:
    cfn.create_stack(StackName="broken", TemplateBody=_waiting_template(timeout="600"))
    url = _handle_url(cfn, "broken")
    _signal(url, Status="FAILURE", UniqueId="cgw", Reason="ipsec did not start")
    assert _settled(cfn, "broken") == "ROLLBACK_COMPLETE"
    assert (
        "CREATE_FAILED",
        "WaitCondition received failed message: 'ipsec did not start' for uniqueId: cgw",
    ) in _ready_events(cfn, "broken")
    assert lab_vpcs(ec2) == []
    # The handle went with its stack: a late signal finds nothing.
    status, answer = _signal(url, Status="SUCCESS", UniqueId="late")
    assert status == 404 and "stack is gone" in answer["message"]


@pytest.mark.parametrize(
    ("timeout", "words"),
    [
        (None, "Timeout of Ready is required"),
        ("43201", "Timeout of Ready must be a whole number from 1 to 43200, not '43201'"),
        ("soon", "Timeout of Ready must be a whole number from 1 to 43200, not 'soon'"),
    ],
)
def test_a_timeout_aws_would_not_take_fails_the_wait_condition_with_the_rule(cfn, timeout, words) -> None:
    properties: dict[str, Any] = {"Handle": ref("Handle")}
    if timeout is not None:
        properties["Timeout"] = timeout
    body = template(
        {
            "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
            "Ready": {"Type": "AWS::CloudFormation::WaitCondition", "Properties": properties},
        }
    )
    cfn.create_stack(StackName="badtimeout", TemplateBody=body)
    assert _settled(cfn, "badtimeout") == "ROLLBACK_COMPLETE"
    reasons = [reason for status, reason in _ready_events(cfn, "badtimeout") if status == "CREATE_FAILED"]
    assert len(reasons) == 1 and words in reasons[0]


def test_signals_aws_would_not_count_are_answered_with_the_rule(cfn) -> None:
    stack_id = cfn.create_stack(StackName="rules", TemplateBody=_waiting_template())["StackId"]
    url = _handle_url(cfn, "rules")
    assert _signal(url, Status="DONE", UniqueId="x")[0] == 400
    assert "Status must be SUCCESS or FAILURE" in _signal(url, Status="DONE", UniqueId="x")[1]["message"]
    assert "UniqueId must be a non-empty string" in _signal(url, Status="SUCCESS")[1]["message"]
    assert stack(cfn, "rules")["StackStatus"] == "CREATE_IN_PROGRESS"
    cfn.delete_stack(StackName="rules")
    assert _settled(cfn, stack_id) == "DELETE_COMPLETE"


def test_deleting_the_stack_while_it_waits_ends_the_wait(cfn, ec2) -> None:
    stack_id = cfn.create_stack(StackName="abandoned", TemplateBody=_waiting_template(timeout="600"))["StackId"]
    _handle_url(cfn, "abandoned")
    cfn.delete_stack(StackName="abandoned")
    assert _settled(cfn, stack_id) == "DELETE_COMPLETE"
    time.sleep(0.3)  # the creation thread has seen the deletion and made nothing more
    assert lab_vpcs(ec2) == []
    assert [e["ResourceStatus"] for e in events(cfn, stack_id) if e["LogicalResourceId"] == "After"] == []


def test_the_handle_url_takes_a_signal_over_http_as_on_aws(labbox_server) -> None:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    cfn = session.client("cloudformation", region_name="ap-northeast-2", endpoint_url=labbox_server["endpoint"])
    stack_id = cfn.create_stack(StackName="over-http", TemplateBody=_waiting_template())["StackId"]
    url = _handle_url(cfn, "over-http")
    assert url.startswith(labbox_server["endpoint"] + "/labbox-api/cloudformation-waitcondition/")
    payload = json.dumps({"Status": "SUCCESS", "UniqueId": "curl", "Data": "sent with PUT"}).encode()
    # What AWS's guide shows: curl -T signal.json "<handle url>" (an empty Content-Type).
    request = urllib.request.Request(url, data=payload, method="PUT", headers={"Content-Type": ""})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    assert _settled(cfn, "over-http") == "CREATE_COMPLETE"
    assert json.loads(outputs(cfn, "over-http")["Data"]) == {"curl": "sent with PUT"}
    cfn.delete_stack(StackName="over-http")
    assert _settled(cfn, stack_id) == "DELETE_COMPLETE"


def test_a_wait_condition_added_by_an_update_is_refused_with_a_sentence(cfn) -> None:
    cfn.create_stack(StackName="grows", TemplateBody=template({"Before": vpc("10.60.0.0/16")}))
    assert stack(cfn, "grows")["StackStatus"] == "CREATE_COMPLETE"
    cfn.update_stack(StackName="grows", TemplateBody=_waiting_template())
    assert stack(cfn, "grows")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    reasons = [reason for status, reason in _ready_events(cfn, "grows") if status == "CREATE_FAILED"]
    assert reasons == [
        "The offline twin cannot wait for Ready in a stack update (its updates finish in their request); "
        "create the wait condition with the stack."
    ]
