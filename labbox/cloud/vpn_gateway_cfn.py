"""AWS::EC2::VPNGateway and AWS::EC2::VPCGatewayAttachment as AWS runs them.

moto creates both types but reports no ``AmazonSideAsn`` unless one is given, cannot
delete a VPN gateway, and its attachment model forgets which VPN gateway it attached (so
nothing can detach it when the stack goes away, and the VPC cannot be deleted). These
subclasses of moto's models add the missing pieces; the backend mixin gives gateways
created through the API AWS's default ASN (64512) as well. Tags and the choice between
in-place update and replacement are the stack engine's (see ``vpn_cfn_common``).
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import InvalidParameterValue
from moto.ec2.models.vpn_gateway import VPCGatewayAttachment, VpnGateway
from moto.ec2.utils import random_vpn_gateway_id

from labbox.cloud import cfn_registry
from labbox.cloud.vpn_cfn_common import Ec2BackendLifecycle, Ec2ModelResource, all_but_tags, properties_of, tags_of
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend

DEFAULT_AMAZON_SIDE_ASN = 64512
# AWS accepts a private ASN, or one of Amazon's own public ones.
_PRIVATE_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
_AMAZON_PUBLIC_ASNS = (7224, 9059, 10124, 17493)


def validated_amazon_side_asn(value: Any) -> int:
    """AWS's default (64512) when ``value`` is empty, else a validated ASN."""
    if value in (None, ""):
        return DEFAULT_AMAZON_SIDE_ASN
    try:
        asn = int(value)
    except (TypeError, ValueError) as error:
        raise InvalidParameterValue(f"Value ({value}) for parameter amazonSideAsn is invalid.") from error
    if asn in _AMAZON_PUBLIC_ASNS or any(low <= asn <= high for low, high in _PRIVATE_ASN_RANGES):
        return asn
    raise InvalidParameterValue(
        f"Value ({value}) for parameter amazonSideAsn is invalid. It must be a private ASN "
        "(64512-65534 or 4200000000-4294967294)."
    )


class TwinVpnGateway(Ec2ModelResource, VpnGateway, CloudFormationModel):
    """A virtual private gateway with Tags, an Amazon-side ASN and deletion in CloudFormation."""

    TYPE = "AWS::EC2::VPNGateway"
    ID_ATTRIBUTE = "VPNGatewayId"
    CREATE_ONLY_PROPERTIES = all_but_tags(("AmazonSideAsn", "Tags", "Type"))

    @classmethod
    def create_in(cls, backend: Any, properties: dict[str, Any]) -> TwinVpnGateway:
        return backend.create_vpn_gateway(
            gateway_type=properties.get("Type", "ipsec.1"),
            amazon_side_asn=properties.get("AmazonSideAsn"),
            tags=tags_of(properties),
        )

    def delete_in(self, backend: Any) -> None:
        backend.delete_vpn_gateway(self.id)


class TwinVpcGatewayAttachment(Ec2BackendLifecycle, VPCGatewayAttachment, CloudFormationModel):
    """An internet or VPN gateway attachment that knows its gateway.

    Knowing it is what lets the stack engine's deleter (``cfn_ec2_teardown``) detach the
    gateway, and lets a stack update switch gateways in place (AWS replaces the attachment
    only when ``VpcId`` changes). Its type, ``Ref`` (the VPC id) and attributes stay moto's.
    """

    def __init__(self, vpc_id: str, gateway_id: str | None = None, state: str | None = None) -> None:
        super().__init__(vpc_id, gateway_id=gateway_id, state=state)
        self.cfn_properties: dict[str, Any] = {}

    @classmethod
    def create_in(cls, backend: Any, properties: dict[str, Any]) -> TwinVpcGatewayAttachment:
        vpc_id = properties["VpcId"]
        if properties.get("VpnGatewayId"):
            gateway_id = properties["VpnGatewayId"]
            backend.attach_vpn_gateway(vpn_gateway_id=gateway_id, vpc_id=vpc_id)
        elif properties.get("InternetGatewayId"):
            gateway_id = properties["InternetGatewayId"]
            backend.attach_internet_gateway(internet_gateway_id=gateway_id, vpc_id=vpc_id)
        else:
            raise InvalidParameterValue("A VPC gateway attachment needs VpnGatewayId or InternetGatewayId.")
        attachment = cls(vpc_id, gateway_id=gateway_id, state="attached")
        attachment.cfn_properties = properties
        return attachment

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: TwinVpcGatewayAttachment,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> TwinVpcGatewayAttachment:
        if properties_of(cloudformation_json) == original_resource.cfn_properties:
            return original_resource
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete_in(self, backend: Any) -> None:
        if not self.gateway_id:
            return
        if self.gateway_id.startswith("vgw-"):
            backend.detach_vpn_gateway(vpn_gateway_id=self.gateway_id, vpc_id=self.vpc_id)
        else:
            backend.detach_internet_gateway(internet_gateway_id=self.gateway_id, vpc_id=self.vpc_id)
        self.state = "detached"


class VpnGatewayBackend:
    """EC2 backend mixin: AWS's default Amazon-side ASN, validated, on every VPN gateway."""

    def create_vpn_gateway(
        self,
        gateway_type: str = "ipsec.1",
        amazon_side_asn: str | int | None = None,
        availability_zone: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> TwinVpnGateway:
        if (gateway_type or "ipsec.1") != "ipsec.1":
            raise InvalidParameterValue(f"Value ({gateway_type}) for parameter type is invalid.")
        gateway = TwinVpnGateway(
            self,
            random_vpn_gateway_id(),
            gateway_type or "ipsec.1",
            validated_amazon_side_asn(amazon_side_asn),
            availability_zone,
            tags,
        )
        self.vpn_gateways[gateway.id] = gateway  # type: ignore[attr-defined]
        return gateway


def install() -> None:
    """Use :class:`VpnGatewayBackend` in every EC2 backend; register the CFN types."""
    extend_ec2_backend(VpnGatewayBackend)
    cfn_registry.refresh()
