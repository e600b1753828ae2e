"""DescribeCustomerGateways honours every filter AWS documents, tags and state included.

moto filters customer gateways by id, type, BGP ASN and IP only and ignores the rest, so a
search for the lab's gateways by tag, or for the ones not yet deleted, returned every gateway
ever made (a torn-down lab looked as if it had left one behind).
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.customer_gateways import CustomerGateway, CustomerGatewayBackend
from moto.ec2.utils import generic_filter

from labbox.cloud import patching

_FILTERS = {
    "customer-gateway-id": lambda gateway: gateway.id,
    "state": lambda gateway: gateway.state,
    "type": lambda gateway: gateway.type,
    "bgp-asn": lambda gateway: str(gateway.bgp_asn),
    "ip-address": lambda gateway: gateway.ip_address,
}


def _get_filter_value(self: CustomerGateway, filter_name: str, method_name: str | None = None) -> Any:
    if filter_name in _FILTERS:
        return _FILTERS[filter_name](self)
    # Tag filters (tag:KEY, tag-key, tag-value) are TaggedEC2Resource's.
    return patching.original(CustomerGateway, "get_filter_value", self)(filter_name, method_name)


def _describe_customer_gateways(
    self: CustomerGatewayBackend, filters: Any = None, customer_gateway_ids: list[str] | None = None
) -> list[CustomerGateway]:
    gateways = list(self.customer_gateways.values())
    if customer_gateway_ids:
        gateways = [gateway for gateway in gateways if gateway.id in customer_gateway_ids]
    return generic_filter(filters or {}, gateways)


def install() -> None:
    patching.override(CustomerGateway, "get_filter_value", _get_filter_value)
    patching.override(CustomerGatewayBackend, "describe_customer_gateways", _describe_customer_gateways)
