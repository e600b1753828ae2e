"""Stack creation like CloudFormation: dependency order, per-resource events, rollback.

moto creates resources lazily and lets the first error escape, leaving the stack in
``CREATE_IN_PROGRESS`` with half its resources alive. Here each resource is created after
what it references is stable (``cfn_stabilisation``; the stack stays ``CREATE_IN_PROGRESS``
meanwhile and the work goes on in the background, see ``cfn_background``), logged with ``CREATE_IN_PROGRESS``/``CREATE_COMPLETE``, and the first
failure is logged as ``CREATE_FAILED`` with the reason; then, as on AWS, what was
created is deleted again and the stack ends ``ROLLBACK_COMPLETE`` with
``StackStatusReason`` "The following resource(s) failed to create: [X]. Rollback
requested by user." ``OnFailure=DO_NOTHING``/``DisableRollback`` keep the resources and
end in ``CREATE_FAILED``; ``OnFailure=DELETE`` deletes the stack after the rollback.

Also here: a stack's resource map never creates a resource as a side effect of being
read (moto's map creates missing resources on lookup, so describing the outputs of a
rolled-back stack would have resurrected its resources), and stacks that have no live
resources report no outputs.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import Stack, cloudformation_backends
from moto.cloudformation.parsing import ResourceMap

from labbox.cloud import cfn_background, cfn_graph, cfn_resources, cfn_stabilisation, patching
from labbox.cloud.cfn_events import operations_lock, request_param, resource_event, stack_event
from labbox.cloud.cfn_stack_delete import delete_in_order

# Statuses in which AWS shows no outputs: nothing (or not everything) was created.
_NO_OUTPUTS = frozenset(
    {
        "CREATE_IN_PROGRESS",
        "CREATE_FAILED",
        "ROLLBACK_IN_PROGRESS",
        "ROLLBACK_FAILED",
        "ROLLBACK_COMPLETE",
        "DELETE_COMPLETE",
        "REVIEW_IN_PROGRESS",
    }
)


def manage(resource_map: ResourceMap) -> ResourceMap:
    """Mark a resource map as driven by the twin's stack operations (no lazy creation)."""
    resource_map.labbox_managed = True
    return resource_map


def _lookup(self: ResourceMap, key: str) -> Any:
    if key in self._parsed_resources:
        return self._parsed_resources[key]
    if not getattr(self, "labbox_managed", False) or getattr(self, "labbox_creating", None) == key:
        return patching.original(ResourceMap, "__getitem__", self)(key)
    if key in self._resource_json_map:
        # Not created (yet, or because its Condition is false): no value, and no side effect.
        return None
    raise KeyError(key)


def create_one(resource_map: ResourceMap, logical_id: str) -> Any:
    """Create ``logical_id`` (and only it) in a managed map."""
    resource_map.labbox_creating = logical_id
    try:
        return cfn_resources.create(resource_map, logical_id)
    finally:
        resource_map.labbox_creating = None


def _create_resource_map(self: Stack) -> ResourceMap:
    return manage(patching.original(Stack, "_create_resource_map", self)())


def _create_resources(self: Stack) -> None:
    resource_map = self.resource_map
    template = self.template_dict
    resources = template.get("Resources") or {}
    resource_map._template = template
    resource_map._resource_json_map = resources
    self.status = "CREATE_IN_PROGRESS"
    if self.events and self.events[-1].resource_status == "CREATE_IN_PROGRESS":
        # moto logged the operation's first event before we were called.
        self.events[-1].client_request_token = request_param("ClientRequestToken")
    cfn_background.run(
        lambda: _create_all(self, resources),
        f"create-{self.name}",
        lambda error: stack_event(self, "CREATE_FAILED", f"Internal error of the offline twin: {error}"),
        always=_waits_outside(resources),
    )


def _waits_outside(resources: dict[str, Any]) -> bool:
    """Whether a resource waits for something outside the stack (a wait condition's signal)."""
    models = parsing.get_model_map()
    return any(
        getattr(models.get(cfn_resources.resource_type_of(body)), "WAITS_OUTSIDE", False)
        for body in resources.values()
        if isinstance(body, dict)
    )


def _create_all(stack: Stack, resources: dict[str, Any]) -> None:
    """Create each resource after what it references is stable, as CloudFormation does.

    A DeleteStack while this runs takes over (the stack leaves ``CREATE_IN_PROGRESS``):
    nothing more is created, and the deletion removes what was.
    """
    resource_map = stack.resource_map
    created: list[str] = []
    failed = None
    for name in cfn_graph.creation_order(resources):
        body = resources[name]
        with operations_lock():
            if stack.status != "CREATE_IN_PROGRESS":
                return
            if not cfn_resources.condition_holds(resource_map, body):
                continue
            kind = cfn_resources.resource_type_of(body)
            resource_event(stack, name, kind, None, "CREATE_IN_PROGRESS")
            try:
                resource = create_one(resource_map, name)
            except cfn_resources.ResourceFailure as failure:
                resource_event(stack, name, kind, None, "CREATE_FAILED", failure.reason)
                failed = name
            else:
                created.append(name)
                record = cfn_stabilisation.tracked_record(resource_map, kind, resource)
        if failed is not None:
            # Outside the lock: the rollback waits for each deletion to finish.
            _fail(stack, failed, created)
            return
        cfn_stabilisation.wait_until_settled(record)
        try:
            cfn_stabilisation.wait_until_stable(resource, lambda: stack.status == "CREATE_IN_PROGRESS")
        except cfn_resources.ResourceFailure as failure:
            with operations_lock():
                if stack.status != "CREATE_IN_PROGRESS":
                    return
                physical = cfn_resources.physical_id(resource, name)
                resource_event(stack, name, kind, physical, "CREATE_FAILED", failure.reason)
            created.remove(name)
            _fail(stack, name, created)
            return
        with operations_lock():
            if stack.status != "CREATE_IN_PROGRESS":
                return
            resource_event(stack, name, kind, cfn_resources.physical_id(resource, name), "CREATE_COMPLETE")
    with operations_lock():
        if stack.status != "CREATE_IN_PROGRESS":
            return
        stack.description = stack.template_dict.get("Description")
        stack_event(stack, "CREATE_COMPLETE")


def _fail(stack: Stack, failed: str, created: list[str]) -> None:
    reason = f"The following resource(s) failed to create: [{failed}]. "
    on_failure = request_param("OnFailure") or ("DO_NOTHING" if request_param("DisableRollback") else "ROLLBACK")
    if on_failure == "DO_NOTHING":
        stack_event(stack, "CREATE_FAILED", reason)
        return
    stack_event(stack, "ROLLBACK_IN_PROGRESS", reason + "Rollback requested by user.")
    resource_map = stack.resource_map
    left = delete_in_order(
        stack,
        resource_map,
        resource_map._resource_json_map,
        created + [failed],
        rolling_back_create=True,
        wait=cfn_stabilisation.wait_until_settled,
    )
    if left:
        stack_event(
            stack, "ROLLBACK_FAILED", f"The following resource(s) failed to delete: [{', '.join(sorted(left))}]. "
        )
        return
    stack_event(stack, "ROLLBACK_COMPLETE")
    if on_failure == "DELETE":
        cloudformation_backends[stack.account_id][stack.region_name].delete_stack(stack.stack_id)


def _outputs(self: Stack) -> list[dict[str, Any]] | None:
    if self.status in _NO_OUTPUTS:
        return None
    outputs = patching.original(Stack, "outputs", self)
    if not outputs:
        return None
    return [output for output in outputs if output.get("OutputValue") is not None] or None


def install() -> None:
    patching.override(ResourceMap, "__getitem__", _lookup)
    patching.override(Stack, "_create_resource_map", _create_resource_map)
    patching.override(Stack, "create_resources", _create_resources)
    patching.override(Stack, "outputs", property(_outputs))
