"""Routes and route-table associations from templates, as EC2 keeps them.

* AWS::EC2::SubnetRouteTableAssociation only made a record moto's DescribeRouteTables
  never shows, so a subnet stayed on the main route table (the lab's private subnet
  never saw its route to the other site). It now associates the subnet for real; ``Ref``
  is the association id (rtbassoc-...), and deleting it disassociates.
* Changing an AWS::EC2::Route's target (GatewayId, NetworkInterfaceId, InstanceId, ...)
  replaces the route's target in place (EC2 ReplaceRoute), as CloudFormation does; a new
  destination or route table replaces the route.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.ec2.models import ec2_backends
from moto.ec2.models.subnets import SubnetRouteTableAssociation

from labbox.cloud import patching
from labbox.cloud.cfn_resources import register_deleter, register_updater

_TARGETS = {
    "GatewayId": "gateway_id",
    "NetworkInterfaceId": "interface_id",
    "InstanceId": "instance_id",
    "NatGatewayId": "nat_gateway_id",
    "TransitGatewayId": "transit_gateway_id",
    "VpcPeeringConnectionId": "vpc_peering_connection_id",
    "EgressOnlyInternetGatewayId": "egress_only_igw_id",
}


class RouteTableAssociation(SubnetRouteTableAssociation):
    """An association that exists in the route table; its physical id is the association id."""

    def __init__(self, route_table_id: str, subnet_id: str, association_id: str):
        super().__init__(route_table_id, subnet_id)
        self.association_id = association_id

    @property
    def physical_resource_id(self) -> str:
        return self.association_id

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Id":
            return self.association_id
        raise UnformattedGetAttTemplateException()


def _create_association(
    cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> RouteTableAssociation:
    properties = cloudformation_json.get("Properties") or {}
    backend = ec2_backends[account_id][region_name]
    table_id, subnet_id = properties["RouteTableId"], properties["SubnetId"]
    association_id = backend.associate_route_table(table_id, subnet_id=subnet_id)
    return RouteTableAssociation(table_id, subnet_id, association_id)


@register_deleter("AWS::EC2::SubnetRouteTableAssociation")
def _delete_association(association: Any, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    association_id = getattr(association, "association_id", None)
    table = backend.route_tables.get(association.route_table_id)
    if association_id and table is not None and association_id in table._associations:
        backend.disassociate_route_table(association_id)


@register_updater("AWS::EC2::Route")
def _replace_target(route: Any, old: dict[str, Any], new: dict[str, Any], account_id: str, region_name: str) -> Any:
    backend = ec2_backends[account_id][region_name]
    targets = {argument: new.get(prop) for prop, argument in _TARGETS.items() if new.get(prop)}
    backend.replace_route(route.route_table.id, route.destination_cidr_block, **targets)
    return route.route_table._routes[route.id]


def install() -> None:
    patching.override(SubnetRouteTableAssociation, "create_from_cloudformation_json", classmethod(_create_association))
