"""A transit gateway: one namespace that routes between its attachments by its route tables.

AWS's transit gateway looks a packet up in the route table associated with the attachment the
packet came in through, and sends it out through the attachment the longest matching route
names. Here the gateway's namespace has one leg per attachment:

* a VPC attachment is the link to that VPC's router (made by netd like a VPN gateway's link);
* a peering attachment is a link straight to the peer gateway's namespace (both regions' gateways
  live in the same guest, so "AWS's global network" is one veth pair);
* a VPN attachment is the VTI interfaces of its tunnels; its IPsec responder (vpn_endpoints)
  runs in this namespace with the tunnel outside IPs on the internet segment.

Each route table is a Linux table chosen by ``ip rule iif <leg>`` for the legs of the
attachments associated with it, with a blackhole rule after each (an attachment associated with
no table drops everything, as on AWS). Routes to a VPN attachment point into a tunnel's VTI
only while that tunnel is up: the responder's updown adds and removes them (tunnel 1 metric
100, tunnel 2 metric 200), and every apply puts them back for the tunnels that are up.
"""

from __future__ import annotations

from typing import Any

from . import names, shell, vpn_endpoints

TABLE_BASE = 100
RULE_BASE = 1000
ROUTE_SEPARATOR = "@"


def _vpn_connections(gateway: dict[str, Any], tables: dict[str, int]) -> list[dict[str, Any]]:
    """The gateway's VPN connections with, as their routes, "destination@table" for every route
    of any route table that leads to the connection's attachment."""
    connections = []
    for connection in gateway["connections"]:
        routes = [
            f"{route['destination']}{ROUTE_SEPARATOR}{tables[table['id']]}"
            for table in gateway["route_tables"]
            for route in table["routes"]
            if route["attachment_id"] and route["attachment_id"] == connection.get("attachment_id")
        ]
        connections.append(dict(connection, routes=sorted(routes)))
    return connections


def _vti_legs(connections: list[dict[str, Any]]) -> dict[str, list[tuple[str, str, int]]]:
    """Attachment id -> [(conn name, VTI interface, metric)] in vpn_endpoints' numbering."""
    legs: dict[str, list[tuple[str, str, int]]] = {}
    number = 0
    for connection in connections:
        for index, _tunnel in enumerate(connection["tunnels"]):
            number += 1
            legs.setdefault(connection.get("attachment_id") or "", []).append(
                (vpn_endpoints.conn_name(connection["id"], index), f"vti{number}", 100 * number)
            )
    return legs


def ensure(gateway: dict[str, Any], legs: dict[str, tuple[str, str]]) -> None:
    """Build or update the gateway's routing.

    ``legs`` maps each VPC or peering attachment id to (interface in this namespace, next hop):
    netd made those links. The gateway's VPN connections get their responder here.
    """
    ns = names.gateway_netns(gateway["id"])
    tables = {table["id"]: TABLE_BASE + index for index, table in enumerate(gateway["route_tables"])}
    connections = _vpn_connections(gateway, tables)
    # The namespace, its leg on the internet segment and (for VPN attachments) the responder.
    vpn_endpoints.ensure({"id": gateway["id"], "connections": connections}, [])
    attachments = {attachment["id"]: attachment for attachment in gateway["attachments"]}
    vtis = _vti_legs(connections)
    batch = []
    for table in gateway["route_tables"]:
        number = tables[table["id"]]
        batch.append(f"route flush table {number}")
        for route in table["routes"]:
            leg = legs.get(route["attachment_id"] or "")
            if leg is not None:
                batch.append(f"route replace {route['destination']} via {leg[1]} dev {leg[0]} table {number}")
            elif route["attachment_id"] not in vtis or route["attachment_id"] not in attachments:
                batch.append(f"route replace blackhole {route['destination']} table {number}")
    for rule in shell.ip_json("rule", "show", netns=ns):
        if RULE_BASE <= int(rule.get("priority", 0)) < RULE_BASE + 2000:
            batch.append(f"rule del priority {rule['priority']}")
    interfaces = [(legs[a][0], attachments[a]) for a in sorted(legs) if a in attachments]
    interfaces += [(vti, attachments[a]) for a in sorted(vtis) if a in attachments for _name, vti, _metric in vtis[a]]
    for index, (interface, attachment) in enumerate(interfaces):
        priority = RULE_BASE + 2 * index
        table_number = tables.get(attachment.get("route_table") or "")
        if table_number is not None:
            batch.append(f"rule add priority {priority} iif {interface} lookup {table_number}")
        batch.append(f"rule add priority {priority + 1} iif {interface} blackhole")
    shell.run("ip", "-n", ns, "-batch", "-", stdin="\n".join(batch) + "\n")
    _restore_tunnel_routes(gateway["id"], connections, vtis)


def _restore_tunnel_routes(gateway_id: str, connections: list[dict[str, Any]], vtis: dict[str, list[tuple[str, str, int]]]) -> None:
    """Put back the routes into the tunnels that are up (the tables were just rebuilt)."""
    if not connections:
        return
    ns = names.gateway_netns(gateway_id)
    established = {state["outside_ip"] for state in vpn_endpoints.tunnel_states({"id": gateway_id, "connections": connections}) if state["status"] == "UP"}
    for connection in connections:
        for (name, vti, metric), tunnel in zip(vtis.get(connection.get("attachment_id") or "", []), connection["tunnels"]):
            if tunnel["outside_ip"] not in established or not shell.link_exists(vti, ns):
                continue
            for route in connection["routes"]:
                destination, _, table = route.partition(ROUTE_SEPARATOR)
                shell.run("ip", "-n", ns, "route", "replace", destination, "dev", vti, "metric", str(metric), "table", table)


def peering_link(attachment_id: str, sides: list[str], addresses: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """The link of a peering attachment between the two gateways ``sides``.

    Returns, per gateway id, its leg: (interface, the other side's address)."""
    first, second = sides
    left, right = f"p{names.short(attachment_id)}a", f"p{names.short(attachment_id)}b"
    first_ns, second_ns = names.gateway_netns(first), names.gateway_netns(second)
    shell.ensure_netns(first_ns)
    shell.ensure_netns(second_ns)
    shell.ensure_veth(left, right, second_ns, outer_netns=first_ns)
    shell.run("ip", "-n", first_ns, "addr", "replace", f"{addresses[0]}/30", "dev", left)
    shell.run("ip", "-n", second_ns, "addr", "replace", f"{addresses[1]}/30", "dev", right)
    return {first: (left, addresses[1]), second: (right, addresses[0])}
