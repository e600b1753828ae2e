"""Which regions hold anything: the data plane builds those and leaves the other 30 alone.

moto makes a region's EC2 backend (with a default VPC) the first time anything asks about
the region, so "in use" means: a backend exists and has a VPC that is not the default one.

    GET /labbox-api/regions -> {"ok": true, "regions": ["ap-northeast-2", …]}
"""

from __future__ import annotations

from typing import Any

from labbox.cloud import api_routes
from labbox.cloud.vpn_ec2_classes import all_ec2_backends


def regions_in_use() -> list[str]:
    return sorted(
        {
            backend.region_name
            for backend in all_ec2_backends()
            if any(not getattr(vpc, "is_default", False) for vpc in list(backend.vpcs.values()))
        }
    )


@api_routes.route("GET", "regions")
def regions_route(_body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "regions": regions_in_use()}


def install() -> None:
    """Routes register at import; kept for the extension contract."""
