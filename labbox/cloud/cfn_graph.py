"""The dependency graph of a template's resources, as CloudFormation orders its work.

CloudFormation creates a resource only after everything it references (``Ref``,
``Fn::GetAtt``, ``Fn::Sub`` variables) and everything in its ``DependsOn`` exists, and
deletes in the reverse order. moto only honours ``DependsOn`` and otherwise creates
lazily, which leaves no order to undo; this module computes the order explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# ${Name} or ${Name.Attribute}; ${!Literal} is an escaped literal, not a reference.
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


def references(node: Any, local_names: frozenset[str] = frozenset()) -> set[str]:
    """Every logical name that ``node`` refers to (resources, parameters, pseudo parameters).

    ``local_names`` are variables defined by an enclosing ``Fn::Sub`` mapping; they shadow
    template names.
    """
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= references(item, local_names)
        return found
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            found.add(value)
        elif key == "Fn::GetAtt":
            target = value.split(".", 1)[0] if isinstance(value, str) else value[0]
            if isinstance(target, str):
                found.add(target)
            if isinstance(value, list):
                # The attribute name itself may be computed.
                found |= references(value[1:], local_names)
        elif key == "Fn::Sub":
            found |= _sub_references(value, local_names)
        else:
            found |= references(value, local_names)
    return found


def _sub_references(value: Any, local_names: frozenset[str]) -> set[str]:
    if isinstance(value, list) and value:
        text, mapping = value[0], (value[1] if len(value) > 1 else {})
        found = references(mapping, local_names)
        local_names = local_names | frozenset(mapping if isinstance(mapping, dict) else ())
    else:
        text, found = value, set()
    if isinstance(text, str):
        for variable in _SUB_VARIABLE.findall(text):
            name = variable.split(".", 1)[0].strip()
            if name not in local_names:
                found.add(name)
    else:
        found |= references(text, local_names)
    return found


def depends_on(resource: Mapping[str, Any]) -> set[str]:
    declared = resource.get("DependsOn") or []
    return {declared} if isinstance(declared, str) else set(declared)


def dependencies(resources: Mapping[str, Mapping[str, Any]]) -> dict[str, set[str]]:
    """For each resource, the other resources of the template it must come after."""
    graph: dict[str, set[str]] = {}
    for name, body in resources.items():
        wanted = references({k: v for k, v in body.items() if k != "DependsOn"}) | depends_on(body)
        graph[name] = {other for other in wanted if other in resources and other != name}
    return graph


class CircularDependency(ValueError):
    """The template's resources depend on each other in a cycle (AWS rejects such templates)."""


def creation_order(resources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """A topological order of the resources; ties keep template order, as CloudFormation's log reads."""
    graph = dependencies(resources)
    ordered: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = ", ".join(trail[trail.index(name) :] + (name,))
            raise CircularDependency(f"Circular dependency between resources: [{cycle}]")
        state[name] = "visiting"
        for dependency in sorted(graph[name], key=list(resources).index):
            visit(dependency, trail + (name,))
        state[name] = "done"
        ordered.append(name)

    for name in resources:
        visit(name, ())
    return ordered


def deletion_order(resources: Mapping[str, Mapping[str, Any]], present: Iterable[str]) -> list[str]:
    """The resources in ``present`` in the order CloudFormation deletes them: dependents first."""
    wanted = set(present)
    return [name for name in reversed(creation_order(resources)) if name in wanted]
