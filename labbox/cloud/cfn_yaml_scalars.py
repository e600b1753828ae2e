"""Template scalars that look like dates stay strings, as CloudFormation reads YAML.

CloudFormation reads ``Version: 2012-10-17`` in a policy document as the string
``"2012-10-17"``; PyYAML (which moto parses templates with) turns it into a ``date``, and an
``AWS::IAM::ManagedPolicy`` then failed with "Object of type date is not JSON serializable".
Every parsed template (stacks, updates, change sets) has such values turned back into the
text they were written as.
"""

from __future__ import annotations

import datetime
from typing import Any

from moto.cloudformation.models import ChangeSet, Stack

from labbox.cloud import patching


def as_written(node: Any) -> Any:
    """``node`` with every date and timestamp back as its ISO text."""
    if isinstance(node, dict):
        return {key: as_written(value) for key, value in node.items()}
    if isinstance(node, list):
        return [as_written(item) for item in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    return node


def _parse_template(template: str) -> dict[str, Any]:
    return as_written(patching.original(Stack, "parse_template")(template))


def _change_set_parse_template(self: ChangeSet) -> None:
    self.template_dict = Stack.parse_template(self.template)


def install() -> None:
    patching.override(Stack, "parse_template", staticmethod(_parse_template))
    patching.override(ChangeSet, "_parse_template", _change_set_parse_template)
