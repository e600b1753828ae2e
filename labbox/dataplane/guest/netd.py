"""The data plane's request loop in the guest: ``python3 -m guest.netd``.

One JSON object per line on standard input, one answer per line on standard output:

    {"op": "apply", "spec": {...}}      build the network the spec describes (idempotent):
                                        answers {"ok": true, "errors": [...], "seconds": {part: s}}
    {"op": "status"}                    {"ok": true, "tunnels": [...], "instances": {...}}

The spec is made on the host from the twin's API state (``labbox.dataplane.spec``). Applying
it builds what is missing, updates what changed and removes what the spec no longer has, in
dependency order: the internet segment, the VPC routers, the gateways and their links to the
routers, the transit gateways (their VPC and peering links, route tables and VPN responders),
the instances, then the security groups. A failing part is reported in ``errors``
and the others are still applied, so one bad object never stops the whole network.
"""

from __future__ import annotations

import ipaddress
import json
import sys
import time
import traceback
from typing import Any

from . import instances, internet, names, routers, security, shell, transit_gateways, vpn_endpoints

MODULES = ("esp4", "xfrm_user", "ip_vti", "veth", "bridge", "overlay", "nf_conntrack_bridge", "nft_nat")
# Links between a VPC router and a gateway: /30s of the shared address space's top /16,
# which no lab VPC uses.
LINK_RANGE = ipaddress.IPv4Network("100.127.0.0/16")


def _link_addresses(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """A stable /30 for each (gateway, VPC) pair: (router side, gateway side)."""
    blocks = list(LINK_RANGE.subnets(new_prefix=30))
    taken: set[int] = set()
    found = {}
    for pair in sorted(pairs):
        index = int(names.short("".join(pair)), 16) % len(blocks)
        while index in taken:
            index = (index + 1) % len(blocks)
        taken.add(index)
        hosts = list(blocks[index].hosts())
        found[pair] = (str(hosts[0]), str(hosts[1]))
    return found


def _guard(errors: list[str], what: str, action: Any, *args: Any) -> None:
    started = time.monotonic()
    try:
        action(*args)
    except Exception as error:  # one object's failure must not stop the rest of the network
        errors.append(f"{what}: {error}")
    _timings[what] = round(time.monotonic() - started, 2)


# Seconds each part of the last apply took (reported with its answer, logged by the agent).
_timings: dict[str, float] = {}


def _gateway_link(gateway_id: str, vpc_id: str, addresses: tuple[str, str]) -> None:
    router_ns, gateway_ns = names.router_netns(vpc_id), names.gateway_netns(gateway_id)
    router_side, gateway_side = names.gateway_vpc_port(gateway_id, vpc_id)
    shell.ensure_veth(router_side, gateway_side, gateway_ns, outer_netns=router_ns)
    shell.run("ip", "-n", router_ns, "addr", "replace", f"{addresses[0]}/30", "dev", router_side)
    shell.run("ip", "-n", gateway_ns, "addr", "replace", f"{addresses[1]}/30", "dev", gateway_side)


def apply(spec: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    internet.ensure()
    vpcs = {vpc["id"]: vpc for vpc in spec["vpcs"]}
    gateways = [g for g in spec["gateways"] if g["vpc_id"] in vpcs]
    tgws = spec.get("transit_gateways", [])
    # (transit gateway, VPC attachment, VPC) for every VPC attachment whose VPC is built.
    tgw_vpcs = [(t["id"], a["id"], a["resource_id"]) for t in tgws for a in t["attachments"] if a["type"] == "vpc" and a["resource_id"] in vpcs]
    # Peering attachment -> the two gateways it joins (each region lists it from its side).
    peerings: dict[str, list[str]] = {}
    for tgw in tgws:
        for attachment in tgw["attachments"]:
            if attachment["type"] == "peering":
                peerings.setdefault(attachment["id"], []).append(tgw["id"])
    peerings = {a: sorted(sides) for a, sides in peerings.items() if len(set(sides)) == 2}
    for vpc in vpcs.values():
        _guard(errors, f"router of {vpc['id']}", shell.ensure_netns, names.router_netns(vpc["id"]))
    links = _link_addresses(
        [(g["id"], g["vpc_id"]) for g in gateways] + [(t, v) for t, _a, v in tgw_vpcs] + [(a, "peering") for a in peerings]
    )
    next_hops: dict[str, dict[str, str]] = {vpc_id: {} for vpc_id in vpcs}
    for gateway_id, vpc_id in [(g["id"], g["vpc_id"]) for g in gateways] + [(t, v) for t, _a, v in tgw_vpcs]:
        shell.ensure_netns(names.gateway_netns(gateway_id))
        addresses = links[(gateway_id, vpc_id)]
        _guard(errors, f"link {gateway_id}-{vpc_id}", _gateway_link, gateway_id, vpc_id, addresses)
        router_side, _ = names.gateway_vpc_port(gateway_id, vpc_id)
        next_hops[vpc_id][gateway_id] = f"via {addresses[1]} dev {router_side}"
    for vpc in vpcs.values():
        _guard(errors, f"router of {vpc['id']}", routers.ensure, vpc, next_hops[vpc["id"]])
    for gateway in gateways:
        vpc = vpcs[gateway["vpc_id"]]
        link = [{"cidr": vpc["cidr"], "router_address": links[(gateway["id"], gateway["vpc_id"])][0]}]
        _guard(errors, f"VPN endpoints of {gateway['id']}", vpn_endpoints.ensure, gateway, link)
    # Each transit gateway's legs: its VPC links (next hop the router) and its peering links.
    tgw_legs: dict[str, dict[str, tuple[str, str]]] = {t["id"]: {} for t in tgws}
    for tgw_id, attachment_id, vpc_id in tgw_vpcs:
        tgw_legs[tgw_id][attachment_id] = (names.gateway_vpc_port(tgw_id, vpc_id)[1], links[(tgw_id, vpc_id)][0])
    for attachment_id, sides in peerings.items():
        try:
            for tgw_id, leg in transit_gateways.peering_link(attachment_id, sides, links[(attachment_id, "peering")]).items():
                tgw_legs[tgw_id][attachment_id] = leg
        except Exception as error:  # one peering's failure must not stop the rest of the network
            errors.append(f"peering {attachment_id}: {error}")
    for tgw in tgws:
        _guard(errors, f"transit gateway {tgw['id']}", transit_gateways.ensure, tgw, tgw_legs[tgw["id"]])
    wanted_instances = {i["id"]: i for i in spec["instances"]}
    for instance_id in instances.existing() - set(wanted_instances):
        _guard(errors, f"terminating {instance_id}", instances.remove, instance_id)
    for instance in wanted_instances.values():
        if instance.get("running", True):
            _guard(errors, f"instance {instance['id']}", instances.start, instance)
        else:
            _guard(errors, f"stopping {instance['id']}", instances.stop, instance["id"])
    _guard(errors, "security groups", security.apply, list(wanted_instances.values()))
    for gateway_id in vpn_endpoints.existing() - {g["id"] for g in gateways} - {t["id"] for t in tgws}:
        _guard(errors, f"removing {gateway_id}", vpn_endpoints.remove, gateway_id)
    for vpc_id in routers.existing() - set(vpcs):
        _guard(errors, f"removing the router of {vpc_id}", routers.remove, vpc_id)
    wanted_bridges = {names.subnet_bridge(s["id"]) for vpc in vpcs.values() for s in vpc["subnets"]}
    for link in shell.ip_json("link", "show", "type", "bridge"):
        name = link["ifname"]
        if name.startswith("bs") and name not in wanted_bridges:
            _guard(errors, f"removing bridge {name}", shell.run, "ip", "link", "del", name)
    return errors


def status(spec: dict[str, Any] | None) -> dict[str, Any]:
    tunnels: list[dict[str, Any]] = []
    wanted = spec or {"gateways": [], "instances": []}
    for gateway in wanted["gateways"] + [t for t in wanted.get("transit_gateways", []) if t["connections"]]:
        try:
            tunnels += vpn_endpoints.tunnel_states(gateway)
        except shell.CommandError:
            continue
    states = instances.unit_states([i["id"] for i in wanted["instances"]])
    machines = {
        i["id"]: {
            "running": states.get(i["id"]) == "active",
            "state": states.get(i["id"], "inactive"),
            "wanted": i.get("running", True),
            "host_key": instances.host_key(i["id"]),
        }
        for i in wanted["instances"]
    }
    return {"tunnels": tunnels, "instances": machines}


def _answer(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def main() -> int:
    shell.run("modprobe", "-a", *MODULES)
    spec: dict[str, Any] | None = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "apply":
                spec = request["spec"]
                _timings.clear()
                _answer({"ok": True, "errors": apply(spec), "seconds": dict(_timings)})
            elif op == "status":
                _answer({"ok": True, **status(spec)})
            else:
                _answer({"ok": False, "error": f"unknown op {op!r}"})
        except Exception as error:
            _answer({"ok": False, "error": f"{error}", "trace": traceback.format_exc()[-2000:]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
