"""Change sets behave as on AWS: created, judged and executed like the stack operations.

CreateChangeSet defaults to an UPDATE of the existing stack, as AWS does (moto defaulted to
CREATE and made a second stack of the same name); a CREATE change set for a stack that exists
is refused; an UPDATE change set that would change nothing is FAILED with AWS's reason rather
than refused, which is what amazon.aws.cloudformation's check mode reads as "no change".

moto applied change sets with its own resource update (no replacement rules, no
rollback, resources without an update handler silently dropped from the stack) and
marked the stack complete whatever happened. Here executing a CREATE change set creates
the stack's resources and an UPDATE change set updates the stack, with the events,
statuses and rollback of the twin's stack operations.
"""

from __future__ import annotations

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, ChangeSet
from moto.cloudformation.responses import CloudFormationResponse

from labbox.cloud import patching
from labbox.cloud.cfn_events import stack_event
from labbox.cloud.cfn_noop_update import is_no_op

# What AWS answers for a change set that would change nothing (amazon.aws.cloudformation's
# check mode reports changed=false only on this reason).
NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."


def _find(backend: CloudFormationBackend, change_set_name: str, stack_name: str | None) -> ChangeSet:
    if change_set_name in backend.change_sets:
        return backend.change_sets[change_set_name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == change_set_name and stack_name in (
            None,
            change_set.stack_name,
            change_set.stack_id,
        ):
            return change_set
    raise ValidationError(message=f"ChangeSet [{change_set_name}] does not exist")


def _execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    change_set = _find(self, change_set_name, stack_name)
    if change_set.execution_status != "AVAILABLE":
        raise ValidationError(
            message=f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current execution status of "
            f"[{change_set.execution_status}]"
        )
    stack = self.stacks[change_set.stack_id]
    if change_set.change_set_type == "CREATE":
        stack.template = change_set.template
        stack._parse_template()
        stack.parameters = change_set.parameters
        stack.resource_map = stack._create_resource_map()
        stack.output_map = stack._create_output_map()
        stack_event(stack, "CREATE_IN_PROGRESS", "User Initiated")
        stack.create_resources()
    else:
        stack.update(
            change_set.template,
            role_arn=change_set.role_arn,
            parameters=change_set.parameters,
            tags=change_set.tags or None,
        )
    change_set.execution_status = "EXECUTE_COMPLETE"


def _create_change_set(self: CloudFormationBackend, stack_name: str, change_set_name: str, template: str,
                       parameters: dict[str, str], *args, **kwargs) -> tuple[str, str]:
    """Judge "nothing to change" as UpdateStack does (parsed template, effective parameters, tags)."""
    change_set_id, stack_id = patching.original(CloudFormationBackend, "create_change_set", self)(
        stack_name, change_set_name, template, parameters, *args, **kwargs
    )
    change_set = self.change_sets[change_set_id]
    if change_set.change_set_type == "UPDATE":
        stack = self.stacks[stack_id]
        if is_no_op(stack, template, parameters, change_set.tags):
            change_set.status, change_set.execution_status = "FAILED", "UNAVAILABLE"
            change_set.status_reason = NO_CHANGES
            change_set.changes = []
        else:
            change_set.status, change_set.execution_status, change_set.status_reason = (
                "CREATE_COMPLETE", "AVAILABLE", None)
    return change_set_id, stack_id


def _create_change_set_request(self: CloudFormationResponse):
    """Apply AWS's default type and refuse a CREATE change set for a stack that exists."""
    change_set_type = self._get_param("ChangeSetType") or "UPDATE"
    self.params["ChangeSetType"] = change_set_type
    if change_set_type == "CREATE":
        stack_name = self._get_param("StackName")
        for stack in self.cloudformation_backend.stacks.values():
            if stack.name == stack_name and stack.status not in ("REVIEW_IN_PROGRESS", "DELETE_COMPLETE"):
                raise ValidationError(
                    message=f"Stack [{stack_name}] already exists and cannot be created again with the changeSet "
                    f"[{self._get_param('ChangeSetName')}]."
                )
    return patching.original(CloudFormationResponse, "create_change_set", self)()


def _validate_different_update(self: CloudFormationResponse, *args, **kwargs) -> None:
    """Left to the backend: UpdateStack refuses a no-op there, CreateChangeSet marks it FAILED."""


def install() -> None:
    patching.override(CloudFormationResponse, "create_change_set", _create_change_set_request)
    patching.override(CloudFormationResponse, "_validate_different_update", _validate_different_update)
    patching.override(CloudFormationBackend, "create_change_set", _create_change_set)
    patching.override(CloudFormationBackend, "execute_change_set", _execute_change_set)
