"""Deleting a stack's EC2 resources the way EC2 does, so nothing is left behind.

moto's CloudFormation "delete" of a Route, RouteTable, association, gateway attachment,
InternetGateway, NetworkInterface or EIP did nothing, and its VPC delete ignored the
security groups, gateways and interfaces still inside; a deleted lab stack left all of
them behind. Each deleter here removes the physical resource and what EC2 removes with
it (an instance's delete-on-termination interfaces, an EIP's association, ...), and
refuses with EC2's ``DependencyViolation`` where EC2 would, so a stack delete that cannot
finish ends in ``DELETE_FAILED`` instead of pretending.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ec2.models.instances import Instance

from labbox.cloud import patching
from labbox.cloud.cfn_resources import Deleter, register_deleter


def _backend(account_id: str, region_name: str) -> Any:
    return ec2_backends[account_id][region_name]


def _forget_tags(backend: Any, resource_id: str) -> None:
    backend.tags.pop(resource_id, None)


def _deleter_by_id(collection: str, delete: str) -> Deleter:
    """A deleter for a resource EC2 deletes by id alone (nothing inside it to check first).

    ``collection`` names the backend's dict of them and ``delete`` its delete method; a
    resource already gone (a stack delete retried after a failure) is left alone.
    """

    def deleter(resource: Any, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if resource.id in getattr(backend, collection):
            getattr(backend, delete)(resource.id)
            _forget_tags(backend, resource.id)

    return deleter


def release_interface(backend: Any, eni: NetworkInterface) -> None:
    """Delete an interface: drop its EIP association, give its addresses back to the subnet."""
    for address in list(backend.addresses):
        if address.eni is eni:
            backend.disassociate_address(address=address.public_ip)
    if eni.instance is not None:
        eni.instance.detach_eni(eni)
        eni.status = "available"
    if eni.id in backend.enis:
        backend.delete_network_interface(eni.id)
    for private in eni.private_ip_addresses:
        eni.subnet.del_subnet_ip(private["PrivateIpAddress"])
    _forget_tags(backend, eni.id)


@register_deleter("AWS::EC2::Instance")
def _delete_instance(instance: Any, account_id: str, region_name: str) -> None:
    # What termination does to interfaces and addresses is ec2_instance_termination's.
    _backend(account_id, region_name).terminate_instances([instance.id])


@register_deleter("AWS::EC2::NetworkInterface")
def _delete_interface(eni: NetworkInterface, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    if eni.instance is not None and eni.instance.state != "terminated":
        raise DependencyViolationError(f"Network interface '{eni.id}' is currently in use.")
    release_interface(backend, eni)


@register_deleter("AWS::EC2::EIP")
def _delete_eip(address: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    if address not in backend.addresses:
        return
    allocation_id = address.allocation_id
    if address.association_id or address.eni or address.instance:
        backend.disassociate_address(address=address.public_ip)
    backend.release_address(address=address.public_ip)
    if allocation_id:
        _forget_tags(backend, allocation_id)


@register_deleter("AWS::EC2::Route")
def _delete_route(route: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    table = route.route_table
    if table.id in backend.route_tables and route.id in table._routes:
        del table._routes[route.id]


register_deleter("AWS::EC2::RouteTable")(_deleter_by_id("route_tables", "delete_route_table"))
register_deleter("AWS::EC2::InternetGateway")(_deleter_by_id("internet_gateways", "delete_internet_gateway"))


@register_deleter("AWS::EC2::VPCGatewayAttachment")
def _delete_gateway_attachment(attachment: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    gateway_id = attachment.gateway_id
    if gateway_id and gateway_id.startswith("igw-"):
        gateway = backend.internet_gateways.get(gateway_id)
        if gateway is not None and gateway.vpc is not None and gateway.vpc.id == attachment.vpc_id:
            backend.detach_internet_gateway(gateway_id, attachment.vpc_id)
        return
    if gateway_id and gateway_id in backend.vpn_gateways:
        gateway = backend.vpn_gateways[gateway_id]
        current = gateway.attachments.get(attachment.vpc_id)
        # Still attaching counts too: a stack deleted mid-create detaches what is on its way.
        if current is not None and current.state in ("attaching", "attached"):
            backend.detach_vpn_gateway(gateway_id, attachment.vpc_id)


@register_deleter("AWS::EC2::VPCEndpoint")
def _delete_vpc_endpoint(endpoint: Any, account_id: str, region_name: str) -> None:
    """An interface endpoint's network interfaces go with it (moto kept them, so its subnets
    and VPC could never be deleted)."""
    backend = _backend(account_id, region_name)
    if endpoint.id not in backend.vpc_end_points or endpoint.state == "deleted":
        return
    for eni_id in list(getattr(endpoint, "network_interface_ids", None) or []):
        eni = backend.enis.get(eni_id)
        if eni is not None:
            release_interface(backend, eni)
    backend.delete_vpc_endpoints([endpoint.id])
    backend.vpc_end_points.pop(endpoint.id, None)
    _forget_tags(backend, endpoint.id)


@register_deleter("AWS::EC2::Subnet")
def _delete_subnet(subnet: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    # ec2_dependency_checks refuses while an interface is inside; associations go with the subnet.
    for table in backend.route_tables.values():
        for association_id, target in list(table._associations.items()):
            if target == subnet.id:
                del table._associations[association_id]
    backend.delete_subnet(subnet.id)
    _forget_tags(backend, subnet.id)


@register_deleter("AWS::EC2::SecurityGroup")
def _delete_security_group(group: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    if backend.get_security_group_from_id(group.id) is None:
        return
    backend.delete_security_group(group_id=group.id)
    _forget_tags(backend, group.id)


@register_deleter("AWS::EC2::VPC")
def _delete_vpc(vpc: Any, account_id: str, region_name: str) -> None:
    backend = _backend(account_id, region_name)
    if vpc.id not in backend.vpcs:
        return
    backend.delete_vpc(vpc.id)
    _forget_tags(backend, vpc.id)


def _network_interfaces(self: Instance) -> list[NetworkInterface]:
    """EC2 lists no interfaces for a terminated instance (they were deleted or detached)."""
    if self.state == "terminated":
        return []
    return list(self.nics.values())


def install() -> None:
    """The deleters register on import; terminated instances stop listing interfaces."""
    patching.override(Instance, "network_interfaces", property(_network_interfaces))
