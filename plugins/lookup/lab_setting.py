# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup plugin: a lab variable as the playbooks will see it, for places that run before them."""

from __future__ import annotations

DOCUMENTATION = r"""
name: lab_setting
author: hybridlab maintainers (!UNKNOWN)
version_added: 0.2.0
short_description: Read a lab variable where play variables are not available yet
description:
  - Inventory sources such as C(amazon.aws.aws_ec2) are read before any play, so they cannot see
    the lab's variables. This lookup gives them the value the playbooks will use, from the same
    places and in the same order of precedence.
  - First C(-e)/C(--extra-vars) of the running command (C(@file) included).
  - Then C(group_vars/all.yml) or C(group_vars/all/*.yml) beside each inventory source of the command.
  - Last the variable's default in the collection's C(lab_config) role (C(roles/lab_config/defaults/main.yml)),
    the one home of the lab's defaults.
  - A value that is a template (C(lab_state_dir), say) is rendered with the other variables found
    the same way, as the playbooks would render it.
options:
  _terms:
    description: Names of lab variables, such as C(aws_region) or C(lab_name).
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
# inventory/aws/hybridlab.aws_ec2.yml: the region and lab the playbooks build
regions:
  - "{{ lookup('hybridlab.aws.lab_setting', 'aws_region') }}"
filters:
  "tag:hybridlab:lab": "{{ lookup('hybridlab.aws.lab_setting', 'lab_name') }}"
"""

RETURN = r"""
_raw:
  description: The value of each named variable, in order.
  type: list
"""

import glob
import os

from ansible import context
from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.yaml import yaml_load
from ansible.plugins.lookup import LookupBase
from ansible.template import trust_as_template
from ansible.utils.vars import load_extra_vars

DEFAULTS = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "lab_config", "defaults", "main.yml")


def trusted(value):
    """Every string of a variable file marked as a template, as Ansible marks a role's own files."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {key: trusted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [trusted(item) for item in value]
    return value


def _read(path):
    """A plain read: the loader's cache would hand the playbooks this untrusted copy later, whose
    templates (the role's defaults) would then no longer be rendered."""
    with open(path, encoding="utf-8") as stream:
        return yaml_load(stream) or {}


def _group_vars_files(inventory_source):
    """The group_vars files of group `all` beside an inventory source (a directory or a file)."""
    base = inventory_source if os.path.isdir(inventory_source) else os.path.dirname(inventory_source)
    group_vars = os.path.join(base, "group_vars")
    files = [os.path.join(group_vars, f"all{suffix}") for suffix in (".yml", ".yaml")]
    files += sorted(glob.glob(os.path.join(group_vars, "all", "*.yml")) + glob.glob(os.path.join(group_vars, "all", "*.yaml")))
    return [path for path in files if os.path.isfile(path)]


class LookupModule(LookupBase):
    def _layers(self):
        """Dicts of variables, highest precedence first."""
        layers = [load_extra_vars(self._loader) or {}]
        for source in context.CLIARGS.get("inventory") or ():
            for path in _group_vars_files(os.path.abspath(os.path.expanduser(source))):
                layers.append(_read(path))
        layers.append(_read(os.path.abspath(DEFAULTS)))
        return layers

    def run(self, terms, variables=None, **kwargs):
        merged = {}
        for layer in reversed(self._layers()):
            merged.update(layer)
        merged = trusted(merged)
        templar = self._templar.copy_with_new_env(available_variables=merged)
        values = []
        for name in terms:
            if name not in merged:
                raise AnsibleLookupError(f"lab_setting: {name} is not a lab variable")
            values.append(templar.template(merged[name]))
        return values
