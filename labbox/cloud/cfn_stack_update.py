"""Stack updates like CloudFormation: in place or by replacement, rolled back on failure.

moto re-runs a model's ``update_from_cloudformation_json`` when a resource's template text
changes; most EC2 models have none (the resource silently vanished from the stack) and
AWS::EC2::Instance's raised HTTP 500 and broke the stack. Here a resource is updated when
its *resolved* properties change (so a changed parameter, or a replaced resource it
references, updates it too). Changing a create-only property (per the resource provider
schema) replaces the resource: the new one is created first and the old one deleted in
``UPDATE_COMPLETE_CLEANUP_IN_PROGRESS``. Other changes are applied in place by the
updaters registered in :mod:`labbox.cloud.cfn_resources`.

On a failure the stack goes ``UPDATE_ROLLBACK_IN_PROGRESS`` (reason "The following
resource(s) failed to update: [X]."), in-place changes are reverted, new physical
resources are deleted, and the stack ends ``UPDATE_ROLLBACK_COMPLETE`` with its previous
resources, template and parameters intact.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from moto.cloudformation.models import Stack
from moto.cloudformation.parsing import ResourceMap

from labbox.cloud import cfn_graph, cfn_resources, patching
from labbox.cloud.cfn_events import resource_event, resource_states, stack_event
from labbox.cloud.cfn_stack_create import create_one, manage
from labbox.cloud.cfn_stack_delete import delete_in_order

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."


@dataclasses.dataclass
class _Change:
    """One step done during an update, kept to undo it."""

    kind: str  # "add" | "replace" | "modify"
    name: str
    resource_type: str
    old_resource: Any = None
    new_resource: Any = None
    old_properties: dict[str, Any] | None = None
    new_properties: dict[str, Any] | None = None


class _UpdateFailed(Exception):
    def __init__(self, name: str, verb: str):
        super().__init__(name)
        self.name = name
        self.verb = verb


def _new_resource_map(
    stack: Stack, template: dict[str, Any], parameters: dict[str, Any], tags: dict[str, str]
) -> ResourceMap:
    resource_map = ResourceMap(
        stack.stack_id,
        stack.name,
        parameters,
        tags,
        region_name=stack.region_name,
        account_id=stack.account_id,
        template=template,
        cross_stack_resources=stack.cross_stack_resources,
    )
    resource_map.load()
    resource_map._template = template
    resource_map._resource_json_map = template.get("Resources") or {}
    return manage(resource_map)


def _update(
    self: Stack,
    template: str,
    role_arn: str | None = None,
    parameters: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    new_template = self.parse_template(template)
    new_parameters = dict(parameters or {})
    new_tags = dict(tags) if tags is not None else dict(self.tags)
    # Template and parameter errors are answered synchronously, before anything changes.
    new_map = _new_resource_map(self, new_template, new_parameters, new_tags)
    old_map = self.resource_map
    stack_event(self, "UPDATE_IN_PROGRESS", "User Initiated")

    changes: list[_Change] = []
    try:
        _apply(self, old_map, new_map, changes)
    except _UpdateFailed as failed:
        _roll_back(self, old_map, new_map, changes, failed)
        return

    stack_event(self, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    old_resources = old_map._resource_json_map
    replaced = [c.name for c in changes if c.kind == "replace"]
    kept = set(new_map._parsed_resources)
    removed = [
        name
        for name in old_resources
        if old_map._parsed_resources.get(name) is not None and (name not in kept or name in replaced)
    ]
    removed += [
        name for name in resource_states(self) if name in old_resources and name not in kept and name not in removed
    ]
    # Cleanup failures are reported per resource but do not fail the update (as on AWS).
    delete_in_order(self, old_map, old_resources, removed, keep_listed=replaced)

    self.resource_map = new_map
    self.template = template
    self._parse_template()
    self.parameters = new_parameters
    self.role_arn = role_arn
    self.tags = new_tags
    self.output_map = self._create_output_map()
    self.description = new_template.get("Description")
    stack_event(self, "UPDATE_COMPLETE")


def _apply(stack: Stack, old_map: ResourceMap, new_map: ResourceMap, changes: list[_Change]) -> None:
    old_resources = old_map._resource_json_map
    new_resources = new_map._resource_json_map
    old_properties = cfn_resources.properties_store(old_map)
    new_properties = cfn_resources.properties_store(new_map)
    for name, body in new_resources.items():
        old_body = old_resources.get(name)
        live = old_map._parsed_resources.get(name)
        if (
            live is not None
            and old_body is not None
            and cfn_resources.resource_type_of(old_body) == cfn_resources.resource_type_of(body)
            and cfn_resources.condition_holds(new_map, body)
        ):
            new_map._parsed_resources[name] = live

    for name in cfn_graph.creation_order(new_resources):
        body = new_resources[name]
        if not cfn_resources.condition_holds(new_map, body):
            continue
        kind = cfn_resources.resource_type_of(body)
        current = new_map._parsed_resources.get(name)
        if current is None:
            resource_event(stack, name, kind, None, "CREATE_IN_PROGRESS")
            changes.append(_Change("add", name, kind))
            try:
                created = create_one(new_map, name)
            except cfn_resources.ResourceFailure as failure:
                resource_event(stack, name, kind, None, "CREATE_FAILED", failure.reason)
                raise _UpdateFailed(name, "create") from failure
            changes[-1].new_resource = created
            resource_event(stack, name, kind, cfn_resources.physical_id(created, name), "CREATE_COMPLETE")
            continue

        physical = cfn_resources.physical_id(current, name)
        before = old_properties.get(name, {})
        try:
            after = cfn_resources.resolved_properties(new_map, body)
        except Exception as error:  # noqa: BLE001 - an unresolvable property fails this resource
            resource_event(stack, name, kind, physical, "UPDATE_FAILED", cfn_resources.failure_reason(error))
            raise _UpdateFailed(name, "update") from error
        changed = cfn_resources.changed_properties(before, after)
        if not changed:
            new_properties[name] = before
            continue

        if cfn_resources.needs_replacement(kind, stack.region_name, changed, current):
            resource_event(stack, name, kind, physical, "UPDATE_IN_PROGRESS", REPLACING)
            del new_map._parsed_resources[name]
            try:
                replacement = create_one(new_map, name)
            except cfn_resources.ResourceFailure as failure:
                new_map._parsed_resources[name] = current
                resource_event(stack, name, kind, physical, "UPDATE_FAILED", failure.reason)
                raise _UpdateFailed(name, "update") from failure
            changes.append(_Change("replace", name, kind, current, replacement, before, after))
            resource_event(stack, name, kind, cfn_resources.physical_id(replacement, name), "UPDATE_COMPLETE")
            continue

        resource_event(stack, name, kind, physical, "UPDATE_IN_PROGRESS")
        # Recorded before trying: a half-applied change is reverted too.
        change = _Change("modify", name, kind, current, current, before, after)
        changes.append(change)
        try:
            updated = cfn_resources.update_in_place(new_map, name, current, kind, before, after)
        except cfn_resources.ResourceFailure as failure:
            resource_event(stack, name, kind, physical, "UPDATE_FAILED", failure.reason)
            raise _UpdateFailed(name, "update") from failure
        change.new_resource = updated
        new_map._parsed_resources[name] = updated
        resource_event(stack, name, kind, cfn_resources.physical_id(updated, name), "UPDATE_COMPLETE")


def _roll_back(
    stack: Stack, old_map: ResourceMap, new_map: ResourceMap, changes: list[_Change], failed: _UpdateFailed
) -> None:
    stack_event(
        stack, "UPDATE_ROLLBACK_IN_PROGRESS", f"The following resource(s) failed to {failed.verb}: [{failed.name}]. "
    )
    broken: list[str] = []
    for change in reversed(changes):
        if change.kind == "modify":
            physical = cfn_resources.physical_id(change.new_resource, change.name)
            resource_event(stack, change.name, change.resource_type, physical, "UPDATE_IN_PROGRESS")
            try:
                restored = cfn_resources.update_in_place(
                    old_map,
                    change.name,
                    change.new_resource,
                    change.resource_type,
                    change.new_properties or {},
                    change.old_properties or {},
                )
            except cfn_resources.ResourceFailure as failure:
                resource_event(stack, change.name, change.resource_type, physical, "UPDATE_FAILED", failure.reason)
                broken.append(change.name)
                continue
            old_map._parsed_resources[change.name] = restored
            resource_event(stack, change.name, change.resource_type, physical, "UPDATE_COMPLETE")
        elif change.kind == "replace":
            physical = cfn_resources.physical_id(change.old_resource, change.name)
            resource_event(stack, change.name, change.resource_type, physical, "UPDATE_COMPLETE")
    if broken:
        stack_event(
            stack,
            "UPDATE_ROLLBACK_FAILED",
            f"The following resource(s) failed to update: [{', '.join(sorted(broken))}]. ",
        )
        return

    stack_event(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    # New physical resources go; so does the record of an addition that failed half-way.
    created = [c.name for c in changes if c.kind == "add" or (c.kind == "replace" and c.new_resource is not None)]
    replaced = [c.name for c in changes if c.kind == "replace"]
    delete_in_order(stack, new_map, new_map._resource_json_map, created, keep_listed=replaced)
    stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")


def install() -> None:
    patching.override(Stack, "update", _update)
