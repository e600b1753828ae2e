"""Template parameters' defaults typed as CloudFormation types them.

moto split a ``CommaDelimitedList`` / ``List<...>`` parameter and converted a ``Number`` only
when the value was passed in; a default stayed one string, so ``!Select [0, !Ref Cidrs]``
picked its first character. Here defaults get the same treatment as passed values.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.parsing import ResourceMap

from labbox.cloud import patching


def _typed(value: Any, value_type: str) -> Any:
    if not isinstance(value, str):
        return value
    if value_type == "CommaDelimitedList" or value_type.startswith("List<"):
        items = [item.strip() for item in value.split(",")] if value else []
        return [float(i) if "." in i else int(i) for i in items] if value_type == "List<Number>" else items
    if value_type == "Number" and value:
        return float(value) if "." in value else int(value)
    return value


def _load_parameters(self: ResourceMap) -> None:
    patching.original(ResourceMap, "load_parameters", self)()
    for name, slot in (self._template.get("Parameters") or {}).items():
        if name in self.input_parameters:
            continue
        value_type = slot.get("Type", "String")
        if value_type.startswith("AWS::SSM::Parameter::"):
            continue
        typed = _typed(self.resolved_parameters.get(name), value_type)
        self.resolved_parameters[name] = typed
        self._parsed_resources[name] = typed


def install() -> None:
    patching.override(ResourceMap, "load_parameters", _load_parameters)
