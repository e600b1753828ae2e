# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters over the lab's stack catalogue (plugins/module_utils/lab_catalogue.py): the playbooks'
one way to know which stacks a lab has, what they are called and where they live."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_catalogue


def _answer(name, read, *args):
    try:
        return read(*args)
    except lab_catalogue.UnknownLab as error:
        raise AnsibleFilterError(f"{name}: {error}") from None


def lab_stacks(lab):
    """The stack keys ``lab`` builds, in build order."""
    return _answer("lab_stacks", lab_catalogue.lab_stacks, lab)


def lab_stack_list(lab, lab_name, aws_region, peer_region):
    """The stacks of ``lab`` (or of every lab, ``all``), each with its name, region and template."""
    return _answer("lab_stack_list", lab_catalogue.lab_stack_list, lab, lab_name, aws_region, peer_region)


def lab_stack_name(key, lab_name):
    """The stack name of stack ``key`` in the lab ``lab_name``."""
    return _answer("lab_stack_name", lab_catalogue.stack_name, lab_name, key)


class FilterModule:
    """hybridlab.aws filters on the lab's stacks."""

    def filters(self):
        return {
            "lab_stacks": lab_stacks,
            "lab_stack_list": lab_stack_list,
            "lab_stack_name": lab_stack_name,
        }
