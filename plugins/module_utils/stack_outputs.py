# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resolve a value published as a CloudFormation stack output."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridlab.aws.plugins.module_utils.aws_errors import error_handler


class StackOutputError(AnsibleAWSError):
    """A stack or one of its outputs could not be found or read."""


# CloudFormation has no NotFound code: an unknown stack is a ValidationError whose message says
# "Stack with id NAME does not exist".
_StackErrorHandler = error_handler(StackOutputError, missing_message="does not exist")


@_StackErrorHandler.list_error_handler("describe CloudFormation stack", None)
@AWSRetry.jittered_backoff()
def describe_stack(client: Any, stack_name: str) -> Optional[Dict[str, Any]]:
    """The stack named ``stack_name`` as DescribeStacks returns it, or None when it does not exist."""
    stacks = client.describe_stacks(StackName=stack_name)["Stacks"]
    return stacks[0] if stacks else None


def stack_output(client: Any, stack_name: str, output_name: str) -> str:
    """The value of output ``output_name`` of stack ``stack_name``.

    Raises StackOutputError naming the stack, the missing output and the outputs the stack does
    have, so a typo or a stack still being created is obvious from the message alone.
    """
    stack = describe_stack(client, stack_name)
    if stack is None:
        raise StackOutputError(message=f"CloudFormation stack {stack_name} does not exist")
    outputs = {item["OutputKey"]: item.get("OutputValue") for item in stack.get("Outputs") or []}
    value = outputs.get(output_name)
    if value:
        return value
    available = ", ".join(sorted(outputs)) or "none"
    raise StackOutputError(
        message=(
            f"CloudFormation stack {stack_name} (status {stack.get('StackStatus', 'unknown')}) "
            f"has no output {output_name}; its outputs are: {available}"
        )
    )
