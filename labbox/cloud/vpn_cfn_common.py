"""What the VPN CloudFormation types share.

The twin's stack engine (``cfn_stack_*``) decides between an in-place update and a
replacement from a model's ``CREATE_ONLY_PROPERTIES``, applies ``Tags`` and the stack's
``aws:cloudformation:*`` tags itself, creates a replacement before deleting what it
replaces, and re-resolves the properties of resources that reference a replaced one. The
VPN types therefore only say which properties replace them, and create and delete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def properties_of(cloudformation_json: Mapping[str, Any]) -> dict[str, Any]:
    return dict(cloudformation_json.get("Properties") or {})


def tags_of(properties: Mapping[str, Any]) -> dict[str, str]:
    """The ``Tags`` property as a dict (CloudFormation writes a list of Key/Value)."""
    return {str(tag["Key"]): str(tag["Value"]) for tag in properties.get("Tags") or []}


def all_but_tags(properties: Iterable[str]) -> tuple[str, ...]:
    """For types that AWS replaces on any change except to ``Tags``."""
    return tuple(name for name in properties if name != "Tags")
