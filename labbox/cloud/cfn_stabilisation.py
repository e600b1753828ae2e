"""When a stack's resource is done: CloudFormation waits for the resource to be stable.

AWS reports ``CREATE_COMPLETE`` for a VPN connection only once it is ``available``, for a
gateway attachment once ``attached``, for a transit gateway, attachment, association or
propagation once it has left its pending state, and ``DELETE_COMPLETE`` only once the
resource is ``deleted``/``detached``; a dependent resource is created only after. This
module finds, for one resource of a stack, the EC2 record whose walk
(:mod:`~labbox.cloud.lifecycle`) decides that, and waits for the end of the walk.

A peering attachment is stable at ``pendingAcceptance``: the peer must accept it, as on AWS.
Resources without a walk are stable at once, unless their type waits for something itself
(:func:`wait_until_stable`: a wait condition for its signals).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from moto.cloudformation.parsing import ResourceMap
from moto.ec2.models import ec2_backends

from labbox.cloud import lifecycle

# Longest sleep between two looks at the clock (the walk is computed, not signalled).
_POLL_SECONDS = 0.25


def _backend(resource_map: ResourceMap) -> Any:
    return ec2_backends[resource_map._account_id][resource_map._region_name]


def _itself(backend: Any, resource: Any) -> Any:
    return resource


def _vpn_gateway_attachment(backend: Any, resource: Any) -> Any:
    gateway_id = getattr(resource, "gateway_id", None) or ""
    if not gateway_id.startswith("vgw-"):
        return None
    gateway = backend.vpn_gateways.get(gateway_id)
    return gateway.attachments.get(resource.vpc_id) if gateway is not None else None


def _tgw_attachment(backend: Any, resource: Any) -> Any:
    return backend.transit_gateway_attachments.get(getattr(resource, "physical_id", ""))


def _relation(records: str) -> Callable[[Any, Any], Any]:
    def find(backend: Any, resource: Any) -> Any:
        _table_id, attachment_id = str(resource.physical_id).split("|")
        return getattr(backend, records).get(attachment_id)

    return find


_TRACKED: dict[str, Callable[[Any, Any], Any]] = {
    "AWS::EC2::CustomerGateway": _itself,
    "AWS::EC2::VPNConnection": _itself,
    "AWS::EC2::VPCGatewayAttachment": _vpn_gateway_attachment,
    "AWS::EC2::TransitGateway": _itself,
    "AWS::EC2::TransitGatewayAttachment": _tgw_attachment,
    "AWS::EC2::TransitGatewayVpcAttachment": _tgw_attachment,
    "AWS::EC2::TransitGatewayPeeringAttachment": _tgw_attachment,
    "AWS::EC2::TransitGatewayRouteTableAssociation": _relation("transit_gateway_associations"),
    "AWS::EC2::TransitGatewayRouteTablePropagation": _relation("transit_gateway_propagations"),
}


def tracked_record(resource_map: ResourceMap, resource_type: str, resource: Any) -> Any:
    """The EC2 record whose state decides when ``resource`` is stable (None: stable at once)."""
    find = _TRACKED.get(resource_type)
    if find is None or resource is None or isinstance(resource, str):
        return None
    return find(_backend(resource_map), resource)


def wait_until_stable(resource: Any, still_wanted: Callable[[], bool]) -> None:
    """Wait for what a resource type itself waits for (a wait condition's signals).

    Raises :class:`~labbox.cloud.cfn_resources.ResourceFailure` when it never will be stable.
    """
    wait = getattr(resource, "wait_until_stable", None)
    if wait is not None:
        wait(still_wanted)


def wait_until_settled(record: Any) -> None:
    """Sleep until ``record`` has reached the end of its walk."""
    if record is None:
        return
    while True:
        remaining = lifecycle.settles_at(record) - lifecycle.now()
        if remaining <= 0:
            return
        time.sleep(min(remaining, _POLL_SECONDS))
