"""CreateVpc, AllocateAddress, CreateVpnGateway and CreateTransitGateway refused past the quota.

The twin answered the quotas a lab is limited by (``service_quotas``) but never held anyone to
them: a sixth VPC in a region, a sixth Elastic IP, virtual private gateway or transit gateway
was created where AWS refuses it. A lab (or a class of labs sharing one twin) that fits on the
twin but not in a default account then passed here and failed on AWS. Here each create counts
what the region already holds against the quota's *applied* value, read from the twin's own
Service Quotas for that account and region (so an approved increase, ``quota_increases``,
counts), and refuses as EC2 does:

===========================  ==========================  ===============================================
quota (Service Quotas)       counted in the region        refused with
===========================  ==========================  ===============================================
vpc L-F678F1CE               every VPC, the default too  ``VpcLimitExceeded``
ec2 L-0263D0A3               every Elastic IP            ``AddressLimitExceeded``
ec2 L-7029FAB6               gateways not ``deleted``    ``VpnGatewayLimitExceeded``
ec2 L-A2478D36               gateways not ``deleted``    ``TransitGatewayLimitExceeded``
===========================  ==========================  ===============================================

Every Elastic IP counts whatever its ``Domain``: EC2-Classic is retired, every address AWS
allocates is a VPC's (moto still allocates ``standard`` ones, e.g. for a template's
``AWS::EC2::EIP`` without ``Domain``). The transit gateway quota is named "per account" but
applies per region, as the twin's Service Quotas answer it (``GlobalQuota`` false).

The checks sit in the EC2 backend's methods, which the API and the twin's CloudFormation types
both call: a stack that creates a sixth VPC fails on it (``CREATE_FAILED`` with EC2's message in
the reason) and rolls back, as on AWS. The region's default VPC is created by the backend itself
before anything else, so it never meets a full quota.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.ec2.exceptions import EC2ClientError
from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import servicequotas_backends

from labbox.cloud.vpn_ec2_classes import extend_ec2_backend

VPCS = ("vpc", "L-F678F1CE")
ELASTIC_IPS = ("ec2", "L-0263D0A3")
VPN_GATEWAYS = ("ec2", "L-7029FAB6")
TRANSIT_GATEWAYS = ("ec2", "L-A2478D36")
# What a default account holds when Service Quotas cannot say (a region moto's Service Quotas
# does not serve): AWS's documented default of each of the four.
_DOCUMENTED_DEFAULT = 5.0

# Counting and creating happen under one lock, so two requests of the threaded server cannot
# both take the last free place. The quota is read before taking it: reading may create a Service
# Quotas backend under moto's own backend lock, and nothing that holds that lock may wait for this
# one (see create_vpc).
_lock = threading.RLock()


class VpcLimitExceeded(EC2ClientError):
    def __init__(self) -> None:
        super().__init__("VpcLimitExceeded", "The maximum number of VPCs has been reached.")


class AddressLimitExceeded(EC2ClientError):
    def __init__(self) -> None:
        super().__init__("AddressLimitExceeded", "The maximum number of addresses has been reached.")


class VpnGatewayLimitExceeded(EC2ClientError):
    def __init__(self) -> None:
        super().__init__("VpnGatewayLimitExceeded", "The maximum number of virtual private gateways has been reached.")


class TransitGatewayLimitExceeded(EC2ClientError):
    def __init__(self) -> None:
        super().__init__("TransitGatewayLimitExceeded", "Transit Gateway limit exceeded")


def applied_quota(account_id: str, region_name: str, quota: tuple[str, str]) -> float:
    """The quota's applied value in one account and region, as GetServiceQuota answers it there."""
    service_code, quota_code = quota
    try:
        backend = servicequotas_backends[account_id][region_name]
        return float(backend.get_service_quota(service_code, quota_code)["Value"])
    except (KeyError, NoSuchResource):
        return _DOCUMENTED_DEFAULT


def _not_deleted(gateways: dict[str, Any]) -> int:
    """Gateways that still count: AWS counts one until it is ``deleted`` (``deleting`` too)."""
    return sum(1 for gateway in gateways.values() if gateway.state != "deleted")


def _refuse_when_full(held: int, limit: float, refusal: type[EC2ClientError]) -> None:
    if held >= limit:
        raise refusal()


class QuotaLimitsBackend:
    """EC2 backend mixin: the four creates refused once the region holds the applied quota."""

    def create_vpc(self, *args: Any, **kwargs: Any) -> Any:
        if not self.vpcs:  # type: ignore[attr-defined]
            # The region's first VPC (its default one, which the backend creates as it is built,
            # under moto's backend lock) fits any quota: nothing to count, nothing to lock.
            return super().create_vpc(*args, **kwargs)  # type: ignore[misc]
        limit = applied_quota(self.account_id, self.region_name, VPCS)  # type: ignore[attr-defined]
        with _lock:
            _refuse_when_full(len(self.vpcs), limit, VpcLimitExceeded)  # type: ignore[attr-defined]
            return super().create_vpc(*args, **kwargs)  # type: ignore[misc]

    def allocate_address(self, *args: Any, **kwargs: Any) -> Any:
        limit = applied_quota(self.account_id, self.region_name, ELASTIC_IPS)  # type: ignore[attr-defined]
        with _lock:
            _refuse_when_full(len(self.addresses), limit, AddressLimitExceeded)  # type: ignore[attr-defined]
            return super().allocate_address(*args, **kwargs)  # type: ignore[misc]

    def create_vpn_gateway(self, *args: Any, **kwargs: Any) -> Any:
        limit = applied_quota(self.account_id, self.region_name, VPN_GATEWAYS)  # type: ignore[attr-defined]
        with _lock:
            held = _not_deleted(self.vpn_gateways)  # type: ignore[attr-defined]
            _refuse_when_full(held, limit, VpnGatewayLimitExceeded)
            return super().create_vpn_gateway(*args, **kwargs)  # type: ignore[misc]

    def create_transit_gateway(self, *args: Any, **kwargs: Any) -> Any:
        limit = applied_quota(self.account_id, self.region_name, TRANSIT_GATEWAYS)  # type: ignore[attr-defined]
        with _lock:
            held = _not_deleted(self.transit_gateways)  # type: ignore[attr-defined]
            _refuse_when_full(held, limit, TransitGatewayLimitExceeded)
            return super().create_transit_gateway(*args, **kwargs)  # type: ignore[misc]


def install() -> None:
    extend_ec2_backend(QuotaLimitsBackend)
