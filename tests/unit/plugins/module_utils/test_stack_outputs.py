"""Resolving a value from a CloudFormation stack output, and the errors that name what is missing."""

from __future__ import annotations

import pytest

from ansible_collections.hybridlab.aws.plugins.module_utils.stack_outputs import StackOutputError
from ansible_collections.hybridlab.aws.plugins.module_utils.stack_outputs import describe_stack
from ansible_collections.hybridlab.aws.plugins.module_utils.stack_outputs import stack_output
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import VPN_ID
from ansible_collections.hybridlab.aws.tests.unit.plugins.aws_responses import describe_stacks_response

STACK = "hybridlab-vpn"


def _queue_stack(aws, outputs: dict[str, str], status: str = "CREATE_COMPLETE") -> None:
    aws("cloudformation").add_response("describe_stacks", describe_stacks_response(STACK, outputs, status), {"StackName": STACK})


def test_stack_output_returns_the_value(aws) -> None:
    _queue_stack(aws, {"VpnGatewayId": "vgw-0123456789abcdef0", "VpnConnectionId": VPN_ID})

    assert stack_output(aws.client("cloudformation"), STACK, "VpnConnectionId") == VPN_ID


def test_missing_output_error_names_the_stack_the_output_and_the_outputs_it_has(aws) -> None:
    _queue_stack(aws, {"VpnGatewayId": "vgw-0123456789abcdef0", "CustomerGatewayId": "cgw-0a1b2c3d4e5f60718"})

    with pytest.raises(StackOutputError) as raised:
        stack_output(aws.client("cloudformation"), STACK, "VpnConnectionId")

    assert str(raised.value) == (
        f"CloudFormation stack {STACK} (status CREATE_COMPLETE) has no output VpnConnectionId; "
        "its outputs are: CustomerGatewayId, VpnGatewayId"
    )


def test_a_stack_still_being_created_says_so_and_has_no_outputs(aws) -> None:
    _queue_stack(aws, {}, status="CREATE_IN_PROGRESS")

    with pytest.raises(StackOutputError, match=r"\(status CREATE_IN_PROGRESS\) has no output VpnConnectionId; its outputs are: none"):
        stack_output(aws.client("cloudformation"), STACK, "VpnConnectionId")


def test_missing_stack_error_names_the_stack(aws) -> None:
    aws("cloudformation").add_client_error(
        "describe_stacks", service_error_code="ValidationError", service_message=f"Stack with id {STACK} does not exist"
    )

    with pytest.raises(StackOutputError, match=f"^CloudFormation stack {STACK} does not exist$"):
        stack_output(aws.client("cloudformation"), STACK, "VpnConnectionId")


def test_describe_stack_of_a_missing_stack_is_none(aws) -> None:
    aws("cloudformation").add_client_error(
        "describe_stacks", service_error_code="ValidationError", service_message=f"Stack with id {STACK} does not exist"
    )

    assert describe_stack(aws.client("cloudformation"), STACK) is None


def test_other_validation_errors_are_failures_not_a_missing_stack(aws) -> None:
    aws("cloudformation").add_client_error("describe_stacks", service_error_code="ValidationError", service_message="1 validation error detected")

    with pytest.raises(StackOutputError, match="Failed to describe CloudFormation stack"):
        describe_stack(aws.client("cloudformation"), STACK)
