"""AWS::EC2::CustomerGateway on the twin (moto skips the type silently).

The customer gateway of the lab is IDC-CGW's public address; the VPN stack creates it from
a parameter. moto's :class:`CustomerGateway` stays the model; this subclass adds the
CloudFormation side (create, delete; every change but Tags replaces it), and the backend
mixin makes every customer gateway, from the API or a stack, one of these.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.ec2.exceptions import InvalidParameterValue, MissingParameterError
from moto.ec2.models.customer_gateways import CustomerGateway
from moto.ec2.utils import random_customer_gateway_id

from labbox.cloud import cfn_registry
from labbox.cloud.vpn_cfn_common import Ec2ModelResource, all_but_tags, tags_of
from labbox.cloud.vpn_ec2_classes import extend_ec2_backend

DEFAULT_BGP_ASN = "65000"
GATEWAY_TYPES = ("ipsec.1",)


class TwinCustomerGateway(Ec2ModelResource, CloudFormationModel, CustomerGateway):
    """A customer gateway that CloudFormation can manage."""

    TYPE = "AWS::EC2::CustomerGateway"
    ID_ATTRIBUTE = "CustomerGatewayId"
    # Every property but Tags replaces a customer gateway.
    CREATE_ONLY_PROPERTIES = all_but_tags(
        ("BgpAsn", "BgpAsnExtended", "CertificateArn", "DeviceName", "IpAddress", "Tags", "Type")
    )

    @property
    def customer_gateway_id(self) -> str:
        return self.id

    @classmethod
    def create_in(cls, backend: Any, properties: dict[str, Any]) -> TwinCustomerGateway:
        return backend.create_customer_gateway(
            properties.get("Type", "ipsec.1"),
            ip_address=properties.get("IpAddress"),
            bgp_asn=properties.get("BgpAsn"),
            tags=tags_of(properties),
        )

    def delete_in(self, backend: Any) -> None:
        backend.delete_customer_gateway(self.id)


class CustomerGatewayBackend:
    """EC2 backend mixin: validate like AWS and store :class:`TwinCustomerGateway` objects."""

    def create_customer_gateway(
        self,
        gateway_type: str,
        ip_address: str,
        bgp_asn: str | None,
        tags: dict[str, str] | None = None,
    ) -> TwinCustomerGateway:
        gateway_type = gateway_type or "ipsec.1"
        if gateway_type not in GATEWAY_TYPES:
            raise InvalidParameterValue(f"Value ({gateway_type}) for parameter type is invalid.")
        if not ip_address:
            raise MissingParameterError("ipAddress")
        try:
            ipaddress.IPv4Address(ip_address)
        except ValueError as error:
            raise InvalidParameterValue(f"Value ({ip_address}) for parameter ipAddress is invalid.") from error
        gateway = TwinCustomerGateway(
            self,
            random_customer_gateway_id(),
            gateway_type,
            ip_address,
            str(bgp_asn) if bgp_asn not in (None, "") else DEFAULT_BGP_ASN,
            tags=tags,
        )
        self.customer_gateways[gateway.id] = gateway  # type: ignore[attr-defined]
        return gateway


def install() -> None:
    """Use :class:`CustomerGatewayBackend` in every EC2 backend; register the CFN type."""
    extend_ec2_backend(CustomerGatewayBackend)
    cfn_registry.refresh()
