#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: tgw_routing_info
short_description: A transit gateway's attachments and route tables with their routes
version_added: 0.2.0
description:
  - Reads one transit gateway with its attachments (VPC, VPN, peering, ...) and every route table
    of it with the attachments associated with it, the attachments propagating into it and its
    routes (static and propagated, each with the attachment it leads to).
  - Finds the attachment of a resource, for example the VPN attachment that AWS creates for a
    VPN connection on a transit gateway (CloudFormation does not return its ID), and can wait
    until that attachment is available.
  - The module only reads; it never changes anything and always reports RV(ignore:changed=false).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  transit_gateway_id:
    description: ID of the transit gateway, for example V(tgw-0123456789abcdef0).
    type: str
    required: true
  resource_type:
    description:
      - Return in RV(matched_attachments) only attachments of this type.
    type: str
    choices: [vpc, vpn, peering, connect, direct-connect-gateway]
  resource_id:
    description:
      - Return in RV(matched_attachments) only attachments of this resource (a VPC ID, a VPN
        connection ID, the peer transit gateway's ID).
    type: str
  wait:
    description:
      - V(none) returns at once.
      - V(available) waits until at least one attachment matches O(resource_type) and
        O(resource_id) and every matching one is C(available); it fails at once when one is
        in a state that never becomes available (deleted, failed, rejected).
    type: str
    choices: [none, available]
    default: none
extends_documentation_fragment: [hybridlab.aws.wait, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Find the VPN attachment of the lab's connection and wait until it is available
  hybridlab.aws.tgw_routing_info:
    transit_gateway_id: "{{ stacks_outputs.tgw.TransitGatewayId }}"
    resource_type: vpn
    resource_id: "{{ stacks_outputs.tgw_vpn.VpnConnectionId }}"
    wait: available
  register: tgw_vpn_attachment

- name: Show what the transit gateway routes where
  ansible.builtin.debug:
    msg: "{{ item.destination_cidr_block }} -> {{ item.resource_type }} {{ item.resource_id }} ({{ item.state }})"
  loop: "{{ tgw_vpn_attachment.route_tables | map(attribute='routes') | flatten }}"
"""

RETURN = r"""
transit_gateway_id:
  description: ID of the transit gateway.
  returned: always
  type: str
  sample: tgw-0123456789abcdef0
name:
  description: Its Name tag.
  returned: always
  type: str
  sample: LAB-TGW
state:
  description: Its state.
  returned: always
  type: str
  sample: available
amazon_side_asn:
  description: Its Amazon-side BGP ASN.
  returned: always
  type: int
  sample: 64512
attachments:
  description: Its attachments that are not deleted.
  returned: always
  type: list
  elements: dict
  contains:
    transit_gateway_attachment_id:
      description: ID of the attachment.
      type: str
      sample: tgw-attach-0123456789abcdef0
    name:
      description: Its Name tag.
      type: str
      sample: VPC0-TGW-Attachment
    resource_type:
      description: What is attached (vpc, vpn, peering, ...).
      type: str
      sample: vpn
    resource_id:
      description: The attached resource (VPC ID, VPN connection ID, the peer gateway's ID).
      type: str
      sample: vpn-0123456789abcdef0
    state:
      description: The attachment's state.
      type: str
      sample: available
    associated_route_table_id:
      description: The route table that routes what arrives through the attachment; null when none.
      type: str
      sample: tgw-rtb-0123456789abcdef0
matched_attachments:
  description: The attachments that match O(resource_type) and O(resource_id) (all when neither is given).
  returned: always
  type: list
  elements: dict
  sample: []
route_tables:
  description: The gateway's route tables.
  returned: always
  type: list
  elements: dict
  contains:
    transit_gateway_route_table_id:
      description: ID of the route table.
      type: str
      sample: tgw-rtb-0123456789abcdef0
    name:
      description: Its Name tag.
      type: str
      sample: LAB-TGW-RT
    associations:
      description: IDs of the attachments associated with it.
      type: list
      elements: str
      sample: [tgw-attach-0123456789abcdef0]
    propagations:
      description: IDs of the attachments propagating into it.
      type: list
      elements: str
      sample: [tgw-attach-0123456789abcdef0]
    routes:
      description: Its routes, by destination.
      type: list
      elements: dict
      contains:
        destination_cidr_block:
          description: The destination.
          type: str
          sample: 10.60.0.0/16
        type:
          description: C(static) or C(propagated).
          type: str
          sample: static
        state:
          description: C(active), C(blackhole) or C(pending).
          type: str
          sample: active
        transit_gateway_attachment_id:
          description: The attachment the route leads to; null for a blackhole route.
          type: str
          sample: tgw-attach-0123456789abcdef0
        resource_type:
          description: Type of that attachment.
          type: str
          sample: vpn
        resource_id:
          description: Resource of that attachment.
          type: str
          sample: vpn-0123456789abcdef0
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import LabWaitError
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_options
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_until
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import DEAD_ATTACHMENT_STATES
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import matching_attachments
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import read_routing


def _describe_match(module: AnsibleAWSModule) -> str:
    parts = [f"{key}={module.params[key]}" for key in ("resource_type", "resource_id") if module.params[key]]
    return "an attachment" + (f" with {', '.join(parts)}" if parts else "")


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            transit_gateway_id=dict(type="str", required=True),
            resource_type=dict(type="str", choices=["vpc", "vpn", "peering", "connect", "direct-connect-gateway"]),
            resource_id=dict(type="str"),
            **wait_options(["none", "available"]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    client = module.client("ec2")

    def read():
        routing = read_routing(client, params["transit_gateway_id"])
        if routing is None:
            module.fail_json(msg=f"Transit gateway {params['transit_gateway_id']} does not exist in {module.region}")
        return routing, matching_attachments(routing, params["resource_type"], params["resource_id"])

    def dead(seen):
        dead_states = [a["state"] for a in seen[1] if a["state"] in DEAD_ATTACHMENT_STATES]
        return dead_states[0] if dead_states else None

    try:
        routing, matched = wait_until(
            read,
            lambda seen: params["wait"] == "none" or (seen[1] and all(a["state"] == "available" for a in seen[1])),
            subject=f"{_describe_match(module)} on {params['transit_gateway_id']}",
            goal="be available",
            timeout=params["wait_timeout"],
            delay=params["wait_delay"],
            describe=lambda seen: ", ".join(f"{a['transit_gateway_attachment_id']} {a['state']}" for a in seen[1])
            or "none yet",
            never=dead,
            details=lambda seen: seen[0],
        )
    except LabWaitError as e:
        module.fail_json(msg=e.message, **e.kwargs)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, matched_attachments=matched, **routing)


if __name__ == "__main__":
    main()
