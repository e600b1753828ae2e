"""Template checks CloudFormation makes before it touches a stack.

* Resource types CloudFormation does not know in the region (per the resource provider
  schemas) are rejected: "Template format error: Unrecognized resource types: [...]".
* Resources that depend on each other in a cycle are rejected: "Circular dependency
  between resources: [...]".
* Types CloudFormation knows but the twin cannot create are *not* rejected here: the
  stack starts and that resource fails with a reason, then the stack rolls back, so a
  missing type is never silently skipped. (moto crashed with HTTP 500 when an output
  read an attribute of such a resource.)
"""

from __future__ import annotations

from typing import Any

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from labbox.cloud import cfn_graph, patching


def _known_types(region_name: str) -> set[str]:
    try:
        return set(PROVIDER_SCHEMA_MANAGER.get_resource_types(region_name))
    except Exception:  # noqa: BLE001 - an unknown region: fall back to the main one
        return set(PROVIDER_SCHEMA_MANAGER.get_resource_types("us-east-1"))


def check_template(template: dict[str, Any], region_name: str) -> None:
    """Raise CloudFormation's ValidationError for a template it would refuse outright."""
    if not isinstance(template, dict):
        raise ValidationError(message="Template format error: JSON not well-formed.")
    resources = template.get("Resources") or {}
    known = _known_types(region_name)
    unknown = sorted(
        {
            str(body.get("Type"))
            for body in resources.values()
            if isinstance(body, dict)
            and not str(body.get("Type", "")).startswith("Custom::")
            and body.get("Type") not in known
        }
    )
    if unknown:
        raise ValidationError(message=f"Template format error: Unrecognized resource types: [{', '.join(unknown)}]")
    try:
        cfn_graph.creation_order(resources)
    except cfn_graph.CircularDependency as cycle:
        raise ValidationError(message=str(cycle)) from cycle


def _create_stack(self: CloudFormationBackend, name: str, template: str, *args: Any, **kwargs: Any) -> Stack:
    check_template(Stack.parse_template(template), self.region_name)
    return patching.original(CloudFormationBackend, "create_stack", self)(name, template, *args, **kwargs)


def _update_stack(self: CloudFormationBackend, name: str, template: str, *args: Any, **kwargs: Any) -> Stack:
    check_template(Stack.parse_template(template), self.region_name)
    return patching.original(CloudFormationBackend, "update_stack", self)(name, template, *args, **kwargs)


def _validate_outputs(self: parsing.ResourceMap) -> None:
    """moto's check, minus the crash on outputs of types the twin does not implement."""
    outputs = self._template.get("Outputs") or {}
    for value in outputs.values():
        target = (value.get("Value") or {}) if isinstance(value, dict) else {}
        if isinstance(target, dict) and "Fn::GetAtt" in target:
            attribute = target["Fn::GetAtt"]
            name = attribute.split(".", 1)[0] if isinstance(attribute, str) else attribute[0]
            body = self._resource_json_map.get(name) or {}
            if parsing.resource_class_from_type(str(body.get("Type", ""))) is None:
                return
    patching.original(parsing.ResourceMap, "validate_outputs", self)()


def install() -> None:
    patching.override(CloudFormationBackend, "create_stack", _create_stack)
    patching.override(CloudFormationBackend, "update_stack", _update_stack)
    patching.override(parsing.ResourceMap, "validate_outputs", _validate_outputs)
