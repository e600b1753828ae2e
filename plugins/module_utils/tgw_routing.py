# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A transit gateway's routing as one record: its attachments and its route tables with their
associations, propagations and routes.

EC2 spreads this over five calls (DescribeTransitGateways, DescribeTransitGatewayAttachments,
DescribeTransitGatewayRouteTables, GetTransitGatewayRouteTableAssociations/Propagations and
SearchTransitGatewayRoutes, which needs a filter). amazon.aws has no transit gateway module and
community.aws none that reads routes, so the lab's playbooks read them through this.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridlab.aws.plugins.module_utils.aws_errors import error_handler

Record = Dict[str, Any]

# Every route state SearchTransitGatewayRoutes knows; it insists on a filter.
ROUTE_STATES = ["active", "blackhole", "pending"]
# Attachment states after which an attachment will never become available.
DEAD_ATTACHMENT_STATES = ("deleting", "deleted", "failing", "failed", "rejecting", "rejected")


class TransitGatewayError(AnsibleAWSError):
    """Reading a transit gateway or one of its parts failed."""


_TransitGatewayErrorHandler = error_handler(TransitGatewayError, "InvalidTransitGatewayID.NotFound")
_AttachmentErrorHandler = error_handler(TransitGatewayError, "InvalidTransitGatewayAttachmentID.NotFound")


def _name(resource: Record) -> Optional[str]:
    return next((tag["Value"] for tag in resource.get("Tags") or [] if tag["Key"] == "Name"), None)


@_TransitGatewayErrorHandler.list_error_handler("describe transit gateway", None)
@AWSRetry.jittered_backoff()
def describe_transit_gateway(client: Any, transit_gateway_id: str) -> Optional[Record]:
    gateways = client.describe_transit_gateways(TransitGatewayIds=[transit_gateway_id])["TransitGateways"]
    live = [g for g in gateways if g.get("State") != "deleted"]
    return live[0] if live else None


@_AttachmentErrorHandler.list_error_handler("describe transit gateway attachments", [])
@AWSRetry.jittered_backoff()
def describe_attachments(client: Any, filters: List[Record]) -> List[Record]:
    paginator = client.get_paginator("describe_transit_gateway_attachments")
    return paginator.paginate(Filters=filters).build_full_result()["TransitGatewayAttachments"]


@_AttachmentErrorHandler.list_error_handler("describe transit gateway peering attachment", None)
@AWSRetry.jittered_backoff()
def describe_peering_attachment(client: Any, attachment_id: str) -> Optional[Record]:
    found = client.describe_transit_gateway_peering_attachments(TransitGatewayAttachmentIds=[attachment_id])
    live = [a for a in found["TransitGatewayPeeringAttachments"] if a.get("State") != "deleted"]
    return live[0] if live else None


@_AttachmentErrorHandler.common_error_handler("accept transit gateway peering attachment")
@AWSRetry.jittered_backoff()
def accept_peering_attachment(client: Any, attachment_id: str) -> Record:
    return client.accept_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)["TransitGatewayPeeringAttachment"]


@_AttachmentErrorHandler.common_error_handler("reject transit gateway peering attachment")
@AWSRetry.jittered_backoff()
def reject_peering_attachment(client: Any, attachment_id: str) -> Record:
    return client.reject_transit_gateway_peering_attachment(TransitGatewayAttachmentId=attachment_id)["TransitGatewayPeeringAttachment"]


@_TransitGatewayErrorHandler.list_error_handler("describe transit gateway route tables", [])
@AWSRetry.jittered_backoff()
def _route_tables(client: Any, transit_gateway_id: str) -> List[Record]:
    paginator = client.get_paginator("describe_transit_gateway_route_tables")
    filters = [{"Name": "transit-gateway-id", "Values": [transit_gateway_id]}]
    tables = paginator.paginate(Filters=filters).build_full_result()["TransitGatewayRouteTables"]
    return [t for t in tables if t.get("State") not in ("deleting", "deleted")]


@AWSRetry.jittered_backoff()
def _associations(client: Any, table_id: str) -> List[Record]:
    paginator = client.get_paginator("get_transit_gateway_route_table_associations")
    return paginator.paginate(TransitGatewayRouteTableId=table_id).build_full_result()["Associations"]


@AWSRetry.jittered_backoff()
def _propagations(client: Any, table_id: str) -> List[Record]:
    paginator = client.get_paginator("get_transit_gateway_route_table_propagations")
    result = paginator.paginate(TransitGatewayRouteTableId=table_id).build_full_result()
    return result["TransitGatewayRouteTablePropagations"]


@AWSRetry.jittered_backoff()
def _routes(client: Any, table_id: str) -> List[Record]:
    filters = [{"Name": "state", "Values": ROUTE_STATES}]
    return client.search_transit_gateway_routes(TransitGatewayRouteTableId=table_id, Filters=filters)["Routes"]


def attachment_record(attachment: Record) -> Record:
    association = attachment.get("Association") or {}
    return {
        "transit_gateway_attachment_id": attachment["TransitGatewayAttachmentId"],
        "name": _name(attachment),
        "resource_type": attachment.get("ResourceType"),
        "resource_id": attachment.get("ResourceId"),
        "state": attachment.get("State"),
        "associated_route_table_id": association.get("TransitGatewayRouteTableId") if association.get("State") == "associated" else None,
    }


def route_record(route: Record) -> Record:
    attachment = (route.get("TransitGatewayAttachments") or [{}])[0]
    return {
        "destination_cidr_block": route.get("DestinationCidrBlock"),
        "type": route.get("Type"),
        "state": route.get("State"),
        "transit_gateway_attachment_id": attachment.get("TransitGatewayAttachmentId"),
        "resource_type": attachment.get("ResourceType"),
        "resource_id": attachment.get("ResourceId"),
    }


def read_routing(client: Any, transit_gateway_id: str) -> Optional[Record]:
    """The gateway with its attachments and route tables, or None when EC2 does not know it."""
    gateway = describe_transit_gateway(client, transit_gateway_id)
    if gateway is None:
        return None
    attachments = describe_attachments(client, [{"Name": "transit-gateway-id", "Values": [transit_gateway_id]}])
    tables = []
    for table in _route_tables(client, transit_gateway_id):
        table_id = table["TransitGatewayRouteTableId"]
        tables.append(
            {
                "transit_gateway_route_table_id": table_id,
                "name": _name(table),
                "associations": sorted(a["TransitGatewayAttachmentId"] for a in _associations(client, table_id) if a.get("State") == "associated"),
                "propagations": sorted(p["TransitGatewayAttachmentId"] for p in _propagations(client, table_id) if p.get("State") == "enabled"),
                "routes": sorted((route_record(r) for r in _routes(client, table_id)), key=lambda r: r["destination_cidr_block"] or ""),
            }
        )
    return {
        "transit_gateway_id": transit_gateway_id,
        "name": _name(gateway),
        "state": gateway.get("State"),
        "amazon_side_asn": (gateway.get("Options") or {}).get("AmazonSideAsn"),
        "attachments": sorted(
            (attachment_record(a) for a in attachments if a.get("State") != "deleted"),
            key=lambda a: a["transit_gateway_attachment_id"],
        ),
        "route_tables": sorted(tables, key=lambda t: t["transit_gateway_route_table_id"]),
    }


def matching_attachments(routing: Record, resource_type: Optional[str], resource_id: Optional[str]) -> List[Record]:
    return [
        a
        for a in routing["attachments"]
        if (not resource_type or a["resource_type"] == resource_type) and (not resource_id or a["resource_id"] == resource_id)
    ]
