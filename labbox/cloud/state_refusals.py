"""Actions AWS refuses while a resource is still on its way, refused here too.

Now that resources pass through ``pending`` (``vpn_state_walks``, ``tgw_state_walks``), the
twin refuses what AWS refuses on a resource in the wrong state, where the lab can get
there (a template without the ``DependsOn`` it needs; a module that does not wait):

* a VPC route to a transit gateway whose attachment in that VPC is not ``available``:
  ``InvalidTransitGatewayID.NotFound`` (what AWS answers until the attachment is there);
* a transit gateway route to an attachment that is not ``available``, and associating or
  propagating one: ``IncorrectState``;
* accepting a peering attachment that is not ``pendingAcceptance``: ``IncorrectState``;
* attaching a VPC to a transit gateway that is not ``available``: ``IncorrectState``.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import EC2ClientError

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend, extend_ec2_response


class IncorrectState(EC2ClientError):
    def __init__(self, resource_id: str, state: str) -> None:
        super().__init__("IncorrectState", f"{resource_id} is in invalid state ({state})")


class TransitGatewayNotFoundForRoute(EC2ClientError):
    def __init__(self, transit_gateway_id: str) -> None:
        super().__init__(
            "InvalidTransitGatewayID.NotFound", f"The transitGateway ID '{transit_gateway_id}' does not exist."
        )


def require_available_attachment(backend: Any, attachment_id: str | None) -> None:
    """Refuse an action on a transit gateway attachment that is not ``available`` (unknown ones are moto's to refuse)."""
    attachment = backend.transit_gateway_attachments.get(attachment_id or "")
    if attachment is not None and attachment.state != "available":
        raise IncorrectState(attachment.id, attachment.state)


def _vpc_of_route_table(backend: Any, route_table_id: str) -> str | None:
    table = backend.route_tables.get(route_table_id)
    return table.vpc_id if table is not None else None


class StateRefusalsBackend:
    """EC2 backend mixin: the refusals that apply to every caller (API and CloudFormation)."""

    def create_route(self, route_table_id: str, destination_cidr_block: str | None, *args: Any, **kwargs: Any) -> Any:
        transit_gateway_id = kwargs.get("transit_gateway_id")
        if transit_gateway_id:
            vpc_id = _vpc_of_route_table(self, route_table_id)
            attached = any(
                a.transit_gateway_id == transit_gateway_id
                and a.resource_type == "vpc"
                and a.resource_id == vpc_id
                and a.state == "available"
                for a in self.transit_gateway_attachments.values()  # type: ignore[attr-defined]
            )
            if vpc_id is not None and not attached:
                raise TransitGatewayNotFoundForRoute(transit_gateway_id)
        return super().create_route(route_table_id, destination_cidr_block, *args, **kwargs)  # type: ignore[misc]

    def create_transit_gateway_route(
        self, transit_gateway_route_table_id: str, destination_cidr_block: str, *args: Any, **kwargs: Any
    ) -> Any:
        attachment_id = kwargs.get("transit_gateway_attachment_id", args[0] if args else None)
        blackhole = kwargs.get("blackhole", args[1] if len(args) > 1 else False)
        if not blackhole:
            require_available_attachment(self, attachment_id)
        return super().create_transit_gateway_route(  # type: ignore[misc]
            transit_gateway_route_table_id, destination_cidr_block, *args, **kwargs
        )

    def accept_transit_gateway_peering_attachment(self, transit_gateway_attachment_id: str) -> Any:
        attachment = self.transit_gateway_attachments.get(transit_gateway_attachment_id)  # type: ignore[attr-defined]
        if attachment is not None and attachment.state != "pendingAcceptance":
            raise IncorrectState(attachment.id, attachment.state)
        return super().accept_transit_gateway_peering_attachment(transit_gateway_attachment_id)  # type: ignore[misc]

    def create_transit_gateway_vpc_attachment(self, transit_gateway_id: str, *args: Any, **kwargs: Any) -> Any:
        gateway = self.transit_gateways.get(transit_gateway_id)  # type: ignore[attr-defined]
        if gateway is not None and gateway.state not in ("available", "modifying"):
            raise IncorrectState(gateway.id, gateway.state)
        return super().create_transit_gateway_vpc_attachment(transit_gateway_id, *args, **kwargs)  # type: ignore[misc]


class StateRefusalsResponse:
    """EC2 response mixin: refusals for calls the twin also makes itself (default association)."""

    def associate_transit_gateway_route_table(self) -> Any:
        require_available_attachment(self.ec2_backend, self._get_param("TransitGatewayAttachmentId"))  # type: ignore[attr-defined]
        return super().associate_transit_gateway_route_table()  # type: ignore[misc]

    def enable_transit_gateway_route_table_propagation(self) -> Any:
        require_available_attachment(self.ec2_backend, self._get_param("TransitGatewayAttachmentId"))  # type: ignore[attr-defined]
        return super().enable_transit_gateway_route_table_propagation()  # type: ignore[misc]


def install() -> None:
    extend_ec2_backend(StateRefusalsBackend)
    extend_ec2_response(StateRefusalsResponse)
