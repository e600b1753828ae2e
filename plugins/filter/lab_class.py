# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters for a class of labs (plugins/module_utils/lab_class.py): the plan of every learner's
lab from the class file, the class's quotas and cost, and its status table."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_class


def _plan_of(plan, name):
    if not isinstance(plan, dict) or "learners" not in plan:
        raise AnsibleFilterError(f"{name} expects the class plan (hybridlab.aws.class_plan)")
    return plan


def class_plan(class_file, lab_variables):
    """Every learner's lab and the class file's problems."""
    if not isinstance(lab_variables, dict):
        raise AnsibleFilterError("class_plan expects the lab's variables as a dict")
    return lab_class.class_plan(class_file, lab_variables)


def class_quota_usage(plan, account_regions):
    """Each quota of each region against what is in use plus what the class's labs add."""
    if not isinstance(account_regions, dict):
        raise AnsibleFilterError("class_quota_usage expects the account's regions (hybridlab.aws.lab_account_info)")
    return lab_class.class_quota_usage(_plan_of(plan, "class_quota_usage"), account_regions)


def class_cost(plan):
    """The class's cost per hour and for the hours its labs stand."""
    return lab_class.class_cost(_plan_of(plan, "class_cost"))


def class_status_lines(statuses, plan, on_twin=False):
    """The class's status table from every learner's lab status."""
    plan = _plan_of(plan, "class_status_lines")
    return lab_class.class_status_lines(lab_class.class_status_rows(plan, statuses), plan["class_name"], on_twin)


class FilterModule:
    """hybridlab.aws filters for a class of labs."""

    def filters(self):
        return {
            "class_plan": class_plan,
            "class_quota_usage": class_quota_usage,
            "class_cost": class_cost,
            "class_status_lines": class_status_lines,
        }
