"""ValidateTemplate answers as CloudFormation does: the template's parameters, description and
the capabilities it needs, or the one template format error CloudFormation would name.

moto ran cfn-lint and turned its first finding, warnings included, into a ``ValidationError``
worded as "Stack with id <message> does not exist", and answered every valid template with no
parameters and no capabilities. CloudFormation's ValidateTemplate checks the template's form
only (not property values): it must parse, have Resources, know each resource type and have no
dependency cycle (``cfn_template_checks``, the same checks CreateStack makes), and ``Ref``
only what the template declares. It lists each parameter (key, default, NoEcho, description),
the template's ``Description``, and ``CAPABILITY_IAM`` (``CAPABILITY_NAMED_IAM`` when an IAM
resource is named) with the reason, plus the transforms the template declares.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from labbox.cloud import cfn_graph, cfn_template_checks, patching

# IAM resource types and the property that names each (naming one needs CAPABILITY_NAMED_IAM).
_IAM_NAMES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::Policy": None,
    "AWS::IAM::AccessKey": None,
    "AWS::IAM::UserToGroupAddition": None,
}
_PSEUDO_PARAMETERS = frozenset(
    {"AWS::AccountId", "AWS::NoValue", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region",
     "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
)


def _parse(body: str) -> dict[str, Any]:
    try:
        template = Stack.parse_template(body)
    except Exception as error:  # noqa: BLE001 - any parser error is CloudFormation's "not well-formed"
        raise ValidationError(message="Template format error: YAML not well-formed.") from error
    if not isinstance(template, dict):
        raise ValidationError(message="Template format error: JSON not well-formed.")
    if not template.get("Resources"):
        raise ValidationError(message="Template format error: At least one Resources member must be defined.")
    return template


def _unresolved(template: dict[str, Any]) -> list[str]:
    declared = set(template["Resources"]) | set(template.get("Parameters") or {}) | _PSEUDO_PARAMETERS
    referenced: set[str] = set()
    for body in template["Resources"].values():
        referenced |= cfn_graph.references(body)
    for output in (template.get("Outputs") or {}).values():
        referenced |= cfn_graph.references(output)
    return sorted(referenced - declared)


def _parameters(template: dict[str, Any]) -> list[dict[str, Any]]:
    answer = []
    for key, spec in (template.get("Parameters") or {}).items():
        spec = spec if isinstance(spec, dict) else {}
        parameter: dict[str, Any] = {"ParameterKey": key, "NoEcho": str(spec.get("NoEcho", "false")).lower() == "true"}
        if "Default" in spec:
            default = spec["Default"]
            parameter["DefaultValue"] = ",".join(map(str, default)) if isinstance(default, list) else str(default)
        if "Description" in spec:
            parameter["Description"] = str(spec["Description"])
        answer.append(parameter)
    return answer


def _capabilities(template: dict[str, Any]) -> tuple[list[str], str | None]:
    iam = sorted(
        {str(body.get("Type")) for body in template["Resources"].values() if isinstance(body, dict) and body.get("Type") in _IAM_NAMES}
    )
    if not iam:
        return [], None
    named = any(
        _IAM_NAMES.get(str(body.get("Type"))) in (body.get("Properties") or {})
        for body in template["Resources"].values()
        if isinstance(body, dict)
    )
    capability = "CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"
    return [capability], f"The following resource(s) require capabilities: [{', '.join(iam)}]"


def validate(body: str, region_name: str) -> dict[str, Any]:
    """ValidateTemplate's answer for ``body``, or the ValidationError CloudFormation raises."""
    template = _parse(body)
    cfn_template_checks.check_template(template, region_name)
    unresolved = _unresolved(template)
    if unresolved:
        raise ValidationError(
            message=f"Template format error: Unresolved resource dependencies [{', '.join(unresolved)}] in the Resources block of the template"
        )
    capabilities, reason = _capabilities(template)
    transforms = template.get("Transform") or []
    answer: dict[str, Any] = {
        "Parameters": _parameters(template),
        "Description": str(template.get("Description", "")),
        "Capabilities": capabilities,
        "DeclaredTransforms": [transforms] if isinstance(transforms, str) else list(transforms),
    }
    if reason:
        answer["CapabilitiesReason"] = reason
    return answer


def _validate_template(self: CloudFormationResponse) -> ActionResult:
    body = self._get_param("TemplateBody")
    if self._get_param("TemplateURL"):
        body = self._get_stack_from_s3_url(self._get_param("TemplateURL"))
    if not body:
        raise ValidationError(message="Either Template URL or Template Body must be specified.")
    return ActionResult(validate(body, self.region))


def install() -> None:
    patching.override(CloudFormationResponse, "validate_template", _validate_template)
