#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vpn_tunnel_info
short_description: Tunnel details of an AWS site-to-site VPN connection, in AWS's tunnel order
version_added: 0.1.0
description:
  - Describes one site-to-site VPN connection and returns what a customer gateway needs to
    configure its two IPsec tunnels, in the order AWS numbers them (Tunnel 1, Tunnel 2).
  - Per tunnel it returns the outside IP, the inside CIDR with the AWS and customer inside
    addresses, the status reported by AWS's telemetry and, only when asked, the pre-shared key.
  - The tunnel order is that of the C(ipsec_tunnel) elements of the connection's
    CustomerGatewayConfiguration when EC2 returns it, else that of C(Options.TunnelOptions).
  - The connection can be named directly or through a CloudFormation stack output.
  - Can wait until the connection is available, has both outside IPs, or has its tunnels up.
  - The module only reads; it never changes anything and always reports RV(ignore:changed=false).
author:
  - hybridlab maintainers (!UNKNOWN)
options:
  vpn_connection_id:
    description:
      - ID of the VPN connection, for example V(vpn-0123456789abcdef0).
      - Mutually exclusive with O(stack_name); one of the two is required.
    type: str
  stack_name:
    description:
      - Name of a CloudFormation stack with an output that holds the VPN connection's ID.
      - Mutually exclusive with O(vpn_connection_id); one of the two is required.
    type: str
  output_name:
    description:
      - Name of the output of O(stack_name) that holds the VPN connection's ID.
      - The module fails naming the stack, this output and the outputs the stack has when the
        output is missing.
    type: str
    default: VpnConnectionId
  include_pre_shared_keys:
    description:
      - Whether to return each tunnel's pre-shared key as RV(tunnels[].pre_shared_key).
      - When V(true), the task B(must) set C(no_log=true), and so must every task that later
        uses the registered result, or the keys will show in the output and in logs. The module
        warns when it runs without C(no_log).
      - When V(false), the keys are also masked in anything else the module returns.
    type: bool
    default: false
  wait:
    description:
      - Condition to wait for before returning.
      - V(none) returns at once.
      - V(available) waits until the connection's state is C(available).
      - V(outside_ips) waits until both tunnels have distinct outside IPs.
      - V(up) waits until the connection is available and both tunnels are C(UP).
      - V(any_up) waits until the connection is available and at least one tunnel is C(UP);
        policy-based customer gateways with identical traffic selectors carry traffic over one
        tunnel at a time.
      - While waiting, a connection that EC2 does not know yet counts as not ready; without
        waiting, it is an error.
      - A connection that is being deleted fails the wait at once.
    type: str
    choices: [none, available, outside_ips, up, any_up]
    default: none
notes:
  - The tunnel status comes from AWS's VgwTelemetry, which AWS updates within a minute or two of
    a tunnel changing state.
  - The inside addresses follow AWS's rule for the /30 inside CIDR, where the first host address
    is the AWS side and the second the customer side.
extends_documentation_fragment: [hybridlab.aws.wait, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Look up the tunnels of the lab's VPN connection from its stack output
  hybridlab.aws.vpn_tunnel_info:
    stack_name: hybridlab-vpn
    region: ap-northeast-2
  register: vpn

- name: Print the outside IPs in AWS's tunnel order
  ansible.builtin.debug:
    msg: "Tunnel1 {{ vpn.tunnels[0].outside_ip }}, Tunnel2 {{ vpn.tunnels[1].outside_ip }}"

- name: Fetch the pre-shared keys for the customer gateway's configuration
  hybridlab.aws.vpn_tunnel_info:
    vpn_connection_id: vpn-0123456789abcdef0
    include_pre_shared_keys: true
  register: vpn_secrets
  no_log: true

- name: Wait until both tunnels are up, with endpoint and region set once for AWS modules
  module_defaults:
    group/hybridlab.aws.aws:
      region: ap-northeast-2
      endpoint_url: "{{ aws_endpoint_url | default(omit) }}"
  hybridlab.aws.vpn_tunnel_info:
    stack_name: hybridlab-vpn
    output_name: VpnConnectionId
    wait: up
    wait_timeout: 900
    wait_delay: 15
"""

RETURN = r"""
vpn_connection_id:
  description: ID of the VPN connection.
  returned: success
  type: str
  sample: vpn-0123456789abcdef0
state:
  description: State of the VPN connection (C(pending), C(available), C(deleting) or C(deleted)).
  returned: success
  type: str
  sample: available
customer_gateway_id:
  description: ID of the customer gateway.
  returned: success
  type: str
  sample: cgw-0123456789abcdef0
customer_gateway_ip:
  description:
    - Outside IP address of the customer gateway, from the CustomerGatewayConfiguration or,
      when that does not state it, from the customer gateway itself.
  returned: success
  type: str
  sample: 198.51.100.20
vpn_gateway_id:
  description: ID of the virtual private gateway; null for a Transit Gateway VPN.
  returned: success
  type: str
  sample: vgw-0123456789abcdef0
transit_gateway_id:
  description: ID of the Transit Gateway; null for a virtual private gateway VPN.
  returned: success
  type: str
  sample: null
static_routes_only:
  description: Whether the connection uses static routes only (no BGP); null when EC2 does not say.
  returned: success
  type: bool
  sample: true
routes:
  description: The connection's static routes.
  returned: success
  type: list
  elements: dict
  contains:
    destination_cidr_block:
      description: The CIDR block of the customer's network.
      type: str
      sample: 10.60.0.0/16
    source:
      description: How the route was added.
      type: str
      sample: Static
    state:
      description: State of the route.
      type: str
      sample: available
tunnels:
  description: The tunnels, in AWS's tunnel order (the first element is Tunnel 1).
  returned: success
  type: list
  elements: dict
  contains:
    outside_ip:
      description: Outside (public) IP address of the AWS end of the tunnel.
      type: str
      sample: 203.0.113.10
    inside_cidr:
      description: The tunnel's /30 inside CIDR.
      type: str
      sample: 169.254.10.0/30
    inside_ip_aws:
      description: Inside address of the AWS end (first host of RV(tunnels[].inside_cidr)).
      type: str
      sample: 169.254.10.1
    inside_ip_customer:
      description: Inside address of the customer gateway end (second host of RV(tunnels[].inside_cidr)).
      type: str
      sample: 169.254.10.2
    pre_shared_key:
      description: The tunnel's pre-shared key.
      returned: when O(include_pre_shared_keys=true)
      type: str
      sample: Example.psk_1
    status:
      description: Tunnel status from AWS's telemetry, C(UP) or C(DOWN); null without telemetry.
      type: str
      sample: UP
    status_message:
      description: AWS's message accompanying the status.
      type: str
      sample: 1 BGP ROUTES
    last_status_change:
      description: When the status last changed (ISO 8601).
      type: str
      sample: "2024-05-01T08:30:00+00:00"
    accepted_route_count:
      description: Number of routes AWS accepted over the tunnel.
      type: int
      sample: 1
"""

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridlab.aws.plugins.module_utils.stack_outputs import stack_output
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import describe_customer_gateway_ip
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import describe_vpn_connection
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import needs_customer_gateway_lookup
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import pre_shared_keys
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_tunnels import vpn_connection_tunnels
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import LabWaitError
from ansible_collections.hybridlab.aws.plugins.module_utils.lab_wait import wait_options
from ansible_collections.hybridlab.aws.plugins.module_utils.vpn_wait import wait_for_vpn_connection


class TunnelReader:
    """Reads the connection's current record, keeping PSKs out of every result unless asked for."""

    def __init__(self, module: AnsibleAWSModule, vpn_connection_id: str) -> None:
        self.module = module
        self.vpn_connection_id = vpn_connection_id
        self.ec2 = module.client("ec2")
        self.include_pre_shared_keys: bool = module.params["include_pre_shared_keys"]
        self._customer_gateway_ips: Dict[str, Optional[str]] = {}

    def _customer_gateway_ip(self, connection: Dict[str, Any]) -> Optional[str]:
        gateway_id = connection.get("CustomerGatewayId")
        if not gateway_id or not needs_customer_gateway_lookup(connection):
            return None
        if gateway_id not in self._customer_gateway_ips:
            self._customer_gateway_ips[gateway_id] = describe_customer_gateway_ip(self.ec2, gateway_id)
        return self._customer_gateway_ips[gateway_id]

    def __call__(self) -> Optional[Dict[str, Any]]:
        connection = describe_vpn_connection(self.ec2, self.vpn_connection_id)
        if connection is None:
            return None
        if not self.include_pre_shared_keys:
            # Masks the keys in anything the module returns, warnings and errors included.
            self.module.no_log_values.update(pre_shared_keys(connection))
        return vpn_connection_tunnels(
            connection,
            include_pre_shared_keys=self.include_pre_shared_keys,
            customer_gateway_ip=self._customer_gateway_ip(connection),
            warn=self.module.warn,
        )


def resolve_vpn_connection_id(module: AnsibleAWSModule) -> str:
    """The connection ID given, or the one published by the stack's output."""
    if module.params["vpn_connection_id"]:
        return module.params["vpn_connection_id"]
    return stack_output(module.client("cloudformation"), module.params["stack_name"], module.params["output_name"])


def main() -> None:
    argument_spec = dict(
        vpn_connection_id=dict(type="str"),
        stack_name=dict(type="str"),
        output_name=dict(type="str", default="VpnConnectionId"),
        include_pre_shared_keys=dict(type="bool", default=False),
        **wait_options(["none", "available", "outside_ips", "up", "any_up"]),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("vpn_connection_id", "stack_name")],
        required_one_of=[("vpn_connection_id", "stack_name")],
        supports_check_mode=True,
    )
    if module.params["include_pre_shared_keys"] and not module.no_log:
        module.warn("include_pre_shared_keys is true but this task does not set no_log: the keys will be shown and logged")

    wait = module.params["wait"]
    try:
        vpn_connection_id = resolve_vpn_connection_id(module)
        read = TunnelReader(module, vpn_connection_id)
        if wait == "none":
            info = read()
            if info is None:
                module.fail_json(msg=f"VPN connection {vpn_connection_id} does not exist", vpn_connection_id=vpn_connection_id)
        else:
            info = wait_for_vpn_connection(
                read,
                vpn_connection_id,
                wait,
                timeout=module.params["wait_timeout"],
                delay=module.params["wait_delay"],
            )
    except LabWaitError as e:
        # The last record seen (without PSKs) goes into the failure, beside the message.
        module.fail_json(msg=e.message, **dict(e.kwargs, vpn_connection_id=vpn_connection_id))
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, **info)


if __name__ == "__main__":
    main()
