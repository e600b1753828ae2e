"""One VPN tunnel as AWS describes it: its options, its addresses, its key and its telemetry.

``describe_vpn_connections`` reports every tunnel twice: once under
``Options.TunnelOptions`` (what was configured, with AWS's defaults filled in) and once
under ``VgwTelemetry`` (what the tunnel endpoint currently sees). Both views come from
the :class:`VpnTunnel` objects here, in tunnel order, so they can never disagree about
which outside IP is tunnel 1.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labbox.cloud.vpn_addresses import (
    InvalidTunnelParameter,
    inside_addresses,
    validate_pre_shared_key,
    validate_tunnel_inside_cidr,
)

TUNNEL_COUNT = 2
TELEMETRY_STATUSES = ("UP", "DOWN")
# What AWS reports for a tunnel that no customer gateway has brought up yet.
INITIAL_STATUS_MESSAGE = "IPSEC IS DOWN"

_ENCRYPTION = ("AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16")
_INTEGRITY = ("SHA1", "SHA2-256", "SHA2-384", "SHA2-512")
_PHASE1_DH = (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
_PHASE2_DH = (2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
_IKE_VERSIONS = ("ikev1", "ikev2")

# The tunnel options AWS applies when a request leaves them out (VpnTunnelOptionsSpecification).
DEFAULT_TUNNEL_OPTIONS: dict[str, Any] = {
    "Phase1LifetimeSeconds": 28800,
    "Phase2LifetimeSeconds": 3600,
    "RekeyMarginTimeSeconds": 270,
    "RekeyFuzzPercentage": 100,
    "ReplayWindowSize": 1024,
    "DpdTimeoutSeconds": 30,
    "DpdTimeoutAction": "clear",
    "Phase1EncryptionAlgorithms": [{"Value": value} for value in _ENCRYPTION],
    "Phase2EncryptionAlgorithms": [{"Value": value} for value in _ENCRYPTION],
    "Phase1IntegrityAlgorithms": [{"Value": value} for value in _INTEGRITY],
    "Phase2IntegrityAlgorithms": [{"Value": value} for value in _INTEGRITY],
    "Phase1DHGroupNumbers": [{"Value": value} for value in _PHASE1_DH],
    "Phase2DHGroupNumbers": [{"Value": value} for value in _PHASE2_DH],
    "IkeVersions": [{"Value": value} for value in _IKE_VERSIONS],
    "StartupAction": "add",
    "LogOptions": {"CloudWatchLogOptions": {"LogEnabled": False}},
    "EnableTunnelLifecycleControl": False,
}

# Request spelling (VpnTunnelOptionsSpecification, also CloudFormation's) -> response spelling
# (TunnelOption). Only DPD and IKE version names differ.
_SPEC_TO_OPTION = {
    "DPDTimeoutSeconds": "DpdTimeoutSeconds",
    "DPDTimeoutAction": "DpdTimeoutAction",
    "IKEVersions": "IkeVersions",
}

# Valid values of the list options, by response name.
_ALLOWED_VALUES: dict[str, tuple[Any, ...]] = {
    "Phase1EncryptionAlgorithms": _ENCRYPTION,
    "Phase2EncryptionAlgorithms": _ENCRYPTION,
    "Phase1IntegrityAlgorithms": _INTEGRITY,
    "Phase2IntegrityAlgorithms": _INTEGRITY,
    "Phase1DHGroupNumbers": (*_PHASE1_DH, 35),
    "Phase2DHGroupNumbers": (*_PHASE2_DH, 35, 36, 37),
    "IkeVersions": _IKE_VERSIONS,
}

_SCALAR_OPTIONS = (
    "Phase1LifetimeSeconds",
    "Phase2LifetimeSeconds",
    "RekeyMarginTimeSeconds",
    "RekeyFuzzPercentage",
    "ReplayWindowSize",
    "DpdTimeoutSeconds",
    "DpdTimeoutAction",
    "StartupAction",
    "EnableTunnelLifecycleControl",
    "LogOptions",
)


@dataclass
class TunnelRequest:
    """What one entry of ``Options.TunnelOptions`` asked for, validated."""

    pre_shared_key: str | None = None
    inside_cidr: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


def _as_int(spec_name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise InvalidTunnelParameter(spec_name, f"{value!r} is not an integer.") from error


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def _check_range(spec_name: str, value: int, low: int, high: int | None = None) -> None:
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidTunnelParameter(spec_name, f"{value} must be {bounds}.")


def _parse_value_list(spec_name: str, option_name: str, items: Any) -> list[dict[str, Any]]:
    allowed = _ALLOWED_VALUES[option_name]
    parsed: list[dict[str, Any]] = []
    for item in items or []:
        raw = item.get("Value") if isinstance(item, Mapping) else item
        value = _as_int(spec_name, raw) if isinstance(allowed[0], int) else str(raw)
        if value not in allowed:
            raise InvalidTunnelParameter(spec_name, f"{raw!r} is not one of {', '.join(map(str, allowed))}.")
        parsed.append({"Value": value})
    return parsed


def parse_tunnel_request(spec: Mapping[str, Any] | None) -> TunnelRequest:
    """Validate one tunnel's requested options like AWS; unknown keys are ignored."""
    request = TunnelRequest()
    for spec_name, raw in (spec or {}).items():
        if raw is None:
            continue
        option_name = _SPEC_TO_OPTION.get(spec_name, spec_name)
        if spec_name == "PreSharedKey":
            request.pre_shared_key = validate_pre_shared_key(raw)
        elif spec_name == "TunnelInsideCidr":
            request.inside_cidr = str(validate_tunnel_inside_cidr(raw))
        elif spec_name == "TunnelInsideIpv6Cidr":
            raise InvalidTunnelParameter(spec_name, "The twin supports IPv4 tunnels only.")
        elif option_name in _ALLOWED_VALUES:
            request.options[option_name] = _parse_value_list(spec_name, option_name, raw)
        elif option_name in ("DpdTimeoutAction", "StartupAction"):
            allowed = ("clear", "none", "restart") if option_name == "DpdTimeoutAction" else ("add", "start")
            if raw not in allowed:
                raise InvalidTunnelParameter(spec_name, f"{raw!r} is not one of {', '.join(allowed)}.")
            request.options[option_name] = raw
        elif option_name == "EnableTunnelLifecycleControl":
            request.options[option_name] = _as_bool(raw)
        elif option_name == "LogOptions":
            request.options[option_name] = copy.deepcopy(dict(raw))
        elif option_name in _SCALAR_OPTIONS:
            request.options[option_name] = _as_int(spec_name, raw)
    _check_lifetimes(request.options)
    return request


def _check_lifetimes(options: Mapping[str, Any]) -> None:
    """AWS's cross-field limits on lifetimes, rekey margin, fuzz, replay window and DPD."""
    effective = {**DEFAULT_TUNNEL_OPTIONS, **options}
    phase1 = effective["Phase1LifetimeSeconds"]
    phase2 = effective["Phase2LifetimeSeconds"]
    _check_range("Phase1LifetimeSeconds", phase1, 900, 28800)
    _check_range("Phase2LifetimeSeconds", phase2, 900, 3600)
    if phase2 >= phase1:
        raise InvalidTunnelParameter("Phase2LifetimeSeconds", "It must be less than Phase1LifetimeSeconds.")
    _check_range("RekeyMarginTimeSeconds", effective["RekeyMarginTimeSeconds"], 60, phase2 // 2)
    _check_range("RekeyFuzzPercentage", effective["RekeyFuzzPercentage"], 0, 100)
    _check_range("ReplayWindowSize", effective["ReplayWindowSize"], 64, 2048)
    _check_range("DPDTimeoutSeconds", effective["DpdTimeoutSeconds"], 30)


def parse_tunnel_requests(specs: list[Mapping[str, Any]] | None) -> list[TunnelRequest]:
    """Exactly :data:`TUNNEL_COUNT` requests, in tunnel order (missing ones are empty)."""
    specs = list(specs or [])
    if len(specs) > TUNNEL_COUNT:
        raise InvalidTunnelParameter("TunnelOptions", f"A VPN connection has {TUNNEL_COUNT} tunnels.")
    requests = [parse_tunnel_request(spec) for spec in specs]
    requests += [TunnelRequest() for _ in range(TUNNEL_COUNT - len(requests))]
    given = [request.inside_cidr for request in requests if request.inside_cidr]
    if len(given) != len(set(given)):
        raise InvalidTunnelParameter("TunnelInsideCidr", "The tunnels of a connection need distinct inside CIDRs.")
    return requests


def _now() -> datetime.datetime:
    # Whole seconds, as AWS reports LastStatusChange.
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


@dataclass
class VpnTunnel:
    """A tunnel endpoint of the virtual private (or transit) gateway."""

    outside_ip: str
    inside_cidr: str
    pre_shared_key: str
    options: dict[str, Any] = field(default_factory=dict)
    status: str = "DOWN"
    status_message: str = INITIAL_STATUS_MESSAGE
    last_status_change: datetime.datetime = field(default_factory=_now)
    accepted_route_count: int = 0

    @property
    def inside_ip_aws(self) -> str:
        return inside_addresses(self.inside_cidr)[0]

    @property
    def inside_ip_customer(self) -> str:
        return inside_addresses(self.inside_cidr)[1]

    def option(self, name: str) -> Any:
        """An effective tunnel option: the requested value or AWS's default."""
        return self.options.get(name, DEFAULT_TUNNEL_OPTIONS[name])

    def tunnel_option(self) -> dict[str, Any]:
        """This tunnel as one ``Options.TunnelOptions`` entry."""
        effective = copy.deepcopy({**DEFAULT_TUNNEL_OPTIONS, **self.options})
        return {
            "OutsideIpAddress": self.outside_ip,
            "TunnelInsideCidr": self.inside_cidr,
            "PreSharedKey": self.pre_shared_key,
            **effective,
        }

    def telemetry(self) -> dict[str, Any]:
        """This tunnel as one ``VgwTelemetry`` entry."""
        return {
            "AcceptedRouteCount": self.accepted_route_count,
            "LastStatusChange": self.last_status_change,
            "OutsideIpAddress": self.outside_ip,
            "Status": self.status,
            "StatusMessage": self.status_message,
        }

    def set_status(self, status: str, message: str = "", accepted_route_count: int | None = None) -> None:
        """Record what the data plane reports now (the twin's contract stamps every report)."""
        if status not in TELEMETRY_STATUSES:
            raise ValueError(f"status must be one of {', '.join(TELEMETRY_STATUSES)}, not {status!r}")
        if accepted_route_count is not None and accepted_route_count < 0:
            raise ValueError("accepted_route_count cannot be negative")
        self.last_status_change = _now()
        self.status = status
        self.status_message = message
        if accepted_route_count is not None:
            self.accepted_route_count = accepted_route_count
