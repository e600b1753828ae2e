#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: lab_account_info
short_description: What an AWS account holds that decides whether a lab can be built there
version_added: 0.2.0
description:
  - Reads, in one pass, what the role hybridlab.aws.preflight judges. The account and caller
    (STS), the regions enabled for the account, and in each region asked
    (a) the quotas asked for (Service Quotas, else the documented default with the reason, as
    M(hybridlab.aws.service_quota_info)), (b) how many VPCs, Elastic IPs, virtual private gateways
    (pending or available) and transit gateways (not deleted) are in use, (c) the lab's stacks
    that exist and the VPCs, instances and VPN connections tagged C(hybridlab:lab=<lab_tag>),
    (d) the image the SSM parameter resolves to, with its name, and (e) whether the key pair exists.
  - One module run instead of one per read keeps the check within seconds.
  - The module only reads; it never changes anything and always reports RV(ignore:changed=false).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  regions:
    description: The regions to read. Regions not enabled for the account are listed in RV(regions_not_enabled) and not read.
    type: list
    elements: str
    required: true
  quotas:
    description: The quotas to read in each region (see M(hybridlab.aws.service_quota_info)).
    type: list
    elements: dict
    default: []
    suboptions:
      service_code:
        description: The service, for example V(vpc).
        type: str
        required: true
      quota_code:
        description: The quota, for example V(L-F678F1CE).
        type: str
        required: true
      default:
        description: AWS's documented default.
        type: float
        required: true
      name:
        description: The quota's name when the API does not give it.
        type: str
  lab_tag:
    description: Look for VPCs, instances and VPN connections tagged C(hybridlab:lab) with this value.
    type: str
  stacks:
    description: CloudFormation stacks to look for, each with its C(name) and C(region).
    type: list
    elements: dict
    default: []
  image_ssm_parameter:
    description: The public SSM parameter naming the image, resolved and described in each region.
    type: str
  key_pair_name:
    description: The EC2 key pair to look for in each region.
    type: str
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Read what the lab's regions hold
  hybridlab.aws.lab_account_info:
    regions: [ap-northeast-2]
    quotas:
      - {service_code: vpc, quota_code: L-F678F1CE, default: 5, name: VPCs per Region}
    lab_tag: hybridlab
    stacks: [{name: hybridlab-idc, region: ap-northeast-2}]
    image_ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    key_pair_name: hybridlab-key
  register: lab_account
"""

RETURN = r"""
account:
  description: The account ID.
  returned: always
  type: str
  sample: "123456789012"
arn:
  description: The caller's ARN.
  returned: always
  type: str
  sample: arn:aws:iam::123456789012:user/lab
regions_not_enabled:
  description: The regions asked for that are not enabled for the account.
  returned: always
  type: list
  elements: str
  sample: []
regions:
  description: Per region read, what it holds.
  returned: always
  type: dict
  contains:
    quotas:
      description: The quotas, as M(hybridlab.aws.service_quota_info) returns them.
      type: list
      elements: dict
    in_use:
      description: Counts of C(vpc), C(eip), C(vgw) and C(tgw) in the region, whoever made them.
      type: dict
      sample: {vpc: 1, eip: 0, vgw: 0, tgw: 0}
    stacks:
      description: The stacks asked for in this region that exist, with C(name) and C(status).
      type: list
      elements: dict
    tagged:
      description: IDs of the VPCs, instances (not terminated) and VPN connections (not deleted) tagged for the lab.
      type: dict
      sample: {vpcs: [vpc-0123456789abcdef0], instances: [], vpn_connections: []}
    image:
      description: C(parameter), C(image_id) (empty when the parameter does not resolve), C(name) (empty when not described) and C(reason).
      type: dict
    key_pair_exists:
      description: Whether O(key_pair_name) exists in the region.
      type: bool
"""

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule reports the missing dependency

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_addresses
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_ec2_transit_gateways
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_images
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_instances
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_key_pairs
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_regions
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_vpcs
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_vpn_connections
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import describe_vpn_gateways
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridlab.aws.plugins.module_utils.service_quotas import read_quota

TAG = "hybridlab:lab"


@AWSRetry.jittered_backoff()
def _stack_status(client, name):
    try:
        stacks = client.describe_stacks(StackName=name)["Stacks"]
    except is_boto3_error_code("ValidationError"):
        return None  # "Stack with id ... does not exist"
    return stacks[0]["StackStatus"] if stacks else None


@AWSRetry.jittered_backoff()
def _parameter_value(client, name):
    return client.get_parameter(Name=name)["Parameter"]["Value"]


def _filters(**filters):
    return [{"Name": name, "Values": values} for name, values in filters.items()]


def read_image(module, region, parameter):
    image = {"parameter": parameter, "image_id": "", "name": "", "reason": ""}
    try:
        image["image_id"] = _parameter_value(module.client("ssm", region=region), parameter)
    except is_boto3_error_code(("ParameterNotFound", "AccessDeniedException")) as error:  # pylint: disable=duplicate-except
        image["reason"] = error.response["Error"]["Code"]
        return image
    try:
        found = describe_images(module.client("ec2", region=region), ImageIds=[image["image_id"]])
    except AnsibleAWSError as error:
        # InvalidAMIID.NotFound / .Malformed: the parameter names an image that is not there.
        image["reason"] = error.message
        return image
    if found:
        image["name"] = found[0].get("Name", "")
    else:
        image["reason"] = "InvalidAMIID.NotFound"
    return image


def read_region(module, region):
    ec2 = module.client("ec2", region=region)
    params = module.params
    answer = {
        "quotas": [read_quota(module.client("service-quotas", region=region), quota) for quota in params["quotas"]],
        "in_use": {
            "vpc": len(describe_vpcs(ec2)),
            "eip": len(describe_addresses(ec2)),
            "vgw": len(describe_vpn_gateways(ec2, Filters=_filters(state=["pending", "available"]))),
            "tgw": len(
                describe_ec2_transit_gateways(ec2, Filters=_filters(state=["pending", "available", "modifying", "deleting"]))
            ),
        },
        "stacks": [],
        "tagged": {"vpcs": [], "instances": [], "vpn_connections": []},
        "image": {},
        "key_pair_exists": False,
    }
    cloudformation = module.client("cloudformation", region=region)
    for stack in params["stacks"]:
        if stack.get("region") == region:
            status = _stack_status(cloudformation, stack["name"])
            if status:
                answer["stacks"].append({"name": stack["name"], "status": status})
    if params["lab_tag"]:
        tag = {f"tag:{TAG}": [params["lab_tag"]]}
        answer["tagged"] = {
            "vpcs": [vpc["VpcId"] for vpc in describe_vpcs(ec2, Filters=_filters(**tag))],
            "instances": [
                instance["InstanceId"]
                for reservation in describe_instances(
                    ec2, Filters=_filters(**tag, **{"instance-state-name": ["pending", "running", "stopping", "stopped"]})
                )
                for instance in reservation["Instances"]
            ],
            "vpn_connections": [
                vpn["VpnConnectionId"]
                for vpn in describe_vpn_connections(ec2, Filters=_filters(**tag, state=["pending", "available"]))
            ],
        }
    if params["image_ssm_parameter"]:
        answer["image"] = read_image(module, region, params["image_ssm_parameter"])
    if params["key_pair_name"]:
        answer["key_pair_exists"] = bool(describe_key_pairs(ec2, Filters=_filters(**{"key-name": [params["key_pair_name"]]})))
    return answer


def main():
    module = AnsibleAWSModule(
        argument_spec={
            "regions": {"type": "list", "elements": "str", "required": True},
            "quotas": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "service_code": {"type": "str", "required": True},
                    "quota_code": {"type": "str", "required": True},
                    "default": {"type": "float", "required": True},
                    "name": {"type": "str"},
                },
            },
            "lab_tag": {"type": "str"},
            "stacks": {"type": "list", "elements": "dict", "default": []},
            "image_ssm_parameter": {"type": "str"},
            "key_pair_name": {"type": "str"},
        },
        supports_check_mode=True,
    )
    try:
        caller = AWSRetry.jittered_backoff()(module.client("sts").get_caller_identity)()
        enabled = {region["RegionName"] for region in describe_regions(module.client("ec2"))}
        asked = module.params["regions"]
        regions = {region: read_region(module, region) for region in asked if region in enabled}
    except AnsibleAWSError as error:
        module.fail_json_aws_error(error)
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        module.fail_json_aws(error, msg="Could not read the account")
    module.exit_json(
        changed=False,
        account=caller["Account"],
        arn=caller["Arn"],
        regions_not_enabled=[region for region in asked if region not in enabled],
        regions=regions,
    )


if __name__ == "__main__":
    main()
