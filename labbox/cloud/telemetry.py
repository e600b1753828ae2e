"""Tunnel state from the twin's data plane, written back as VgwTelemetry.

AWS learns a tunnel's state from its own endpoint; the twin's endpoints live in the data
plane, which reports through ``POST /labbox-api/vpn-telemetry`` (or calls
:func:`set_tunnel_telemetry` in-process). Body::

    {"vpn_connection_id": "vpn-…", "outside_ip": "203.0.113.x", "status": "UP"|"DOWN",
     "status_message": "…", "accepted_route_count": 1}

Answers 200 ``{"ok": true}``; 400 for a malformed body or status; 404 when no live
connection has that id or that outside IP. Errors carry ``{"ok": false, "message": …}``.
"""

from __future__ import annotations

from typing import Any

from labbox.cloud import api_routes
from labbox.cloud.vpn_connections import find_vpn_connection
from labbox.cloud.vpn_tunnels import TELEMETRY_STATUSES

ROUTE_PATH = "vpn-telemetry"


class TelemetryError(Exception):
    """A telemetry report the twin cannot apply; ``http_status`` says why (400 or 404)."""

    def __init__(self, http_status: int, message: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.message = message


def set_tunnel_telemetry(
    vpn_connection_id: str,
    outside_ip: str,
    status: str,
    status_message: str = "",
    accepted_route_count: int | None = None,
) -> dict[str, Any]:
    """Update one tunnel's VgwTelemetry; returns the new entry (as describe shows it)."""
    if status not in TELEMETRY_STATUSES:
        raise TelemetryError(400, f"status must be one of {', '.join(TELEMETRY_STATUSES)}, not {status!r}")
    if accepted_route_count is not None and (
        isinstance(accepted_route_count, bool) or not isinstance(accepted_route_count, int) or accepted_route_count < 0
    ):
        raise TelemetryError(400, "accepted_route_count must be a non-negative integer")
    connection = find_vpn_connection(vpn_connection_id)
    if connection is None or connection.state == "deleted":
        raise TelemetryError(404, f"no VPN connection {vpn_connection_id!r}")
    tunnel = connection.tunnel_by_outside_ip(outside_ip)
    if tunnel is None:
        raise TelemetryError(404, f"VPN connection {vpn_connection_id} has no tunnel with outside IP {outside_ip!r}")
    tunnel.set_status(status, status_message, accepted_route_count)
    return tunnel.telemetry()


def _required_string(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise TelemetryError(400, f"{key} is required and must be a string")
    return value


@api_routes.route("POST", ROUTE_PATH)
def vpn_telemetry_route(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """``POST /labbox-api/vpn-telemetry``: apply one tunnel's report."""
    try:
        if not isinstance(body, dict):
            raise TelemetryError(400, "the body must be a JSON object")
        status_message = body.get("status_message", "")
        if not isinstance(status_message, str):
            raise TelemetryError(400, "status_message must be a string")
        set_tunnel_telemetry(
            _required_string(body, "vpn_connection_id"),
            _required_string(body, "outside_ip"),
            _required_string(body, "status"),
            status_message,
            body.get("accepted_route_count"),
        )
    except TelemetryError as error:
        return error.http_status, {"ok": False, "message": error.message}
    return 200, {"ok": True}


def install() -> None:
    """Registering the route happens at import; kept for the extension contract."""
    if api_routes.lookup("POST", api_routes.PREFIX + ROUTE_PATH) is None:
        api_routes.route("POST", ROUTE_PATH)(vpn_telemetry_route)
