"""AWS::EC2::SecurityGroup rules as CloudFormation applies them.

moto's template support read ``FromPort``/``ToPort`` unconditionally (``IpProtocol: '-1'``
without ports was an HTTP 500), ignored ``SecurityGroupEgress`` and rule descriptions,
and "updated" a group by deleting and recreating it (a new group id, and a failure while
instances still use it). Here:

* every rule form CloudFormation accepts is honoured (CidrIp, CidrIpv6, source/destination
  group, prefix list, Description); all-protocol rules carry no ports, as EC2 reports them;
* ``SecurityGroupEgress`` replaces the default allow-all egress rule, as on AWS;
* changing ``SecurityGroupIngress``/``SecurityGroupEgress`` updates the rules in place
  (the group keeps its id); GroupName/GroupDescription/VpcId changes replace it;
* a standalone AWS::EC2::SecurityGroupIngress is revoked when its stack deletes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.security_groups import SecurityGroup, SecurityGroupIngress, SecurityGroupRule

from labbox.cloud import patching
from labbox.cloud.cfn_resources import register_deleter, register_updater, tag_dict

ALL_PROTOCOLS = ("-1", "all")


class MissingPort(EC2ClientError):
    def __init__(self, protocol: str) -> None:
        super().__init__(
            "InvalidParameterValue",
            f"Invalid value for portRange. Must specify both from and to ports with TCP/UDP ({protocol}).",
        )


def rule_arguments(spec: Mapping[str, Any], egress: bool) -> dict[str, Any]:
    """The backend's authorize/revoke arguments for one CloudFormation rule."""
    protocol = str(spec.get("IpProtocol", "-1")).lower()
    from_port, to_port = spec.get("FromPort"), spec.get("ToPort")
    if protocol in ALL_PROTOCOLS:
        protocol, from_port, to_port = "-1", None, None
    elif protocol in ("tcp", "udp", "6", "17") and (from_port is None or to_port is None):
        raise MissingPort(protocol)
    elif from_port is None:
        from_port = to_port = -1
    description = spec.get("Description")
    extra = {"Description": description} if description else {}
    ip_ranges: list[dict[str, Any]] = []
    if spec.get("CidrIp"):
        ip_ranges.append({"CidrIp": spec["CidrIp"], **extra})
    if spec.get("CidrIpv6"):
        ip_ranges.append({"CidrIpv6": spec["CidrIpv6"], **extra})
    peer_id = spec.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")
    peer_name = None if egress else spec.get("SourceSecurityGroupName")
    source_groups = []
    if peer_id or peer_name:
        peer = {"GroupId": peer_id} if peer_id else {"GroupName": peer_name}
        source_groups.append({**peer, **extra})
    prefix = spec.get("DestinationPrefixListId" if egress else "SourcePrefixListId")
    prefix_list_ids = [{"PrefixListId": prefix, **extra}] if prefix else []
    return {
        "ip_protocol": protocol,
        "from_port": from_port,
        "to_port": to_port,
        "ip_ranges": ip_ranges,
        "source_groups": source_groups,
        "prefix_list_ids": prefix_list_ids,
    }


def set_ingress(backend: Any, group: SecurityGroup, rules: list[Mapping[str, Any]]) -> None:
    group.ingress_rules.clear()
    for spec in rules:
        backend.authorize_security_group_ingress(group.id, vpc_id=group.vpc_id, **rule_arguments(spec, egress=False))


def set_egress(backend: Any, group: SecurityGroup, rules: list[Mapping[str, Any]] | None) -> None:
    """Without rules a VPC group has EC2's default allow-all egress; with rules, exactly those."""
    group.egress_rules.clear()
    if rules is None:
        if group.vpc_id:
            group.egress_rules.append(SecurityGroupRule(backend, "-1", group.id, None, None, {"CidrIp": "0.0.0.0/0"}))
        return
    for spec in rules:
        backend.authorize_security_group_egress(group.id, vpc_id=group.vpc_id, **rule_arguments(spec, egress=True))


def _create_from_cloudformation_json(
    cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> SecurityGroup:
    properties = cloudformation_json.get("Properties") or {}
    backend = ec2_backends[account_id][region_name]
    group = backend.create_security_group(
        name=properties.get("GroupName") or resource_name,
        description=properties.get("GroupDescription"),
        vpc_id=properties.get("VpcId"),
        tags=tag_dict(properties.get("Tags")),
    )
    try:
        set_ingress(backend, group, properties.get("SecurityGroupIngress") or [])
        set_egress(backend, group, properties.get("SecurityGroupEgress"))
    except Exception:
        # A group whose rules failed must not outlive the failed resource.
        backend.delete_security_group(group_id=group.id)
        raise
    return group


@register_updater("AWS::EC2::SecurityGroup")
def _update_rules(
    group: SecurityGroup, old: dict[str, Any], new: dict[str, Any], account_id: str, region_name: str
) -> SecurityGroup:
    backend = ec2_backends[account_id][region_name]
    if old.get("SecurityGroupIngress") != new.get("SecurityGroupIngress"):
        set_ingress(backend, group, new.get("SecurityGroupIngress") or [])
    if old.get("SecurityGroupEgress") != new.get("SecurityGroupEgress"):
        set_egress(backend, group, new.get("SecurityGroupEgress"))
    return group


@register_deleter("AWS::EC2::SecurityGroupIngress")
def _revoke_ingress(ingress: SecurityGroupIngress, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    group = ingress.security_group
    if backend.get_security_group_from_id(group.id) is None:
        return
    arguments = rule_arguments(ingress.properties, egress=False)
    wanted = [
        SecurityGroupRule(backend, arguments["ip_protocol"], group.id, arguments["from_port"], arguments["to_port"], r)
        for r in arguments["ip_ranges"]
    ] + [
        SecurityGroupRule(
            backend, arguments["ip_protocol"], group.id, arguments["from_port"], arguments["to_port"], None, s
        )
        for s in backend._add_source_group(arguments["source_groups"], group.vpc_id)
    ]
    group.ingress_rules[:] = [rule for rule in group.ingress_rules if rule not in wanted]


def install() -> None:
    patching.override(SecurityGroup, "create_from_cloudformation_json", classmethod(_create_from_cloudformation_json))
