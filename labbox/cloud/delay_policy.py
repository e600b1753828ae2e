"""How long the twin's resources take to change state: one table per policy.

AWS takes minutes to make a VPN connection ``available`` and passes through ``deleting``
before ``deleted``; a twin that answers at once never exercises a wait. The policy is
chosen by ``LABBOX_DELAYS`` when the server starts:

* ``short`` (the server's default): every transition takes a second or three, so every
  wait and every ordering in the lab's code runs in ``make test`` without making it slow;
* ``aws``: AWS's typical durations (``../shared/reference/FACTS.md``, "Real AWS"), for a
  long run that shows what a user's account run feels like;
* ``none``: instant, as moto is; for in-process unit tests only (and the default there,
  since nothing calls :func:`configure_from_environment` outside the server).

``deleted_retention`` is how long a deleted resource stays visible as ``deleted``
(AWS keeps VPN connections and transit gateways listed for a while after deleting them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType

ENVIRONMENT_VARIABLE = "LABBOX_DELAYS"
DEFAULT_POLICY = "short"

# Seconds spent in the intermediate state of each transition.
TRANSITIONS: tuple[str, ...] = (
    "customer_gateway.create",  # pending -> available
    "customer_gateway.delete",  # deleting -> deleted
    "vpn_connection.create",  # pending -> available
    "vpn_connection.delete",  # deleting -> deleted
    "vpn_gateway.attach",  # attaching -> attached
    "vpn_gateway.detach",  # detaching -> detached
    "transit_gateway.create",  # pending -> available
    "transit_gateway.delete",  # deleting -> deleted
    "tgw_attachment.create",  # pending -> available (VPC and VPN attachments)
    "tgw_attachment.delete",  # deleting -> deleted
    "tgw_association.create",  # associating -> associated
    "tgw_propagation.create",  # enabling -> enabled
    "tgw_peering.request",  # initiatingRequest -> pendingAcceptance
    "tgw_peering.accept",  # pending -> available (after AcceptTransitGatewayPeeringAttachment)
    "tgw_peering.delete",  # deleting -> deleted
    "quota_increase.submit",  # Service Quotas request: PENDING -> CASE_OPENED
    "quota_increase.review",  # CASE_OPENED -> APPROVED (the raised value applies from then on)
    "deleted_retention",  # deleted resources still described, then gone
)

POLICIES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # Instant transitions; deleted records are still described for a while, as always.
        "none": MappingProxyType({**{name: 0.0 for name in TRANSITIONS}, "deleted_retention": 300.0}),
        "short": MappingProxyType(
            {
                "customer_gateway.create": 1.0,
                "customer_gateway.delete": 1.0,
                "vpn_connection.create": 3.0,
                "vpn_connection.delete": 2.0,
                "vpn_gateway.attach": 2.0,
                "vpn_gateway.detach": 1.0,
                "transit_gateway.create": 2.0,
                "transit_gateway.delete": 2.0,
                "tgw_attachment.create": 2.0,
                "tgw_attachment.delete": 2.0,
                "tgw_association.create": 1.0,
                "tgw_propagation.create": 1.0,
                "tgw_peering.request": 1.0,
                "tgw_peering.accept": 2.0,
                "tgw_peering.delete": 2.0,
                "quota_increase.submit": 1.0,
                "quota_increase.review": 2.0,
                "deleted_retention": 300.0,
            }
        ),
        # Typical, not worst, durations (FACTS: VPN 4-7 min with a 30+ min tail; VGW attach
        # has taken > 10 min; TGW 2-5 min; VPC attachment ~5 min; association up to ~10 min;
        # peering create+accept+delete 5-6 min; deletes take minutes). A quota increase: a case
        # opened within a minute, a small one approved within about half an hour (a large one
        # is reviewed by people, for days, which no policy here waits for).
        "aws": MappingProxyType(
            {
                "customer_gateway.create": 10.0,
                "customer_gateway.delete": 10.0,
                "vpn_connection.create": 300.0,
                "vpn_connection.delete": 120.0,
                "vpn_gateway.attach": 90.0,
                "vpn_gateway.detach": 90.0,
                "transit_gateway.create": 180.0,
                "transit_gateway.delete": 120.0,
                "tgw_attachment.create": 300.0,
                "tgw_attachment.delete": 120.0,
                "tgw_association.create": 60.0,
                "tgw_propagation.create": 60.0,
                "tgw_peering.request": 60.0,
                "tgw_peering.accept": 120.0,
                "tgw_peering.delete": 120.0,
                "quota_increase.submit": 60.0,
                "quota_increase.review": 1800.0,
                "deleted_retention": 3600.0,
            }
        ),
    }
)


class InvalidDelayPolicy(ValueError):
    """``LABBOX_DELAYS`` names no policy: the server refuses to start."""


_active: dict[str, object] = {"name": "none", "table": POLICIES["none"]}


def configure(name: str, table: Mapping[str, float] | None = None) -> None:
    """Use policy ``name`` (or, for tests, ``table`` under that name)."""
    if table is None:
        if name not in POLICIES:
            raise InvalidDelayPolicy(
                f"{ENVIRONMENT_VARIABLE}={name!r} is not a delay policy; use one of: {', '.join(sorted(POLICIES))}"
            )
        table = POLICIES[name]
    missing = [transition for transition in TRANSITIONS if transition not in table]
    if missing:
        raise InvalidDelayPolicy(f"delay policy {name!r} has no duration for {', '.join(missing)}")
    _active["name"], _active["table"] = name, MappingProxyType(dict(table))


def configure_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """Read ``LABBOX_DELAYS`` (default ``short``), configure it and return its name."""
    name = (environ.get(ENVIRONMENT_VARIABLE) or DEFAULT_POLICY).strip().lower()
    configure(name)
    return name


def name() -> str:
    return str(_active["name"])


def seconds(transition: str) -> float:
    """How long ``transition`` takes under the active policy."""
    table = _active["table"]
    assert isinstance(table, Mapping)
    return float(table[transition])


def instant() -> bool:
    """True when no transition takes any time (stack operations then finish in the request)."""
    return all(seconds(transition) == 0 for transition in TRANSITIONS if transition != "deleted_retention")
