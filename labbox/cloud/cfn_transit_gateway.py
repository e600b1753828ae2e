"""Transit Gateway resource types on top of moto's EC2 transit gateway backend.

moto created AWS::EC2::TransitGateway only with a Description (KeyError otherwise, and
its Tags ended up among the options) and never deleted it; it silently skipped every
other Transit Gateway type. Here the gateway is created from any valid properties and
deleted with its stack, and these types exist:

* AWS::EC2::TransitGatewayAttachment / AWS::EC2::TransitGatewayVpcAttachment
  (Ref is the attachment id; SubnetIds and Options update in place where the schema
  allows it — on TransitGatewayAttachment; a VpcAttachment's SubnetIds replace it)
* AWS::EC2::TransitGatewayRouteTable
* AWS::EC2::TransitGatewayRouteTableAssociation / ...Propagation
* AWS::EC2::TransitGatewayRoute (a route to an attachment, or a blackhole)
* AWS::EC2::TransitGatewayPeeringAttachment (left pendingAcceptance, as AWS leaves it
  for the peer to accept)
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.models import ec2_backends
from moto.ec2.models.transit_gateway import TransitGateway

from labbox.cloud import cfn_registry, patching
from labbox.cloud.cfn_resource_base import TwinResource
from labbox.cloud.cfn_resources import ResourceFailure, register_deleter, tag_dict
from labbox.cloud.ec2_network_interface_cfn import as_bool
from labbox.cloud.state_refusals import require_available_attachment


def _create_gateway(
    cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
) -> TransitGateway:
    properties = dict(cloudformation_json.get("Properties") or {})
    description = properties.pop("Description", "") or ""
    tags = tag_dict(properties.pop("Tags", None))
    backend = ec2_backends[account_id][region_name]
    gateway = backend.create_transit_gateway(description=description, options=properties)
    gateway.add_tags(tags)
    return gateway


@register_deleter("AWS::EC2::TransitGateway")
def _delete_gateway(gateway: TransitGateway, account_id: str, region_name: str) -> None:
    backend = ec2_backends[account_id][region_name]
    if gateway.id in backend.transit_gateways:
        backend.delete_transit_gateway(gateway.id)
        backend.tags.pop(gateway.id, None)


def associate(backend: Any, attachment_id: str, table_id: str) -> None:
    """Associate an attachment with a route table, replacing its implicit default association.

    moto records an attachment's association in three places (the route table, the
    attachment, the backend's relation list); all three are kept in step here.
    """
    disassociate(backend, attachment_id)
    for table in backend.transit_gateways_route_tables.values():
        table.route_table_associations.pop(attachment_id, None)
    backend.associate_transit_gateway_route_table(attachment_id, table_id)
    backend.transit_gateway_attachments[attachment_id].transit_gateway_route_table = (
        backend.transit_gateways_route_tables[table_id]
    )


def disassociate(backend: Any, attachment_id: str) -> None:
    association = backend.transit_gateway_associations.get(attachment_id)
    if association is None:
        return
    backend.disassociate_transit_gateway_route_table(attachment_id, association.transit_gateway_route_table_id)
    attachment = backend.transit_gateway_attachments.get(attachment_id)
    if attachment is not None:
        attachment.transit_gateway_route_table = None


class _VpcAttachment(TwinResource):
    ATTRIBUTES = ("Id",)
    TAGGABLE = True

    def create(self) -> str:
        props = self.properties
        attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
            transit_gateway_id=props["TransitGatewayId"],
            vpc_id=props["VpcId"],
            subnet_ids=list(props.get("SubnetIds") or []),
            tags=tag_dict(props.get("Tags")),
            options=dict(props.get("Options") or {}),
        )
        return str(attachment.id)

    def update(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        old_subnets, new_subnets = set(old.get("SubnetIds") or []), set(new.get("SubnetIds") or [])
        self.ec2_backend.modify_transit_gateway_vpc_attachment(
            self.physical_id,
            add_subnet_ids=sorted(new_subnets - old_subnets),
            remove_subnet_ids=sorted(old_subnets - new_subnets),
            options=dict(new.get("Options") or {}) if old.get("Options") != new.get("Options") else None,
        )

    def remove(self) -> None:
        backend = self.ec2_backend
        if self.physical_id not in backend.transit_gateway_attachments:
            return
        disassociate(backend, self.physical_id)
        for table in backend.transit_gateways_route_tables.values():
            table.route_table_associations.pop(self.physical_id, None)
            table.route_table_propagation = [
                p for p in table.route_table_propagation if p.transitGatewayAttachmentId != self.physical_id
            ]
        backend.transit_gateway_propagations.pop(self.physical_id, None)
        backend.delete_transit_gateway_vpc_attachment(self.physical_id)
        backend.tags.pop(self.physical_id, None)

    def attribute(self, name: str) -> Any:
        return self.physical_id


class TransitGatewayAttachmentResource(_VpcAttachment, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayAttachment"


class TransitGatewayVpcAttachmentResource(_VpcAttachment, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayVpcAttachment"


class TransitGatewayRouteTableResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayRouteTable"
    ATTRIBUTES = ("TransitGatewayRouteTableId",)
    TAGGABLE = True

    def create(self) -> str:
        table = self.ec2_backend.create_transit_gateway_route_table(
            transit_gateway_id=self.properties["TransitGatewayId"], tags=tag_dict(self.properties.get("Tags"))
        )
        return str(table.id)

    def remove(self) -> None:
        backend = self.ec2_backend
        if any(
            a.transit_gateway_route_table_id == self.physical_id for a in backend.transit_gateway_associations.values()
        ):
            raise ResourceFailure(f"Transit gateway route table {self.physical_id} still has associations.")
        backend.delete_transit_gateway_route_table(self.physical_id)
        backend.tags.pop(self.physical_id, None)

    def attribute(self, name: str) -> Any:
        return self.physical_id


class TransitGatewayRouteTableAssociationResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayRouteTableAssociation"

    def create(self) -> str:
        attachment_id = self.properties["TransitGatewayAttachmentId"]
        table_id = self.properties["TransitGatewayRouteTableId"]
        require_available_attachment(self.ec2_backend, attachment_id)
        associate(self.ec2_backend, attachment_id, table_id)
        return f"{table_id}|{attachment_id}"

    def remove(self) -> None:
        table_id, attachment_id = self.physical_id.split("|")
        association = self.ec2_backend.transit_gateway_associations.get(attachment_id)
        if association is not None and association.transit_gateway_route_table_id == table_id:
            disassociate(self.ec2_backend, attachment_id)


class TransitGatewayRouteTablePropagationResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayRouteTablePropagation"

    def create(self) -> str:
        attachment_id = self.properties["TransitGatewayAttachmentId"]
        table_id = self.properties["TransitGatewayRouteTableId"]
        require_available_attachment(self.ec2_backend, attachment_id)
        self.ec2_backend.enable_transit_gateway_route_table_propagation(attachment_id, table_id)
        return f"{table_id}|{attachment_id}"

    def remove(self) -> None:
        table_id, attachment_id = self.physical_id.split("|")
        propagation = self.ec2_backend.transit_gateway_propagations.get(attachment_id)
        if propagation is not None and propagation.transit_gateway_route_table_id == table_id:
            self.ec2_backend.disable_transit_gateway_route_table_propagation(attachment_id, table_id)


class TransitGatewayRouteResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayRoute"

    def create(self) -> str:
        props = self.properties
        table_id, destination = props["TransitGatewayRouteTableId"], props["DestinationCidrBlock"]
        blackhole = as_bool(props.get("Blackhole"), default=False)
        if not blackhole and not props.get("TransitGatewayAttachmentId"):
            raise ResourceFailure("A transit gateway route needs TransitGatewayAttachmentId or Blackhole: true.")
        self.ec2_backend.create_transit_gateway_route(
            transit_gateway_route_table_id=table_id,
            destination_cidr_block=destination,
            transit_gateway_attachment_id=props.get("TransitGatewayAttachmentId"),
            blackhole=blackhole,
        )
        return f"{table_id}|{destination}"

    def remove(self) -> None:
        table_id, destination = self.physical_id.split("|")
        table = self.ec2_backend.transit_gateways_route_tables.get(table_id)
        if table is not None and destination in table.routes:
            self.ec2_backend.delete_transit_gateway_route(table_id, destination)


class TransitGatewayPeeringAttachmentResource(TwinResource, CloudFormationModel):
    TYPE = "AWS::EC2::TransitGatewayPeeringAttachment"
    ATTRIBUTES = ("TransitGatewayAttachmentId", "State", "Status", "CreationTime")
    TAGGABLE = True

    def create(self) -> str:
        props = self.properties
        attachment = self.ec2_backend.create_transit_gateway_peering_attachment(
            transit_gateway_id=props["TransitGatewayId"],
            peer_transit_gateway_id=props["PeerTransitGatewayId"],
            peer_region=props.get("PeerRegion") or self.region_name,
            peer_account_id=str(props.get("PeerAccountId") or self.account_id),
            tags=tag_dict(props.get("Tags")),
        )
        self.attachment = attachment
        return str(attachment.id)

    def remove(self) -> None:
        backend = self.ec2_backend
        attachment = backend.transit_gateway_attachments.get(self.physical_id)
        if attachment is not None and attachment.state != "deleted":
            backend.delete_transit_gateway_peering_attachment(self.physical_id)
        backend.tags.pop(self.physical_id, None)

    def attribute(self, name: str) -> Any:
        if name == "TransitGatewayAttachmentId":
            return self.physical_id
        if name == "State":
            return self.attachment.state
        if name == "Status":
            return self.attachment.status
        return self.attachment.create_time


def install() -> None:
    patching.override(TransitGateway, "create_from_cloudformation_json", classmethod(_create_gateway))
    cfn_registry.refresh()
