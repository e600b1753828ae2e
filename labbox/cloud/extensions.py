"""Install every extension of moto that the twin needs, before the server starts.

Each gap in moto that the lab touches is closed by one module here; each module
exposes ``install()``, which must be idempotent (tests install into one process many times).
"""

from __future__ import annotations

import importlib

# Order matters only where one extension builds on another (cfn_* types need the EC2 ones).
EXTENSION_MODULES: tuple[str, ...] = (
    # CloudFormation stack operations as AWS runs them.
    "cfn_events",
    "cfn_yaml_scalars",
    "cfn_template_checks",
    "cfn_validate_template",
    "cfn_intrinsics",
    "cfn_parameter_defaults",
    "cfn_rules",
    "cfn_stack_create",
    "cfn_stack_update",
    "cfn_stack_delete",
    "cfn_noop_update",
    "cfn_no_echo",
    "cfn_change_sets",
    "cfn_termination_protection",
    "cfn_ec2_teardown",
    # EC2 resources as CloudFormation creates and updates them.
    "public_ips",
    "ec2_vpc_attributes_cfn",
    "ec2_subnet_ipv6",
    "ec2_route_cfn",
    "ec2_security_group_cfn",
    "ec2_network_interface_cfn",
    "ec2_instance_cfn",
    "ec2_key_pair_validation",
    "ec2_launch_validation",
    "public_images",
    "ec2_instance_termination",
    "ec2_dependency_checks",
    "ec2_public_address_refusals",
    # Resource types moto lacks.
    "cfn_eip_association",
    "cfn_key_pair",
    "cfn_transit_gateway",
    "cfn_wait_condition",
    # Transit gateway routing and attachments as AWS answers for them, per region.
    "tgw_routing",
    "tgw_peering",
    # Transit gateway resources pass through AWS's states with time (delay_policy, lifecycle).
    "tgw_state_walks",
    "tgw_lifecycle",
    # Site-to-Site VPN as AWS shows it: gateways, connections with real tunnels, routes,
    # route propagation, their CloudFormation types, and tunnel telemetry from the data plane.
    "customer_gateway_filters",
    "customer_gateway_cfn",
    "vpn_gateway_cfn",
    "vpn_connections",
    "vpn_responses",
    "vpn_route_propagation",
    "vpn_cfn",
    "vpn_device_samples",
    # VPN resources pass through AWS's states with time (delay_policy, lifecycle).
    "vpn_state_walks",
    # What AWS refuses on a resource still on its way (needs the walks above).
    "state_refusals",
    "vpn_in_use_refusals",
    "telemetry",
    # Service Quotas: the EC2 quotas a lab is limited by, at AWS's defaults until an increase
    # is approved; the creates that quotas limit refused past the applied value (after the EC2
    # backend mixins above, so the check runs before any of them creates anything).
    "service_quotas",
    "quota_increases",
    "quota_limits",
    # What the data plane reads besides the AWS API: fault switches, regions in use.
    "tunnel_endpoints",
    "regions_in_use",
)

_installed = False


def install() -> None:
    """Import and install all extensions once per process."""
    global _installed
    if _installed:
        return
    for name in EXTENSION_MODULES:
        importlib.import_module(f"labbox.cloud.{name}").install()
    _installed = True
