"""UpdateTerminationProtection, and DeleteStack refused while a stack is protected.

moto stored ``EnableTerminationProtection`` from CreateStack but had no
UpdateTerminationProtection (an HTML 500) and deleted a protected stack anyway. AWS answers
UpdateTerminationProtection with the stack's id, shows the setting in DescribeStacks, and
refuses DeleteStack of a protected stack with a ``ValidationError`` until protection is
turned off (the refusal itself lives in ``cfn_stack_delete``, which owns DeleteStack).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from labbox.cloud import patching


def refuse_if_protected(stack: Any) -> None:
    """DeleteStack's check, as AWS words it."""
    if getattr(stack, "enable_termination_protection", False):
        raise ValidationError(
            stack.name, f"Stack [{stack.name}] cannot be deleted while TerminationProtection is enabled"
        )


def _update_termination_protection(self: CloudFormationResponse) -> ActionResult:
    name = self._get_param("StackName")
    enabled = self._get_bool_param("EnableTerminationProtection")
    if enabled is None:
        raise ValidationError(name, "1 validation error detected: Value null at 'enableTerminationProtection' failed to satisfy constraint: Member must not be null")
    [stack] = self.cloudformation_backend.describe_stacks(name)
    stack.enable_termination_protection = enabled
    return ActionResult({"StackId": stack.stack_id})


def install() -> None:
    patching.override(CloudFormationResponse, "update_termination_protection", _update_termination_protection)
