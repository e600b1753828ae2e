"""An AWS::EC2::Instance launched from a launch template takes the template's settings.

CloudFormation (like RunInstances) starts from the launch template's data (the version asked
for, else the default) and lets the instance's own properties override it: image (an
``resolve:ssm:`` image parameter is resolved as EC2 resolves it), instance type, key pair,
security groups, instance profile, user data, metadata options, network interfaces. moto's
CloudFormation instance ignored ``LaunchTemplate`` and launched an ``m1.small`` with no image,
no instance profile and the default security group.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ssm.models import ssm_backends

# LaunchTemplateData keys that are also AWS::EC2::Instance properties of the same meaning.
_SHARED = (
    "ImageId", "InstanceType", "KeyName", "SecurityGroupIds", "SecurityGroups", "UserData",
    "MetadataOptions", "NetworkInterfaces", "IamInstanceProfile", "DisableApiTermination",
    "EbsOptimized", "InstanceInitiatedShutdownBehavior", "BlockDeviceMappings",
)


def _version(backend: Any, spec: dict[str, Any]) -> Any:
    if spec.get("LaunchTemplateId"):
        template = backend.get_launch_template(spec["LaunchTemplateId"])
    elif spec.get("LaunchTemplateName"):
        template = backend.get_launch_template_by_name(spec["LaunchTemplateName"])
    else:
        raise EC2ClientError("InvalidParameterCombination", "LaunchTemplate needs LaunchTemplateId or LaunchTemplateName")
    return template.get_version(spec["Version"]) if spec.get("Version") else template.default_version()


def _image(account_id: str, region_name: str, image: Any) -> Any:
    if isinstance(image, str) and image.startswith("resolve:ssm:"):
        name = image[len("resolve:ssm:"):]
        return ssm_backends[account_id][region_name].get_parameter(name).value
    return image


def with_launch_template(backend: Any, properties: dict[str, Any], account_id: str, region_name: str) -> dict[str, Any]:
    """``properties`` on top of their launch template's data (unchanged without one)."""
    spec = properties.get("LaunchTemplate")
    if not spec:
        return properties
    data = _version(backend, spec).data
    merged = {key: data[key] for key in _SHARED if key in data}
    if isinstance(merged.get("IamInstanceProfile"), dict):
        profile = merged["IamInstanceProfile"]
        merged["IamInstanceProfile"] = profile.get("Name") or str(profile.get("Arn", "")).rsplit("/", 1)[-1]
    merged.update({key: value for key, value in properties.items() if key != "LaunchTemplate"})
    merged["ImageId"] = _image(account_id, region_name, merged.get("ImageId"))
    return merged
