"""AWS::EC2::Instance as CloudFormation launches and updates it.

moto's template support ignored ``SecurityGroupIds``, ``NetworkInterfaces``,
``SourceDestCheck`` and ``MetadataOptions``, gave no public address where the subnet
maps one on launch, and an update of any property was an HTTP 500 that broke the stack.
Here the instance is launched with all of them, the way EC2 does:

* ``NetworkInterfaces``: new interfaces (SubnetId, PrivateIpAddress, GroupSet,
  AssociatePublicIpAddress, DeleteOnTermination — default true for interfaces created at
  launch) or existing ones by ``NetworkInterfaceId``; the instance takes its subnet,
  zone and VPC from its primary interface.
* ``SourceDestCheck`` is the primary interface's attribute (EC2 reports one value for
  both), so an instance launched on an interface with the check off reports it off.
* a fixed ``PrivateIpAddress`` already taken fails with ``InvalidIPAddress.InUse``.

Updates follow the resource schema: ImageId, SubnetId, PrivateIpAddress, KeyName,
NetworkInterfaces, AvailabilityZone... replace the instance; InstanceType and UserData are
applied with a stop/start (as EC2 requires), SecurityGroupIds, SourceDestCheck,
MetadataOptions, DisableApiTermination and Monitoring in place.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import Instance, MetadataOptions
from moto.ec2.utils import parse_user_data

from labbox.cloud import patching
from labbox.cloud.cfn_resources import register_updater
from labbox.cloud.ec2_instance_launch_template import with_launch_template
from labbox.cloud.ec2_network_interface_cfn import as_bool, ensure_free

# Properties EC2 only changes on a stopped instance: CloudFormation stops, changes, starts.
_NEEDS_RESTART = {"InstanceType": "instance_type", "UserData": "user_data", "EbsOptimized": "ebs_optimized"}
_IN_PLACE = set(_NEEDS_RESTART) | {
    "SecurityGroupIds",
    "SourceDestCheck",
    "MetadataOptions",
    "DisableApiTermination",
    "Monitoring",
    "IamInstanceProfile",
    "Tags",
}


class InvalidParameterCombination(EC2ClientError):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidParameterCombination", message)


def _interface_specs(backend: Any, specs: list[dict[str, Any]], group_ids: list[str]) -> list[dict[str, Any]]:
    """CloudFormation's NetworkInterfaces entries in the form moto's launch code reads."""
    nics = []
    for spec in specs:
        nic: dict[str, Any] = {"DeviceIndex": int(spec.get("DeviceIndex", 0))}
        if spec.get("NetworkInterfaceId"):
            nic["NetworkInterfaceId"] = spec["NetworkInterfaceId"]
            nics.append(nic)
            continue
        subnet = backend.get_subnet(spec["SubnetId"])
        nic["SubnetId"] = subnet.id
        if spec.get("PrivateIpAddress"):
            ensure_free(subnet, spec["PrivateIpAddress"])
            nic["PrivateIpAddress"] = spec["PrivateIpAddress"]
        nic["Groups"] = list(spec.get("GroupSet") or group_ids)
        if spec.get("AssociatePublicIpAddress") is not None:
            nic["AssociatePublicIpAddress"] = as_bool(spec["AssociatePublicIpAddress"], default=False)
        elif nic["DeviceIndex"] == 0:
            nic["AssociatePublicIpAddress"] = bool(subnet.map_public_ip_on_launch in (True, "true"))
        nic["DeleteOnTermination"] = as_bool(spec.get("DeleteOnTermination"), default=True)
        if spec.get("Description"):
            nic["Description"] = spec["Description"]
        nics.append(nic)
    return sorted(nics, key=lambda nic: nic["DeviceIndex"])


def _create_from_cloudformation_json(
    cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> Instance:
    backend = ec2_backends[account_id][region_name]
    properties = with_launch_template(backend, cloudformation_json.get("Properties") or {}, account_id, region_name)
    group_ids = [str(group) for group in properties.get("SecurityGroupIds") or []]
    interface_specs = properties.get("NetworkInterfaces") or []
    if interface_specs and (properties.get("SubnetId") or group_ids):
        raise InvalidParameterCombination(
            "Network interfaces and an instance-level security groups or subnet may not be specified on the same request"
        )
    nics = _interface_specs(backend, interface_specs, group_ids)
    subnet = backend.get_subnet(properties["SubnetId"]) if properties.get("SubnetId") else None
    if subnet is not None and properties.get("PrivateIpAddress"):
        ensure_free(subnet, properties["PrivateIpAddress"])

    launch: dict[str, Any] = {
        "instance_type": properties.get("InstanceType", "m1.small"),
        "is_instance_type_default": not properties.get("InstanceType"),
        "region_name": region_name,
        "key_name": properties.get("KeyName") or None,
        "security_group_ids": group_ids,
        "nics": nics,
        "metadata_options": dict(properties.get("MetadataOptions") or {}),
        "disable_api_termination": as_bool(properties.get("DisableApiTermination"), default=False),
        "ebs_optimized": as_bool(properties.get("EbsOptimized"), default=False),
        "monitoring_state": "enabled" if as_bool(properties.get("Monitoring"), default=False) else "disabled",
        "instance_initiated_shutdown_behavior": properties.get("InstanceInitiatedShutdownBehavior"),
    }
    if subnet is not None:
        launch["subnet_id"] = subnet.id
        launch["private_ip"] = properties.get("PrivateIpAddress")
        launch["associate_public_ip"] = bool(subnet.map_public_ip_on_launch in (True, "true"))
    if properties.get("AvailabilityZone"):
        launch["placement"] = properties["AvailabilityZone"]
    if properties.get("BlockDeviceMappings"):
        launch["block_device_mappings"] = properties["BlockDeviceMappings"]

    reservation = backend.run_instances(
        image_id=properties.get("ImageId"),
        count=1,
        user_data=parse_user_data(properties.get("UserData")),
        security_group_names=list(properties.get("SecurityGroups") or []),
        **launch,
    )
    instance = reservation.instances[0]
    primary = instance.nics.get(0)
    if subnet is None and primary is not None:
        # Launched on interfaces only: subnet, zone, VPC and groups are the primary interface's.
        instance._subnet_id = primary.subnet.id
        instance._placement.zone = primary.subnet.availability_zone
        if not instance.security_groups:
            instance.security_groups = list(primary._group_set)
    if properties.get("SourceDestCheck") is not None:
        instance.source_dest_check = as_bool(properties["SourceDestCheck"])
    if properties.get("IamInstanceProfile"):
        backend.associate_iam_instance_profile(
            instance_id=instance.id, iam_instance_profile_name=properties["IamInstanceProfile"]
        )
    return instance


def _get_source_dest_check(self: Instance) -> bool:
    nics = getattr(self, "nics", None)
    if nics and 0 in nics:
        return bool(nics[0].source_dest_check)
    return True


def _set_source_dest_check(self: Instance, value: Any) -> None:
    nics = getattr(self, "nics", None)
    if nics and 0 in nics:
        nics[0].source_dest_check = as_bool(value)
    # Before the interfaces exist (moto's constructor sets the default) there is nothing to set.


@register_updater("AWS::EC2::Instance")
def _update(
    instance: Instance, old: dict[str, Any], new: dict[str, Any], account_id: str, region_name: str
) -> Instance:
    backend = ec2_backends[account_id][region_name]
    changed = {key for key in set(old) | set(new) if old.get(key) != new.get(key)}
    unsupported = changed - _IN_PLACE
    if unsupported:
        raise EC2ClientError(
            "UnsupportedOperation",
            f"The offline twin cannot change {', '.join(sorted(unsupported))} of an instance in place.",
        )
    restart = changed & set(_NEEDS_RESTART)
    if restart:
        was_running = instance.state == "running"
        backend.stop_instances([instance.id])
        for prop in restart:
            value = new.get(prop)
            if prop == "UserData":
                value = parse_user_data(value)
            elif prop == "EbsOptimized":
                value = as_bool(value, default=False)
            elif prop == "InstanceType":
                value = value or "m1.small"
            setattr(instance, _NEEDS_RESTART[prop], value)
        if was_running:
            backend.start_instances([instance.id])
    if "SecurityGroupIds" in changed:
        groups = []
        for group_id in new.get("SecurityGroupIds") or []:
            group = backend.get_security_group_from_id(group_id)
            if group is None:
                raise EC2ClientError("InvalidGroup.NotFound", f"The security group '{group_id}' does not exist")
            groups.append(group)
        instance.security_groups = groups
        if 0 in instance.nics:
            instance.nics[0]._group_set = list(groups)
    if "SourceDestCheck" in changed:
        instance.source_dest_check = as_bool(new.get("SourceDestCheck"))
    if "MetadataOptions" in changed:
        instance.metadata_options = MetadataOptions(dict(new.get("MetadataOptions") or {}))
    if "DisableApiTermination" in changed:
        instance.disable_api_termination = as_bool(new.get("DisableApiTermination"), default=False)
    if "Monitoring" in changed:
        instance.monitoring_state = "enabled" if as_bool(new.get("Monitoring"), default=False) else "disabled"
    if "IamInstanceProfile" in changed:
        association = backend.iam_instance_profile_associations.get(instance.id)
        if association is not None:
            backend.disassociate_iam_instance_profile(association_id=association.association_id)
        if new.get("IamInstanceProfile"):
            backend.associate_iam_instance_profile(
                instance_id=instance.id, iam_instance_profile_name=new["IamInstanceProfile"]
            )
    return instance


def install() -> None:
    patching.override(Instance, "create_from_cloudformation_json", classmethod(_create_from_cloudformation_json))
    patching.override(Instance, "source_dest_check", property(_get_source_dest_check, _set_source_dest_check))
