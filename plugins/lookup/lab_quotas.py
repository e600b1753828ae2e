# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lookup plugin: the quotas a lab can run into (plugins/module_utils/lab_quotas.py)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: lab_quotas
author: hybridlab maintainers (!UNKNOWN)
version_added: 0.2.0
short_description: The Service Quotas a lab can run into, as hybridlab.aws.lab_account_info reads them
description:
  - Returns the quotas of VPCs, Elastic IPs, virtual private gateways and transit gateways per region, each with
    its C(service_code), C(quota_code), C(name) and AWS's documented C(default), from the collection's one table
    of them (C(plugins/module_utils/lab_quotas.py)).
  - Preflight and a class's plan read the account's quotas with this list.
"""

EXAMPLES = r"""
- name: Read the quotas of the lab's regions
  hybridlab.aws.lab_account_info:
    regions: [ap-northeast-2]
    quotas: "{{ lookup('hybridlab.aws.lab_quotas') }}"
"""

RETURN = r"""
_raw:
  description: The quotas, one dict each.
  type: list
  elements: dict
"""

from ansible.plugins.lookup import LookupBase
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_quotas import QUOTAS


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        # One result, the list itself, so lookup() and query() both give the list.
        return [[dict(quota) for quota in QUOTAS.values()]]
