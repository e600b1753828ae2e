"""Stack deletion like CloudFormation: dependents first, every failure reported.

moto deletes a stack's resources in arbitrary order, swallows failures, and drops the
stack record even when the VPC it created is still there (``DependencyViolation``), so a
"deleted" stack left orphans behind. Here resources go in reverse dependency order with
per-resource events; a resource that cannot be deleted leaves the stack in
``DELETE_FAILED`` with the reason, and the stack stays listed so the delete can be retried
(optionally with ``RetainResources``), as on AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from moto.cloudformation.models import CloudFormationBackend, Stack
from moto.cloudformation.parsing import ResourceMap

from labbox.cloud import cfn_background, cfn_graph, cfn_resources, cfn_stabilisation, cfn_termination_protection, patching
from labbox.cloud.cfn_events import operations_lock, request_param, resource_event, resource_states, stack_event


def delete_in_order(
    stack: Stack,
    resource_map: ResourceMap,
    resources: Mapping[str, Mapping[str, Any]],
    names: Iterable[str],
    *,
    keep_listed: Iterable[str] = (),
    retain: Iterable[str] = (),
    rolling_back_create: bool = False,
    wait: Callable[[Any], None] | None = None,
) -> list[str]:
    """Delete ``names`` (logical ids in ``resources``), dependents first; returns those left behind.

    A resource is left behind when its deletion failed or when something that depends on
    it could not be deleted. ``keep_listed`` names stay in the stack's resource listing
    after deletion (the old physical resource of a replacement). ``retain`` names are
    skipped, as are resources whose DeletionPolicy keeps them. With ``wait``, each deletion
    is complete only once ``wait`` returns for the resource's EC2 record (``deleting`` has
    become ``deleted``), and the stack-operations lock is held only while records change.
    """
    names = list(names)
    keep_listed, retain = set(keep_listed), set(retain)
    graph = cfn_graph.dependencies(resources)
    left: list[str] = []
    for name in cfn_graph.deletion_order(resources, names):
        with operations_lock():
            outcome = _delete_one(stack, resource_map, resources, name, graph, left, keep_listed, retain, rolling_back_create)
        if outcome is None:
            continue
        record, physical, listed = outcome
        if wait is not None:
            wait(record)
        with operations_lock():
            resource_map._parsed_resources.pop(name, None)
            cfn_resources.properties_store(resource_map).pop(name, None)
            kind = cfn_resources.resource_type_of(resources[name])
            resource_event(stack, name, kind, physical, "DELETE_COMPLETE", record=listed)
    return left


def _delete_one(
    stack: Stack,
    resource_map: ResourceMap,
    resources: Mapping[str, Mapping[str, Any]],
    name: str,
    graph: Mapping[str, Any],
    left: list[str],
    keep_listed: set[str],
    retain: set[str],
    rolling_back_create: bool,
) -> tuple[Any, str | None, bool] | None:
    """Start deleting one resource: (its EC2 record to wait for, physical id, listed), or None when done with it."""
    body = resources[name]
    kind = cfn_resources.resource_type_of(body)
    resource = resource_map._parsed_resources.get(name)
    physical = cfn_resources.physical_id(resource, name) if resource is not None else None
    if any(name in graph[other] for other in left):
        left.append(name)
        return None
    policy = body.get("DeletionPolicy")
    if name in retain or policy == "Retain" or (policy == "RetainExceptOnCreate" and not rolling_back_create):
        resource_event(stack, name, kind, physical, "DELETE_SKIPPED")
        resource_map._parsed_resources.pop(name, None)
        resource_states(stack).pop(name, None)
        return None
    record = name not in keep_listed
    resource_event(stack, name, kind, physical, "DELETE_IN_PROGRESS", record=record)
    # Found before the delete: some records leave the backend's lists when deleted.
    tracked = cfn_stabilisation.tracked_record(resource_map, kind, resource)
    try:
        cfn_resources.delete(resource_map, name, resource, body)
    except cfn_resources.ResourceFailure as failure:
        resource_event(stack, name, kind, physical, "DELETE_FAILED", failure.reason, record=record)
        left.append(name)
        return None
    return tracked, physical, record


def live_resources(stack: Stack) -> list[str]:
    """Logical ids of the stack's template whose resources exist (or were attempted)."""
    resource_map = stack.resource_map
    states = resource_states(stack)
    return [
        name
        for name in resource_map._resource_json_map
        if resource_map._parsed_resources.get(name) is not None or name in states
    ]


def _delete(self: Stack, on_deleted: Callable[[], None] | None = None) -> None:
    """Delete the stack's resources (in the background when deletions take time)."""
    stack_event(self, "DELETE_IN_PROGRESS", "User Initiated")
    resource_map = self.resource_map
    retain = request_param("RetainResources") or ()

    def delete_all() -> None:
        left = delete_in_order(
            self,
            resource_map,
            resource_map._resource_json_map,
            live_resources(self),
            retain=retain,
            wait=cfn_stabilisation.wait_until_settled,
        )
        with operations_lock():
            if left:
                stack_event(
                    self, "DELETE_FAILED", f"The following resource(s) failed to delete: [{', '.join(sorted(left))}]. "
                )
                return
            stack_event(self, "DELETE_COMPLETE")
            if on_deleted is not None:
                on_deleted()

    cfn_background.run(
        delete_all,
        f"delete-{self.name}",
        lambda error: stack_event(self, "DELETE_FAILED", f"Internal error of the offline twin: {error}"),
    )


def _delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
    stack = self.stacks.get(name_or_stack_id) or next(
        (s for s in self.stacks.values() if s.name == name_or_stack_id), None
    )
    if stack is None:
        # AWS answers success for a stack that does not exist (or is already deleted).
        return
    if stack.status == "DELETE_IN_PROGRESS":
        # AWS accepts a repeated delete and goes on with the one under way.
        return
    cfn_termination_protection.refuse_if_protected(stack)
    export_names = [export.name for export in stack.exports]

    def forget() -> None:
        self.stacks.pop(stack.stack_id, None)
        self.deleted_stacks[stack.stack_id] = stack
        for export_name in export_names:
            self.exports.pop(export_name, None)

    _delete(stack, on_deleted=forget)


def install() -> None:
    patching.override(Stack, "delete", _delete)
    patching.override(CloudFormationBackend, "delete_stack", _delete_stack)
