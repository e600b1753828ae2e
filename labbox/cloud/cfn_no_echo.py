"""DescribeStacks masks NoEcho parameters as "****", as AWS does.

moto meant to, but compared each parameter's *value* with the NoEcho *keys*, so secrets such
as the tunnels' pre-shared keys came back in clear to every describe call (and from there
into Ansible's output of amazon.aws.cloudformation_info).
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.models import Stack

from labbox.cloud import patching

MASK = "****"


def _parameter_list(self: Stack) -> list[dict[str, Any]]:
    hidden = set(self.resource_map.no_echo_parameter_keys)
    return [
        {"ParameterKey": key, "ParameterValue": MASK if key in hidden else value}
        for key, value in self.resource_map.resolved_parameters.items()
    ]


def install() -> None:
    patching.override(Stack, "parameter_list", property(_parameter_list))
