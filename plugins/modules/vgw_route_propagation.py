#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vgw_route_propagation
short_description: Turn a virtual private gateway's route propagation into a route table on or off
version_added: 0.2.0
description:
  - With route propagation on, a VPC route table gets a route to each network behind the virtual
    private gateway's VPN connections (their static routes, or what BGP learns) without anyone
    writing it. With it off those routes disappear from the table at once.
  - M(amazon.aws.ec2_vpc_route_table) can turn propagation on (O(amazon.aws.ec2_vpc_route_table#module:propagating_vgw_ids))
    but never off; this module does both, for one table and one gateway, and leaves the table's
    other routes, associations and tags alone.
  - Idempotent. Supports check mode and diff mode (the propagation before and after).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  route_table_id:
    description: ID of the VPC route table.
    type: str
    required: true
  vpn_gateway_id:
    description: ID of the virtual private gateway, attached to the route table's VPC.
    type: str
    required: true
  state:
    description: V(enabled) propagates the gateway's routes into the table, V(disabled) stops it.
    type: str
    choices: [enabled, disabled]
    default: enabled
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Stop the VPN's routes from reaching AWS-PublicRT
  hybridlab.aws.vgw_route_propagation:
    route_table_id: rtb-0123456789abcdef0
    vpn_gateway_id: vgw-0123456789abcdef0
    state: disabled

- name: Propagate them again
  hybridlab.aws.vgw_route_propagation:
    route_table_id: rtb-0123456789abcdef0
    vpn_gateway_id: vgw-0123456789abcdef0
"""

RETURN = r"""
propagating_vgws:
  description: The gateways whose routes the table receives after the module ran (in check mode, as it would be).
  returned: always
  type: list
  elements: str
  sample: ["vgw-0123456789abcdef0"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

try:
    import botocore
except ImportError:
    pass  # AnsibleAWSModule says botocore is missing


@AWSRetry.jittered_backoff()
def _propagating(client, route_table_id):
    tables = client.describe_route_tables(RouteTableIds=[route_table_id])["RouteTables"]
    return sorted(gateway["GatewayId"] for gateway in tables[0].get("PropagatingVgws") or [])


@AWSRetry.jittered_backoff()
def _propagate(client, route_table_id, gateway_id, enable):
    if enable:
        client.enable_vgw_route_propagation(RouteTableId=route_table_id, GatewayId=gateway_id)
    else:
        client.disable_vgw_route_propagation(RouteTableId=route_table_id, GatewayId=gateway_id)


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            route_table_id=dict(type="str", required=True),
            vpn_gateway_id=dict(type="str", required=True),
            state=dict(type="str", default="enabled", choices=["enabled", "disabled"]),
        ),
        supports_check_mode=True,
    )
    table = module.params["route_table_id"]
    gateway = module.params["vpn_gateway_id"]
    enable = module.params["state"] == "enabled"
    client = module.client("ec2")

    try:
        before = _propagating(client, table)
    except is_boto3_error_code("InvalidRouteTableID.NotFound"):
        module.fail_json(msg=f"Route table {table} does not exist in {module.region}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        module.fail_json_aws(e, msg=f"Could not read route table {table}")

    changed = (gateway in before) != enable
    after = sorted(set(before) | {gateway}) if enable else [g for g in before if g != gateway]
    if changed and not module.check_mode:
        try:
            _propagate(client, table, gateway, enable)
            after = _propagating(client, table)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            # AWS refuses a gateway that is not attached to the table's VPC (Gateway.NotAttached).
            module.fail_json_aws(e, msg=f"Could not {'enable' if enable else 'disable'} route propagation from {gateway} into {table}")
    module.exit_json(
        changed=changed,
        propagating_vgws=after,
        diff={"before": {"propagating_vgws": before}, "after": {"propagating_vgws": after}},
    )


if __name__ == "__main__":
    main()
