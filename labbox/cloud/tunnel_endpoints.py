"""Stopping and starting a VPN tunnel's AWS-side endpoint: a fault switch for the data plane.

AWS takes a tunnel endpoint down now and then (maintenance, a failure); the customer gateway
must then keep the traffic on the other tunnel. The twin can do that on request, which is how
the tests prove the failover: the switch is part of the twin's state, and the data plane
reads it with the rest and makes the endpoint stop answering.

    POST /labbox-api/tunnel-endpoint  {"vpn_connection_id": …, "outside_ip": …, "state": "stopped"|"running"}
    GET  /labbox-api/tunnel-endpoints -> {"ok": true, "stopped": [{"vpn_connection_id": …, "outside_ip": …}]}
"""

from __future__ import annotations

from typing import Any

from labbox.cloud import api_routes
from labbox.cloud.vpn_connections import find_vpn_connection, live_connections

STATES = ("stopped", "running")


@api_routes.route("POST", "tunnel-endpoint")
def set_endpoint_route(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    vpn_id, outside_ip, state = body.get("vpn_connection_id"), body.get("outside_ip"), body.get("state")
    if state not in STATES:
        return 400, {"ok": False, "message": f"state must be one of {', '.join(STATES)}, not {state!r}"}
    connection = find_vpn_connection(str(vpn_id))
    tunnel = connection.tunnel_by_outside_ip(str(outside_ip)) if connection and connection.state != "deleted" else None
    if tunnel is None:
        return 404, {"ok": False, "message": f"no live VPN connection {vpn_id!r} with a tunnel on {outside_ip!r}"}
    tunnel.endpoint_stopped = state == "stopped"
    return 200, {"ok": True}


@api_routes.route("GET", "tunnel-endpoints")
def stopped_endpoints_route(_body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    stopped = [
        {"vpn_connection_id": connection.id, "outside_ip": tunnel.outside_ip}
        for connection in live_connections()
        for tunnel in connection.tunnels
        if getattr(tunnel, "endpoint_stopped", False)
    ]
    return 200, {"ok": True, "stopped": stopped}


def install() -> None:
    """Routes register at import; kept for the extension contract."""
