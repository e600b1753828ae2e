"""A template's ``Rules`` checked against the stack's parameters, as CloudFormation does.

moto ignored the section, so a stack whose parameters break a rule was created. CloudFormation
evaluates every rule (its ``RuleCondition``, then each ``Assertions`` item) before it creates or
updates anything and refuses the request with the assertion's ``AssertDescription``. The rule
functions evaluated here are Fn::And, Fn::Or, Fn::Not, Fn::Equals, Fn::Contains,
Fn::EachMemberEquals and Fn::EachMemberIn with Ref, and the ones that read the region's
resources: Fn::RefAll (every id of a parameter type), Fn::ValueOf (an attribute of the resource
a parameter names) and Fn::ValueOfAll (that attribute of every such resource), for the EC2
parameter types with their documented attributes (``cfn_rule_values``); any other function is
refused with a reason rather than skipped.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError

from labbox.cloud import cfn_rule_values, patching


def _value(node: Any, values: dict[str, Any], region: cfn_rule_values.Region | None = None) -> Any:
    if isinstance(node, dict) and len(node) == 1:
        (name, argument), = node.items()
        if name in cfn_rule_values.FUNCTIONS:
            if region is None:
                raise ValidationError(message=f"Template error: {name} needs the stack's region")
            return cfn_rule_values.evaluate(name, argument, region)
        if name == "Ref":
            if argument not in values:
                raise ValidationError(message=f"Template error: rule refers to unknown parameter {argument}")
            return values[argument]
        if name == "Fn::Equals":
            left, right = (_value(a, values, region) for a in argument)
            return str(left) == str(right)
        if name == "Fn::Not":
            return not _value(argument[0], values, region)
        if name == "Fn::And":
            return all(_value(a, values, region) for a in argument)
        if name == "Fn::Or":
            return any(_value(a, values, region) for a in argument)
        if name == "Fn::Contains":
            haystack, needle = (_value(a, values, region) for a in argument)
            return str(needle) in [str(item) for item in haystack]
        if name == "Fn::EachMemberEquals":
            members, expected = (_value(a, values, region) for a in argument)
            return all(str(member) == str(expected) for member in members)
        if name == "Fn::EachMemberIn":
            members, allowed = (_value(a, values, region) for a in argument)
            return all(str(member) in [str(a) for a in allowed] for member in members)
        raise ValidationError(message=f"Template error: {name} is not supported in Rules")
    if isinstance(node, list):
        return [_value(item, values, region) for item in node]
    return node


def check_rules(template: dict[str, Any], values: dict[str, Any], region: cfn_rule_values.Region | None = None) -> None:
    """Raise CloudFormation's ValidationError for the first assertion the parameters break."""
    if region is not None:
        region = region.with_parameters(values, template.get("Parameters") or {})
    for name, rule in (template.get("Rules") or {}).items():
        if "RuleCondition" in rule and not _value(rule["RuleCondition"], values, region):
            continue
        for assertion in rule.get("Assertions") or []:
            if not _value(assertion["Assert"], values, region):
                raise ValidationError(message=assertion.get("AssertDescription") or f"Template error: rule {name} failed")


def _load_conditions(self: parsing.ResourceMap) -> None:
    values = {**self.resolved_parameters, "AWS::Region": self._region_name, "AWS::AccountId": self._account_id}
    check_rules(self._template, values, cfn_rule_values.Region(self._account_id, self._region_name))
    patching.original(parsing.ResourceMap, "load_conditions", self)()


def install() -> None:
    patching.override(parsing.ResourceMap, "load_conditions", _load_conditions)
