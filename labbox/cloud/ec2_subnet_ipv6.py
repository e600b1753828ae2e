"""Subnets' IPv6 CIDR blocks as DescribeSubnets shows and filters them.

moto nested the association's state one level too deep, so the API answered the state as
the text of a Python dict (``"{'State': 'associated'}"``), and it refused the filters
``ipv6-cidr-block-association.ipv6-cidr-block``, ``.association-id`` and ``.state`` (which
amazon.aws's subnet module sends whenever a subnet has an IPv6 CIDR). Here the state is
``associated``/``disassociated`` as on AWS, and the three filters work.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models.subnets import Subnet

from labbox.cloud import patching

_FILTERS = {
    "ipv6-cidr-block-association.ipv6-cidr-block": "ipv6CidrBlock",
    "ipv6-cidr-block-association.association-id": "associationId",
}


def _association_set(self: Subnet) -> list[dict[str, Any]]:
    return [
        {
            "ipv6CidrBlock": association["ipv6CidrBlock"],
            "associationId": association["associationId"],
            "ipv6CidrBlockState": {"state": association["ipv6CidrBlockState"]["State"]},
        }
        for association in self.ipv6_cidr_block_associations.values()
        if association["ipv6CidrBlockState"]["State"] == "associated"
    ]


def _get_filter_value(self: Subnet, filter_name: str, method_name: str | None = None) -> Any:
    if filter_name in _FILTERS:
        return [association[_FILTERS[filter_name]] for association in self.ipv6_cidr_block_associations.values()]
    if filter_name == "ipv6-cidr-block-association.state":
        return [association["ipv6CidrBlockState"]["State"] for association in self.ipv6_cidr_block_associations.values()]
    return patching.original(Subnet, "get_filter_value", self)(filter_name, method_name)


def install() -> None:
    patching.override(Subnet, "ipv6_cidr_block_association_set", property(_association_set))
    patching.override(Subnet, "get_filter_value", _get_filter_value)
