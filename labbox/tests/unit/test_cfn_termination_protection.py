"""Termination protection as CloudFormation's API reference describes it."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from stack_helpers import stack, template, vpc


def test_a_protected_stack_cannot_be_deleted_until_protection_is_off(cfn) -> None:
    stack_id = cfn.create_stack(StackName="kept", TemplateBody=template({"Vpc": vpc()}), EnableTerminationProtection=True)["StackId"]
    assert stack(cfn, "kept")["EnableTerminationProtection"] is True
    with pytest.raises(ClientError) as refused:
        cfn.delete_stack(StackName="kept")
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert "cannot be deleted while TerminationProtection is enabled" in refused.value.response["Error"]["Message"]
    assert stack(cfn, "kept")["StackStatus"] == "CREATE_COMPLETE"

    answer = cfn.update_termination_protection(StackName="kept", EnableTerminationProtection=False)
    assert answer["StackId"] == stack_id
    assert stack(cfn, "kept")["EnableTerminationProtection"] is False
    cfn.delete_stack(StackName="kept")
    assert cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"


def test_protection_can_be_turned_on_after_create(cfn) -> None:
    cfn.create_stack(StackName="later", TemplateBody=template({"Vpc": vpc()}))
    cfn.update_termination_protection(StackName="later", EnableTerminationProtection=True)
    with pytest.raises(ClientError):
        cfn.delete_stack(StackName="later")
