#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: tgw_peering_attachment
short_description: Accept (or reject) a transit gateway peering attachment on the accepter's side
version_added: 0.2.0
description:
  - A transit gateway peering attachment is requested in one region (a CloudFormation
    C(AWS::EC2::TransitGatewayPeeringAttachment) does that) and stays C(pendingAcceptance)
    until the owner of the peer gateway accepts it in the peer's region. This module is that
    second half, to be run with O(region) set to the accepter's region.
  - An attachment still C(initiatingRequest) (AWS is sending the request to the peer) is waited
    for, up to O(wait_timeout), until it is C(pendingAcceptance).
  - Idempotent. An attachment that is already accepted (C(pending) or C(available)) is left as it
    is; with O(wait) the module then waits until it is C(available), when both sides can
    associate it with a route table and route to it.
  - Fails with the region to use when run in the requester's region, and with the state when
    the attachment can no longer be accepted (rejected, failed, deleted).
  - Supports check mode (reports what it would accept) and diff mode (the state before and after).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  transit_gateway_attachment_id:
    description: ID of the peering attachment (the same in both regions).
    type: str
    required: true
  state:
    description:
      - V(accepted) accepts a pending attachment.
      - V(rejected) rejects a pending attachment; an attachment already accepted cannot be
        rejected (delete it from the requester's side instead).
    type: str
    choices: [accepted, rejected]
    default: accepted
  wait:
    description:
      - With O(state=accepted), V(available) waits until the attachment is C(available); V(none) returns
        once it is accepted.
      - An attachment deleted, rejected or failed fails the wait at once.
    type: str
    choices: [none, available]
    default: available
extends_documentation_fragment: [hybridlab.aws.wait, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Accept the lab's peering in the peer region
  hybridlab.aws.tgw_peering_attachment:
    transit_gateway_attachment_id: "{{ stacks_outputs.tgw_peering.PeeringAttachmentId }}"
    region: "{{ tgw_peer_region }}"
  register: tgw_peering

- name: Reject a peering request nobody asked for
  hybridlab.aws.tgw_peering_attachment:
    transit_gateway_attachment_id: tgw-attach-0123456789abcdef0
    region: ap-northeast-1
    state: rejected
"""

RETURN = r"""
peering_attachment:
  description: The peering attachment as DescribeTransitGatewayPeeringAttachments returns it, in snake_case.
  returned: always
  type: dict
  contains:
    transit_gateway_attachment_id:
      description: ID of the attachment.
      type: str
      sample: tgw-attach-0123456789abcdef0
    state:
      description: Its state after the module ran (in check mode, the state it has now).
      type: str
      sample: available
    requester_tgw_info:
      description: The requesting gateway (transit_gateway_id, owner_id, region).
      type: dict
      sample: {"transit_gateway_id": "tgw-0123456789abcdef0", "owner_id": "123456789012", "region": "ap-northeast-2"}
    accepter_tgw_info:
      description: The accepting gateway (transit_gateway_id, owner_id, region).
      type: dict
      sample: {"transit_gateway_id": "tgw-0fedcba9876543210", "owner_id": "123456789012", "region": "ap-northeast-1"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import LabWaitError
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_options
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_until
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import DEAD_ATTACHMENT_STATES
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import accept_peering_attachment
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import describe_peering_attachment
from ansible_collections.hybridlab.aws.plugins.module_utils.tgw_routing import reject_peering_attachment

ACCEPTED_STATES = ("pending", "available", "modifying")
# Right after the request AWS is still sending it to the peer: it cannot be accepted yet.
REQUESTED_STATE = "initiatingRequest"


def _result(attachment: dict) -> dict:
    return camel_dict_to_snake_dict(attachment, ignore_list=["Tags"])


def _wait(module: AnsibleAWSModule, client, attachment_id: str, met, goal: str, never, seen=None) -> dict:
    """The attachment once ``met`` (``seen``: as just read); the module fails with the state last seen otherwise."""
    known = [seen] if seen is not None else []

    def read():
        return known.pop() if known else describe_peering_attachment(client, attachment_id)

    return wait_until(
        read,
        lambda attachment: attachment is not None and met(attachment["State"]),
        subject=f"peering attachment {attachment_id}",
        goal=goal,
        timeout=module.params["wait_timeout"],
        delay=module.params["wait_delay"],
        describe=lambda attachment: f"state {attachment['State'] if attachment else 'gone'}",
        never=never,
        details=lambda attachment: {"peering_attachment": _result(attachment)} if attachment else {},
    )


def _wait_available(module: AnsibleAWSModule, client, attachment_id: str) -> dict:
    return _wait(
        module,
        client,
        attachment_id,
        lambda state: state == "available",
        "be available",
        lambda seen: "gone" if seen is None else (seen["State"] if seen["State"] in DEAD_ATTACHMENT_STATES else None),
    )


def _wait_requested(module: AnsibleAWSModule, client, attachment: dict) -> dict:
    """Wait while the request is still being made (initiatingRequest) and return the attachment after it."""
    if attachment["State"] != REQUESTED_STATE:
        return attachment
    return _wait(
        module,
        client,
        attachment["TransitGatewayAttachmentId"],
        lambda state: state != REQUESTED_STATE,
        f"leave {REQUESTED_STATE}",
        lambda seen: "gone" if seen is None else None,
        seen=attachment,
    )


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            transit_gateway_attachment_id=dict(type="str", required=True),
            state=dict(type="str", default="accepted", choices=["accepted", "rejected"]),
            **wait_options(["none", "available"], default="available"),
        ),
        supports_check_mode=True,
    )
    attachment_id = module.params["transit_gateway_attachment_id"]
    wanted = module.params["state"]
    client = module.client("ec2")
    try:
        attachment = describe_peering_attachment(client, attachment_id)
        if attachment is None:
            module.fail_json(
                msg=(
                    f"Peering attachment {attachment_id} does not exist in {module.region}: it is accepted in the "
                    "peer transit gateway's region (its AccepterTgwInfo.Region), where it must have been requested to"
                )
            )
        accepter_region = attachment["AccepterTgwInfo"]["Region"]
        if accepter_region != module.region:
            module.fail_json(
                msg=(
                    f"Peering attachment {attachment_id} is accepted in {accepter_region}, the peer's region, "
                    f"not in {module.region} (the requester's): set region to {accepter_region}"
                ),
                peering_attachment=_result(attachment),
            )
        if not module.check_mode:
            attachment = _wait_requested(module, client, attachment)
        # In check mode a request still being made counts as the pending acceptance it becomes.
        state = "pendingAcceptance" if attachment["State"] == REQUESTED_STATE else attachment["State"]
        changed = False
        if wanted == "accepted":
            if state == "pendingAcceptance":
                changed = True
                if not module.check_mode:
                    accept_peering_attachment(client, attachment_id)
            elif state not in ACCEPTED_STATES:
                module.fail_json(msg=f"Peering attachment {attachment_id} is {state} and can no longer be accepted", peering_attachment=_result(attachment))
            if module.params["wait"] == "available" and not module.check_mode:
                attachment = _wait_available(module, client, attachment_id)
        else:
            if state == "pendingAcceptance":
                changed = True
                if not module.check_mode:
                    reject_peering_attachment(client, attachment_id)
                    attachment = describe_peering_attachment(client, attachment_id) or attachment
            elif state not in ("rejecting", "rejected"):
                module.fail_json(
                    msg=f"Peering attachment {attachment_id} is {state}; only a pending one can be rejected (delete it from the requester's side)",
                    peering_attachment=_result(attachment),
                )
    except LabWaitError as e:
        module.fail_json(msg=e.message, **e.kwargs)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    # In check mode nothing was asked of AWS: the diff shows where the request would lead.
    after = {"accepted": "available", "rejected": "rejected"}[wanted] if changed and module.check_mode else attachment["State"]
    module.exit_json(
        changed=changed,
        peering_attachment=_result(attachment),
        diff={"before": {"state": state}, "after": {"state": after}},
    )


if __name__ == "__main__":
    main()
