"""UpdateStack with nothing to change answers "No updates are to be performed." like AWS."""

from __future__ import annotations

import json

import botocore.exceptions
import pytest
from stack_helpers import ref, stack, subnet, template, vpc

PARAMETERS = {"Cidr": {"Type": "String", "Default": "10.60.0.0/16"}, "Name": {"Type": "String", "Default": "IDC-VPC"}}
RESOURCES = {"Vpc": vpc(cidr=ref("Cidr"), Tags=[{"Key": "Name", "Value": ref("Name")}])}
BODY = template(RESOURCES, parameters=PARAMETERS)


def _refused(call) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        call()
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    return refused.value.response["Error"]["Message"]


def test_same_template_and_parameters_is_refused_with_aws_message(cfn):
    params = [{"ParameterKey": "Name", "ParameterValue": "IDC-VPC"}]
    cfn.create_stack(StackName="lab", TemplateBody=BODY, Parameters=params)

    message = _refused(lambda: cfn.update_stack(StackName="lab", TemplateBody=BODY, Parameters=params))

    assert message == "No updates are to be performed."
    assert stack(cfn, "lab")["StackStatus"] == "CREATE_COMPLETE"


def test_no_parameters_and_reformatted_template_is_still_no_update(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=BODY)
    reformatted = json.dumps(json.loads(BODY), indent=4, sort_keys=True)

    assert (
        _refused(lambda: cfn.update_stack(StackName="lab", TemplateBody=reformatted))
        == "No updates are to be performed."
    )


def test_previous_values_and_defaults_count_as_unchanged(cfn):
    cfn.create_stack(
        StackName="lab", TemplateBody=BODY, Parameters=[{"ParameterKey": "Cidr", "ParameterValue": "10.60.0.0/16"}]
    )

    message = _refused(
        lambda: cfn.update_stack(
            StackName="lab", UsePreviousTemplate=True, Parameters=[{"ParameterKey": "Cidr", "UsePreviousValue": True}]
        )
    )
    assert message == "No updates are to be performed."


def test_changed_parameter_is_an_update(cfn, ec2):
    cfn.create_stack(StackName="lab", TemplateBody=BODY)

    cfn.update_stack(
        StackName="lab", TemplateBody=BODY, Parameters=[{"ParameterKey": "Name", "ParameterValue": "renamed"}]
    )

    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"
    tags = {t["Key"]: t["Value"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"] for t in v["Tags"]}
    assert tags["Name"] == "renamed"


def test_changed_template_is_an_update(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=BODY)

    changed = template({**RESOURCES, "Public": subnet("Vpc", "10.60.0.0/24")}, parameters=PARAMETERS)
    cfn.update_stack(StackName="lab", TemplateBody=changed)

    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"


def test_change_sets_run_the_same_stack_operations(cfn, ec2):
    cfn.create_change_set(StackName="lab", ChangeSetName="create", ChangeSetType="CREATE", TemplateBody=BODY)
    cfn.execute_change_set(ChangeSetName="create", StackName="lab")
    assert stack(cfn, "lab")["StackStatus"] == "CREATE_COMPLETE"

    changed = template({**RESOURCES, "Public": subnet("Vpc", "10.60.0.0/24")}, parameters=PARAMETERS)
    cfn.create_change_set(StackName="lab", ChangeSetName="update", ChangeSetType="UPDATE", TemplateBody=changed)
    cfn.execute_change_set(ChangeSetName="update", StackName="lab")

    assert stack(cfn, "lab")["StackStatus"] == "UPDATE_COMPLETE"
    assert [
        s["CidrBlock"]
        for s in ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.60.0.0/24"]}])["Subnets"]
    ] == ["10.60.0.0/24"]


def test_change_set_without_changes_fails_as_aws_reports_it(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=BODY)

    cfn.create_change_set(StackName="lab", ChangeSetName="same", ChangeSetType="UPDATE", TemplateBody=BODY)

    described = cfn.describe_change_set(ChangeSetName="same", StackName="lab")
    assert described["Status"] == "FAILED"
    assert "didn't contain changes" in described["StatusReason"]


def test_change_set_defaults_to_an_update_of_the_existing_stack(cfn):
    """AWS's default ChangeSetType is UPDATE: amazon.aws.cloudformation's check mode relies on it."""
    cfn.create_stack(StackName="lab", TemplateBody=BODY)

    cfn.create_change_set(StackName="lab", ChangeSetName="implicit", TemplateBody=BODY)

    described = cfn.describe_change_set(ChangeSetName="implicit", StackName="lab")
    assert described["Status"] == "FAILED" and "didn't contain changes" in described["StatusReason"]
    assert [s["StackName"] for s in cfn.describe_stacks()["Stacks"]] == ["lab"]


def test_change_set_with_reformatted_template_and_tags_is_still_no_change(cfn):
    tags = [{"Key": "hybridlab:lab", "Value": "lab"}]
    cfn.create_stack(StackName="lab", TemplateBody=BODY, Tags=tags)

    cfn.create_change_set(StackName="lab", ChangeSetName="same", TemplateBody=json.dumps(json.loads(BODY), indent=4), Tags=tags)

    assert cfn.describe_change_set(ChangeSetName="same", StackName="lab")["Status"] == "FAILED"


def test_create_change_set_for_an_existing_stack_is_refused(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=BODY)

    message = _refused(
        lambda: cfn.create_change_set(StackName="lab", ChangeSetName="again", ChangeSetType="CREATE", TemplateBody=BODY)
    )

    assert "already exists" in message
