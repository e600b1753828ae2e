# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter: one line per variable whose value a role's argument spec refuses.

Ansible checks a role's variables against its meta/argument_specs.yml itself, but a refusal
shows the whole spec with it (kilobytes of JSON for the lab's forty variables). This filter
applies the same checks, with Ansible's own validator, and says each refusal in one line: the
variable, the rule (its choices or its type) and the value given.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

# What a refusal says the value must be, by the spec's type.
_KINDS = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping",
    "path": "a path",
    "raw": "any value",
}
# What a list's items must be, by the spec's elements.
_ITEMS = {"str": "strings", "int": "whole numbers", "float": "numbers", "bool": "booleans", "list": "lists",
          "dict": "mappings", "path": "paths"}
# The keys of an option that decide whether a value is accepted.
_RULE_KEYS = ("type", "elements", "choices")


def _rule(spec):
    if spec.get("choices"):
        return "must be one of " + ", ".join(str(choice) for choice in spec["choices"])
    kind = _KINDS.get(spec.get("type", "str"), spec.get("type", "str"))
    if spec.get("elements"):
        kind += f" of {_ITEMS.get(spec['elements'], spec['elements'])}"
    return f"must be {kind}"


def argument_spec_problems(values, options):
    """One sentence per value in ``values`` that ``options`` (a spec's ``options``) refuses."""
    if not isinstance(values, dict) or not isinstance(options, dict):
        raise AnsibleFilterError("argument_spec_problems expects the values and a spec's options, both mappings")
    problems = []
    for name, spec in options.items():
        if values.get(name) is None:
            continue
        rules = {key: value for key, value in (spec or {}).items() if key in _RULE_KEYS}
        if ArgumentSpecValidator({name: rules}).validate({name: values[name]}).error_messages:
            problems.append(f"{name} {_rule(rules)}; got {values[name]!r}")
    return problems


class FilterModule:
    def filters(self):
        return {"argument_spec_problems": argument_spec_problems}
