"""A VPC's implicit router, as one network namespace per VPC.

AWS routes inside a VPC with an implicit router that has a leg in every subnet (at the
subnet's first address, the ".1" an instance uses as gateway) and looks packets up in the
route table associated with the subnet they come from. Here:

* each subnet's leg is a veth into the subnet's bridge, addressed ``<subnet>.1``;
* each route table is a Linux routing table, chosen by ``ip rule iif <leg>``; a packet with
  no route in its table is dropped (a ``blackhole`` rule after it), never looked up elsewhere;
* every table holds the VPC's ``local`` routes (the subnets) plus the table's own routes:
  to an internet gateway, to a network interface (``via`` its private IP), to a virtual
  private gateway (the link to its namespace), or ``blackhole``;
* packets arriving from a gateway (internet or VPN) are routed by the local routes only;
* the internet gateway is a leg on the internet segment that owns the VPC's public
  addresses and maps each 1:1 to its private address (nftables NAT); traffic from a private
  address without a public one is dropped there, as AWS's gateway does.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from . import internet, names, shell

TABLE_BASE = 100
RULE_BASE = 1000


def ensure(vpc: dict[str, Any], gateway_links: dict[str, str]) -> None:
    """Build or update the router of ``vpc`` (a spec entry); ``gateway_links`` maps gateway id -> next hop."""
    ns = names.router_netns(vpc["id"])
    shell.ensure_netns(ns)
    shell.sysctl(ns, net_ipv4_ip__forward=1, net_ipv4_conf_all_rp__filter=0, net_ipv4_conf_default_rp__filter=0)
    shell.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", netns=ns)
    legs = {}
    for subnet in vpc["subnets"]:
        bridge = internet.ensure_subnet_bridge(subnet["id"])
        outer, inner = names.router_subnet_port(subnet["id"])
        shell.ensure_veth(outer, inner, ns)
        shell.run("ip", "link", "set", outer, "master", bridge, "up")
        network = ipaddress.IPv4Network(subnet["cidr"])
        shell.run("ip", "-n", ns, "addr", "replace", f"{network.network_address + 1}/{network.prefixlen}", "dev", inner)
        legs[subnet["id"]] = inner
    igw = vpc.get("internet_gateway")
    if igw:
        outer, inner = names.router_internet_port(vpc["id"])
        shell.ensure_veth(outer, inner, ns)
        internet.attach(outer)
        _set_public_addresses(ns, inner, [pair["public_ip"] for pair in igw["nat"]])
    _load_tables(ns, vpc, legs, gateway_links)
    _load_nat(ns, igw)


def _set_public_addresses(ns: str, link: str, wanted: list[str]) -> None:
    current = {a["local"] for entry in shell.ip_json("addr", "show", "dev", link, netns=ns) for a in entry.get("addr_info", []) if a.get("family") == "inet"}
    for address in current - set(wanted):
        shell.run("ip", "-n", ns, "addr", "del", f"{address}/32", "dev", link)
    for address in set(wanted) - current:
        shell.run("ip", "-n", ns, "addr", "add", f"{address}/32", "dev", link)


def _route_argv(route: dict[str, Any], legs_by_address: list[tuple[ipaddress.IPv4Network, str]], gateway_links: dict[str, str]) -> list[str] | None:
    target = route["target"]
    kind = target["type"]
    if kind == "internet_gateway":
        return ["dev", "igw"]
    if kind == "interface":
        address = ipaddress.IPv4Address(target["address"])
        leg = next((leg for network, leg in legs_by_address if address in network), None)
        return ["via", str(address), "dev", leg] if leg else None
    if kind == "gateway" and target["gateway_id"] in gateway_links:
        return gateway_links[target["gateway_id"]].split()
    return None


def _load_tables(ns: str, vpc: dict[str, Any], legs: dict[str, str], gateway_links: dict[str, str]) -> None:
    legs_by_address = [(ipaddress.IPv4Network(s["cidr"]), legs[s["id"]]) for s in vpc["subnets"]]
    local = [(s["cidr"], legs[s["id"]]) for s in vpc["subnets"]]
    tables = {table["id"]: TABLE_BASE + index for index, table in enumerate(vpc["route_tables"])}
    batch = []
    for table in vpc["route_tables"]:
        number = tables[table["id"]]
        batch.append(f"route flush table {number}")
        for cidr, leg in local:
            batch.append(f"route add {cidr} dev {leg} table {number}")
        for route in table["routes"]:
            if route["target"]["type"] == "local":
                continue
            argv = _route_argv(route, legs_by_address, gateway_links)
            # A route whose target is gone is a blackhole on AWS too.
            hop = " ".join(argv) if argv and route.get("state", "active") == "active" else None
            batch.append(f"route replace {route['destination']} {hop} table {number}" if hop else f"route replace blackhole {route['destination']} table {number}")
    # The rules are rebuilt whole: one lookup and one blackhole per subnet leg.
    for rule in shell.ip_json("rule", "show", netns=ns):
        if RULE_BASE <= int(rule.get("priority", 0)) < RULE_BASE + 2000:
            batch.append(f"rule del priority {rule['priority']}")
    for index, subnet in enumerate(vpc["subnets"]):
        priority = RULE_BASE + 2 * index
        table = tables.get(subnet["route_table"])
        if table is not None:
            batch.append(f"rule add priority {priority} iif {legs[subnet['id']]} lookup {table}")
        batch.append(f"rule add priority {priority + 1} iif {legs[subnet['id']]} blackhole")
    shell.run("ip", "-n", ns, "-batch", "-", stdin="\n".join(batch) + "\n")


def _load_nat(ns: str, igw: dict[str, Any] | None) -> None:
    pairs = igw["nat"] if igw else []
    if not pairs:
        shell.replace_table("ip", "labbox_igw", "chain forward { type filter hook forward priority 0; policy accept; oifname \"igw\" drop; }", ns)
        return
    dnat = ", ".join(f"{p['public_ip']} : {p['private_ip']}" for p in pairs)
    snat = ", ".join(f"{p['private_ip']} : {p['public_ip']}" for p in pairs)
    privates = ", ".join(p["private_ip"] for p in pairs)
    body = (
        "chain prerouting { type nat hook prerouting priority dstnat; policy accept;\n"
        f"  iifname \"igw\" dnat to ip daddr map {{ {dnat} }}\n}}\n"
        "chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
        f"  oifname \"igw\" snat to ip saddr map {{ {snat} }}\n}}\n"
        "chain forward { type filter hook forward priority 0; policy accept;\n"
        # Only addresses with a public IP reach the internet, as through AWS's gateway.
        f"  oifname \"igw\" ip saddr != {{ {privates} }} drop\n}}"
    )
    shell.replace_table("ip", "labbox_igw", body, ns)


def remove(vpc_id: str) -> None:
    ns = names.router_netns(vpc_id)
    if ns in shell.netns_list():
        shell.run("ip", "netns", "del", ns)


def existing() -> set[str]:
    """VPC ids that have a router now."""
    return {name[2:] for name in shell.netns_list() if name.startswith("r-vpc-")}
