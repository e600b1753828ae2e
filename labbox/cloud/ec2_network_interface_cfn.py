"""AWS::EC2::NetworkInterface as CloudFormation creates and updates it.

moto's template support read the security groups from a ``SecurityGroups`` property
(CloudFormation's is ``GroupSet``), ignored ``SourceDestCheck`` (the lab's customer
gateway routes for the IDC subnet, so its interface must have it off), ``Description``
updates and secondary addresses, and did not book the fixed private address in the
subnet (an instance could be given the same address). Here all of them are honoured;
``GroupSet``, ``SourceDestCheck`` and ``Description`` update in place, a new
``PrivateIpAddress`` or ``SubnetId`` replaces the interface (per the schema).
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface

from labbox.cloud import patching
from labbox.cloud.cfn_resources import register_updater, tag_dict


class AddressInUse(EC2ClientError):
    def __init__(self, address: str) -> None:
        super().__init__("InvalidIPAddress.InUse", f"Address {address} is in use.")


def as_bool(value: Any, default: bool = True) -> bool:
    """CloudFormation passes booleans as true/false or as the strings "true"/"false"."""
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def ensure_free(subnet: Any, address: str) -> None:
    """Fail like EC2 when a fixed private address is already taken in its subnet."""
    if address in subnet._subnet_ips:
        raise AddressInUse(address)


def _create_from_cloudformation_json(
    cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> NetworkInterface:
    properties = cloudformation_json.get("Properties") or {}
    backend = ec2_backends[account_id][region_name]
    subnet = backend.get_subnet(properties["SubnetId"])
    primary = properties.get("PrivateIpAddress")
    secondary = [
        item["PrivateIpAddress"]
        for item in properties.get("PrivateIpAddresses") or []
        if not as_bool(item.get("Primary"), default=False)
    ]
    if primary is None:
        primary = next(
            (
                item["PrivateIpAddress"]
                for item in properties.get("PrivateIpAddresses") or []
                if as_bool(item.get("Primary"), False)
            ),
            None,
        )
    for address in [a for a in [primary, *secondary] if a]:
        ensure_free(subnet, address)
    eni = backend.create_network_interface(
        subnet,
        primary,
        private_ip_addresses=[{"Primary": False, "PrivateIpAddress": a} for a in secondary] or None,
        group_ids=list(properties.get("GroupSet") or []),
        description=properties.get("Description"),
        tags=tag_dict(properties.get("Tags")),
        secondary_ips_count=properties.get("SecondaryPrivateIpAddressCount"),
    )
    if primary is not None and not any(a.get("Primary") for a in eni.private_ip_addresses):
        eni.private_ip_addresses.insert(0, {"Primary": True, "PrivateIpAddress": primary})
    for address in eni.private_ip_addresses:
        subnet.request_ip(address["PrivateIpAddress"], eni)
    eni.source_dest_check = as_bool(properties.get("SourceDestCheck"))
    return eni


@register_updater("AWS::EC2::NetworkInterface")
def _update(
    eni: NetworkInterface, old: dict[str, Any], new: dict[str, Any], account_id: str, region_name: str
) -> NetworkInterface:
    backend = ec2_backends[account_id][region_name]
    if old.get("GroupSet") != new.get("GroupSet"):
        groups = [backend.get_security_group_from_id(group_id) for group_id in new.get("GroupSet") or []]
        if not groups:
            groups = [backend.get_default_security_group(eni.subnet.vpc_id)]
        eni._group_set = [group for group in groups if group is not None]
    if old.get("SourceDestCheck") != new.get("SourceDestCheck"):
        eni.source_dest_check = as_bool(new.get("SourceDestCheck"))
    if old.get("Description") != new.get("Description"):
        eni.description = new.get("Description") or ""
    unsupported = {"SecondaryPrivateIpAddressCount", "PrivateIpAddresses", "Ipv6AddressCount", "Ipv6Addresses"}
    changed = {key for key in unsupported if old.get(key) != new.get(key)}
    if changed:
        raise EC2ClientError(
            "UnsupportedOperation",
            f"The offline twin cannot change {', '.join(sorted(changed))} of an interface in place.",
        )
    return eni


def install() -> None:
    patching.override(
        NetworkInterface, "create_from_cloudformation_json", classmethod(_create_from_cloudformation_json)
    )
