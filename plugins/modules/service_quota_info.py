#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: service_quota_info
short_description: The values of AWS service quotas in one region, with a documented fallback
version_added: 0.2.0
description:
  - Reads each quota's value in the region from the Service Quotas API, the value applied to
    the account (C(GetServiceQuota)) or, when none is applied, AWS's default
    (C(GetAWSDefaultServiceQuota)).
  - When the caller may not read Service Quotas (C(AccessDeniedException)) or the service does
    not answer for the quota, the module does not fail; it returns the default the caller gave
    (AWS's documented default) and says why in RV(quotas[].reason).
  - The module only reads; it never changes anything and always reports RV(ignore:changed=false).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  quotas:
    description: The quotas to read.
    type: list
    elements: dict
    required: true
    suboptions:
      service_code:
        description: The service, for example V(vpc) or V(ec2).
        type: str
        required: true
      quota_code:
        description: The quota, for example V(L-F678F1CE) (VPCs per Region).
        type: str
        required: true
      default:
        description: AWS's documented default, answered when the API cannot be read.
        type: float
        required: true
      name:
        description: What to call the quota when the API does not name it.
        type: str
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
notes:
  - Needs C(servicequotas:GetServiceQuota) and C(servicequotas:GetAWSDefaultServiceQuota) to read
    the account's values; without them the documented defaults are returned.
"""

EXAMPLES = r"""
- name: Read the VPC and Elastic IP quotas of the lab's region
  hybridlab.aws.service_quota_info:
    region: ap-northeast-2
    quotas:
      - {service_code: vpc, quota_code: L-F678F1CE, default: 5, name: VPCs per Region}
      - {service_code: ec2, quota_code: L-0263D0A3, default: 5, name: EC2-VPC Elastic IPs}
  register: lab_quotas
"""

RETURN = r"""
quotas:
  description: One entry per requested quota, in the order asked.
  returned: always
  type: list
  elements: dict
  contains:
    service_code:
      description: The service.
      type: str
      sample: vpc
    quota_code:
      description: The quota.
      type: str
      sample: L-F678F1CE
    quota_name:
      description: AWS's name of the quota (or O(quotas[].name) when the API was not read).
      type: str
      sample: VPCs per Region
    value:
      description: The quota's value.
      type: float
      sample: 5.0
    source:
      description:
        - V(applied), the account's value; V(aws_default), AWS's default read from the API;
          V(documented_default), the caller's default because the API could not be read.
      type: str
      sample: applied
    reason:
      description: Why the documented default was used; empty otherwise.
      type: str
      sample: "AccessDeniedException: not authorized to perform servicequotas:GetServiceQuota"
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing dependency

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridlab.aws.plugins.module_utils.service_quotas import read_quota


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "quotas": {
                "type": "list",
                "elements": "dict",
                "required": True,
                "options": {
                    "service_code": {"type": "str", "required": True},
                    "quota_code": {"type": "str", "required": True},
                    "default": {"type": "float", "required": True},
                    "name": {"type": "str"},
                },
            },
        },
        supports_check_mode=True,
    )
    client = module.client("service-quotas")
    try:
        quotas = [read_quota(client, quota) for quota in module.params["quotas"]]
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        module.fail_json_aws(error, msg="Could not read the service quotas")
    module.exit_json(changed=False, quotas=quotas)


if __name__ == "__main__":
    main()
