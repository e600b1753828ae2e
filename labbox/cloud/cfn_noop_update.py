"""UpdateStack with nothing to change fails with "No updates are to be performed.", as on AWS.

amazon.aws.cloudformation reports ``changed=false`` only when UpdateStack answers with that
exact ValidationError; moto accepted such updates (its own check compares template text
and only when parameters are passed), so every rerun of a playbook reported a change.
"Nothing to change" means: the same template (compared parsed, so formatting does not
matter), the same effective parameter values (given, previous or default) and the same
stack tags.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from labbox.cloud import patching

NO_UPDATES = "No updates are to be performed."


def effective_parameters(template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The value each template parameter takes: the one given, else its default."""
    declared = template.get("Parameters") or {}
    return {name: str(given.get(name, spec.get("Default"))) for name, spec in declared.items()}


def is_no_op(stack: Stack, template: str, parameters: dict[str, Any], tags: dict[str, str] | None) -> bool:
    new_template = stack.parse_template(template)
    if new_template != stack.template_dict:
        return False
    if effective_parameters(new_template, parameters) != effective_parameters(stack.template_dict, stack.parameters):
        return False
    return tags is None or dict(tags) == dict(stack.tags or {})


def _update_stack(
    self: CloudFormationBackend,
    name: str,
    template: str,
    role_arn: str | None,
    parameters: list[dict[str, Any]],
    tags: dict[str, str] | None,
) -> Stack:
    stack = self.get_stack(name)
    resolved = self._resolve_update_parameters(instance=stack, incoming_params=parameters)
    if is_no_op(stack, template, resolved, tags):
        raise ValidationError(stack.stack_id, message=NO_UPDATES)
    return patching.original(CloudFormationBackend, "update_stack", self)(
        name=name, template=template, role_arn=role_arn, parameters=parameters, tags=tags
    )


def install() -> None:
    patching.override(CloudFormationBackend, "update_stack", _update_stack)
