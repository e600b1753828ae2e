"""Security groups and source/destination checks, enforced at each instance's port.

AWS filters at the instance's network interface, statefully: replies to allowed traffic
always pass, and a new flow passes when the sender's egress rules *and* the receiver's
ingress rules allow it. Every instance's interface is one port (``vb-<machine>``) of its
subnet's bridge, so one nftables table of the ``bridge`` family in the guest sees every packet
to or from an instance, including those between two instances of one subnet. Connection
tracking on the bridge (``nf_conntrack_bridge``) gives the statefulness.

With the source/destination check on (EC2's default), an interface may only send from and
receive for its own private address; the customer gateway turns it off to forward.
"""

from __future__ import annotations

from typing import Any

from . import names, shell

TABLE = "labbox_sg"


def _match(rule: dict[str, Any], direction: str) -> str:
    """nft match of one rule (``direction``: 'saddr' for ingress, 'daddr' for egress)."""
    parts = []
    cidrs = rule.get("cidrs") or []
    if "0.0.0.0/0" not in cidrs:
        if not cidrs:
            return ""
        parts.append(f"ip {direction} {{ {', '.join(cidrs)} }}")
    protocol = rule["protocol"]
    low, high = rule.get("from"), rule.get("to")
    if protocol in ("tcp", "udp"):
        parts.append(f"{protocol} dport {low}-{high}" if low is not None and low != high else
                     f"{protocol} dport {low}" if low is not None else f"meta l4proto {protocol}")
    elif protocol == "icmp":
        parts.append("meta l4proto icmp" if low in (None, -1) else
                     f"icmp type {low}" + ("" if high in (None, -1) else f" icmp code {high}"))
    elif protocol != "all":
        parts.append(f"meta l4proto {protocol}")
    return " ".join(parts) or "ether type ip"


def ruleset(instances: list[dict[str, Any]]) -> str:
    """The whole table body for ``instances`` (spec entries with ingress/egress rules)."""
    ports = {names.instance_port(i["id"]): i for i in instances}
    lines = [
        "chain forward {",
        "  type filter hook forward priority 0; policy accept;",
        # Non-IP frames (ARP) pass; the lab is IPv4 only, as the VPCs are.
        "  ether type arp accept",
        "  ether type ip6 drop",
        "  ct state invalid drop",
    ]
    if ports:
        lines.append("  iifname vmap { " + ", ".join(f'"{p}" : jump out_{names.short(i["id"])}' for p, i in ports.items()) + " }")
        lines.append("  ct state established,related accept")
        lines.append("  oifname vmap { " + ", ".join(f'"{p}" : jump in_{names.short(i["id"])}' for p, i in ports.items()) + " }")
    lines.append("}")
    for instance in ports.values():
        tag = names.short(instance["id"])
        ip = instance["private_ip"]
        # Egress: the sender's checks; an allowed packet goes on to the receiver's ingress.
        lines.append(f"chain out_{tag} {{")
        if instance.get("source_dest_check", True):
            lines.append(f"  ip saddr != {ip} drop")
        lines.append("  ct state established,related return")
        for rule in instance.get("egress", []):
            match = _match(rule, "daddr")
            if match:
                lines.append(f"  {match} return")
        lines.append("  drop")
        lines.append("}")
        lines.append(f"chain in_{tag} {{")
        if instance.get("source_dest_check", True):
            lines.append(f"  ip daddr != {ip} drop")
        for rule in instance.get("ingress", []):
            match = _match(rule, "saddr")
            if match:
                lines.append(f"  {match} accept")
        lines.append("  drop")
        lines.append("}")
    return "\n".join(lines)


def apply(instances: list[dict[str, Any]]) -> None:
    shell.replace_table("bridge", TABLE, ruleset(instances))
