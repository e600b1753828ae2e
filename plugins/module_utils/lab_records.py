# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the status run and its picture both read off amazon.aws's info records: which instances
still exist, which stack owns a resource, and a record's tags whatever shape the module gave."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Mapping

# Instance states that still hold the instance (and bill it, or its volume).
LIVE_INSTANCE_STATES = ("pending", "running", "stopping", "stopped", "shutting-down")
# The tag CloudFormation puts on what it creates.
OWNER_TAG = "aws:cloudformation:stack-name"


def tags(record: Mapping[str, Any]) -> Dict[str, Any]:
    """A record's tags as a dict: a dict already, a list of Key/Value pairs, or an ENI's resource_tags."""
    if isinstance(record.get("resource_tags"), Mapping):
        return dict(record["resource_tags"])
    given = record.get("tags") or {}
    if isinstance(given, list):
        return {tag.get("Key") or tag.get("key"): tag.get("Value") or tag.get("value") for tag in given}
    return dict(given)
