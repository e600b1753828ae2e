"""Stack events and resource statuses as CloudFormation reports them.

AWS writes one event per resource step (``CREATE_IN_PROGRESS``, ``CREATE_FAILED`` with the
reason, ...) and tags each event with the ``ClientRequestToken`` of the operation that
caused it; amazon.aws.cloudformation filters events by that token to show why a stack
failed. moto writes only stack-level events without a token, and lists every resource
as ``CREATE_COMPLETE`` whatever happened. This module records per-resource state on the
stack and serves it back through ListStackResources / DescribeStackResource(s).
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Event, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from labbox.cloud import patching

STACK_TYPE = "AWS::CloudFormation::Stack"

# Parameters of the stack operation being served (ClientRequestToken, OnFailure, ...).
_request: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("labbox_cfn_request", default={})


@dataclasses.dataclass
class ResourceState:
    """What ListStackResources says about one logical resource."""

    logical_id: str
    resource_type: str
    physical_id: str | None
    status: str
    reason: str | None
    timestamp: datetime.datetime


def request_param(name: str, default: Any = None) -> Any:
    """A parameter of the CreateStack/UpdateStack/DeleteStack call being served."""
    return _request.get().get(name, default)


@contextmanager
def serving_request(params: dict[str, Any]) -> Iterator[None]:
    token = _request.set(params)
    try:
        yield
    finally:
        _request.reset(token)


def resource_states(stack: Stack) -> dict[str, ResourceState]:
    """The stack's per-resource records, in the order resources were first touched."""
    states = getattr(stack, "labbox_resource_states", None)
    if states is None:
        states = {}
        stack.labbox_resource_states = states
    return states


def stack_event(stack: Stack, status: str, reason: str | None = None) -> None:
    """Set the stack's status and log the stack-level event AWS logs for it."""
    stack.status = status
    if reason is not None:
        stack.status_reason = reason
    elif not ("ROLLBACK" in status or status.endswith("_FAILED")):
        # A failure's reason stays on the stack through its rollback; success clears it.
        stack.status_reason = None
    _append(stack, stack.name, STACK_TYPE, stack.stack_id, status, reason)


def resource_event(
    stack: Stack,
    logical_id: str,
    resource_type: str,
    physical_id: str | None,
    status: str,
    reason: str | None = None,
    record: bool = True,
) -> None:
    """Log a resource step and remember it as the resource's current state.

    ``DELETE_COMPLETE`` drops the resource from the stack's listing. With ``record`` False
    the step is only logged: the old physical resource of a replacement is deleted under
    the same logical id while the listing shows the new one.
    """
    states = resource_states(stack)
    if not record:
        pass
    elif status == "DELETE_COMPLETE":
        states.pop(logical_id, None)
    else:
        states[logical_id] = ResourceState(logical_id, resource_type, physical_id, status, reason, utcnow())
    _append(stack, logical_id, resource_type, physical_id or "", status, reason)


def _append(
    stack: Stack, logical_id: str, resource_type: str, physical_id: str, status: str, reason: str | None
) -> None:
    event = Event(
        stack_id=stack.stack_id,
        stack_name=stack.name,
        logical_resource_id=logical_id,
        physical_resource_id=physical_id,
        resource_type=resource_type,
        resource_status=status,
        resource_status_reason=reason,
        resource_properties=None,
    )
    event.client_request_token = request_param("ClientRequestToken")
    event.sendToSns(stack.account_id, stack.region_name, stack.notification_arns)
    stack.events.append(event)


def _summary(state: ResourceState) -> dict[str, Any]:
    summary = {
        "LogicalResourceId": state.logical_id,
        "PhysicalResourceId": state.physical_id or "",
        "ResourceType": state.resource_type,
        "LastUpdatedTimestamp": state.timestamp,
        "ResourceStatus": state.status,
    }
    if state.reason:
        summary["ResourceStatusReason"] = state.reason
    return summary


def _detail(stack: Stack, state: ResourceState, time_key: str) -> dict[str, Any]:
    detail = _summary(state)
    detail[time_key] = detail.pop("LastUpdatedTimestamp")
    detail.update({"StackName": stack.name, "StackId": stack.stack_id})
    return detail


def _list_stack_resources(self: CloudFormationResponse) -> ActionResult:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    return ActionResult({"StackResourceSummaries": [_summary(s) for s in resource_states(stack).values()]})


def _describe_stack_resources(self: CloudFormationResponse) -> ActionResult:
    stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
    wanted = self._get_param("LogicalResourceId")
    states = [s for s in resource_states(stack).values() if wanted in (None, s.logical_id)]
    return ActionResult({"StackResources": [_detail(stack, s, "Timestamp") for s in states]})


def _describe_stack_resource(self: CloudFormationResponse) -> ActionResult:
    stack_name = self._get_param("StackName")
    stack = self.cloudformation_backend.get_stack(stack_name)
    logical_id = self._get_param("LogicalResourceId")
    state = resource_states(stack).get(logical_id)
    if state is None:
        raise ValidationError(stack_name, f"Resource {logical_id} does not exist for stack {stack_name}")
    return ActionResult({"StackResourceDetail": _detail(stack, state, "LastUpdatedTimestamp")})


_OPERATION_PARAMS = ("ClientRequestToken", "OnFailure", "DisableRollback", "RetainResources")


# The server is threaded; a stack operation walks many resources and must not interleave
# with another one (CloudFormation itself serialises the operations on one stack).
_operations = threading.RLock()


def operations_lock() -> threading.RLock:
    """Held while a stack operation changes records (a request, or one step of a background operation)."""
    return _operations


def _remember_request(action: str) -> Any:
    def serve(self: CloudFormationResponse) -> Any:
        params = {name: self._get_param(name) for name in _OPERATION_PARAMS}
        params["DisableRollback"] = self._get_bool_param("DisableRollback", False)
        with _operations, serving_request(params):
            return patching.original(CloudFormationResponse, action, self)()

    return serve


def install() -> None:
    for action in ("create_stack", "update_stack", "delete_stack", "execute_change_set"):
        if not patching.is_overridden(CloudFormationResponse, action):
            patching.override(CloudFormationResponse, action, _remember_request(action))
    patching.override(CloudFormationResponse, "list_stack_resources", _list_stack_resources)
    patching.override(CloudFormationResponse, "describe_stack_resources", _describe_stack_resources)
    patching.override(CloudFormationResponse, "describe_stack_resource", _describe_stack_resource)
