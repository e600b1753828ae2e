"""A virtual private gateway's tunnel endpoints: one namespace, one Libreswan responder.

The gateway's namespace has a leg on the internet segment that owns every tunnel outside IP
of its VPN connections, and a link to the router of the VPC it is attached to. Its own pluto
(separate run, NSS and configuration directories, so gateways never share state) answers
the customer gateways as AWS's endpoints do: it waits for them (AWS's default startup action
``add``), authenticates with each tunnel's pre-shared key and accepts the tunnel's proposals.
Tunnels are route-based like AWS's: a VTI interface each, selectors 0.0.0.0/0, and an updown
that routes the connection's static routes through a tunnel while it is up (tunnel 1 first),
so traffic towards the customer follows the tunnels that are up.

A tunnel endpoint can be stopped (a fault the tests inject): its connection is deleted from
pluto and its outside IP stops answering, as an AWS endpoint under maintenance does.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from . import internet, names, shell

MARK_BASE = 100
# whack itself, not the `ipsec` shell wrapper: status is read every few seconds, and under
# emulation each extra process counts. It talks to pluto over its control socket, a file, so
# it needs no network namespace either.
WHACK = "/usr/libexec/ipsec/whack"


def _dir(gateway_id: str) -> str:
    return os.path.join(names.VPN_DIR, gateway_id)


def _ctl(gateway_id: str) -> str:
    return os.path.join(_dir(gateway_id), "run", "pluto.ctl")


def _unit(gateway_id: str) -> str:
    return f"labbox-vpn-{names.short(gateway_id)}.service"


def conn_name(connection_id: str, index: int) -> str:
    return f"{connection_id}-t{index + 1}"


def _tunnels(gateway: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any], int]]:
    """(conn name, connection, tunnel, vti number) of every tunnel of the gateway, in order."""
    found = []
    for connection in gateway["connections"]:
        for index, tunnel in enumerate(connection["tunnels"]):
            found.append((conn_name(connection["id"], index), connection, tunnel, len(found) + 1))
    return found


def _config(gateway: dict[str, Any]) -> tuple[str, str, str]:
    """ipsec.conf, ipsec.secrets and the updown script of the gateway's responder."""
    conf = ["config setup", "    uniqueids=yes", ""]
    secrets = []
    updown_cases = []
    for name, connection, tunnel, vti in _tunnels(gateway):
        inside = tunnel["inside_ip_aws"]
        conf += [
            f"conn {name}",
            "    authby=secret",
            "    auto=add",
            "    type=tunnel",
            f"    left={tunnel['outside_ip']}",
            f"    right={connection['customer_gateway_ip']}",
            f"    ikev2={'yes' if tunnel['ike_version'] == 2 else 'no'}",
            f"    ike={tunnel['ike']}",
            f"    esp={tunnel['esp']}",
            f"    ikelifetime={tunnel['phase1_lifetime']}s",
            f"    salifetime={tunnel['phase2_lifetime']}s",
            "    dpddelay=10s",
            f"    dpdtimeout={tunnel['dpd_timeout']}s",
            "    dpdaction=clear",
            "    leftsubnet=0.0.0.0/0",
            "    rightsubnet=0.0.0.0/0",
            f"    mark={MARK_BASE + vti}/0xffffffff",
            f"    vti-interface=vti{vti}",
            "    vti-routing=no",
            f"    leftvti={inside}/{tunnel['inside_prefix']}",
            f"    leftupdown={_dir(gateway['id'])}/updown",
            "",
        ]
        secrets.append(f'{tunnel["outside_ip"]} {connection["customer_gateway_ip"]} : PSK "{tunnel["psk"]}"')
        routes = " ".join(connection["routes"])
        updown_cases.append(f'    {name}) interface=vti{vti} metric={100 * (vti)} routes="{routes}" ;;')
    updown = "\n".join(
        [
            "#!/bin/sh",
            "# Route the connection's static routes through a tunnel while it is up.",
            '/usr/libexec/ipsec/_updown "$@"',
            "status=$?",
            'case "${PLUTO_CONNECTION:-}" in',
            *updown_cases,
            '    *) exit "$status" ;;',
            "esac",
            # A route "destination@table" (a transit gateway's route table) goes into that table.
            'for route in $routes; do',
            '  case "$route" in',
            '    *@*) set -- "${route%@*}" table "${route#*@}" ;;',
            '    *) set -- "$route" ;;',
            "  esac",
            '  case "${PLUTO_VERB:-}" in',
            '    up-client) ip route replace "$@" dev "$interface" metric "$metric" || status=1 ;;',
            '    down-client) ip route del "$@" dev "$interface" metric "$metric" 2>/dev/null ;;',
            "  esac",
            "done",
            'exit "$status"',
            "",
        ]
    )
    return "\n".join(conf) + "\n", "\n".join(secrets) + "\n", updown


def ensure(gateway: dict[str, Any], vpc_links: list[dict[str, str]]) -> None:
    """Build or update the gateway's namespace and responder.

    ``vpc_links``: for each attached VPC, its id and CIDR; the caller adds the router's side.
    """
    gateway_id = gateway["id"]
    ns = names.gateway_netns(gateway_id)
    shell.ensure_netns(ns)
    shell.sysctl(ns, net_ipv4_ip__forward=1, net_ipv4_conf_all_rp__filter=0, net_ipv4_conf_default_rp__filter=0)
    shell.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", netns=ns)
    outer, inner = names.gateway_internet_port(gateway_id)
    shell.ensure_veth(outer, inner, ns)
    internet.attach(outer)
    wanted = {tunnel["outside_ip"] for _n, _c, tunnel, _v in _tunnels(gateway)}
    current = {
        a["local"]
        for entry in shell.ip_json("addr", "show", "dev", inner, netns=ns)
        for a in entry.get("addr_info", [])
        if a.get("family") == "inet"
    }
    for address in current - wanted:
        shell.run("ip", "-n", ns, "addr", "del", f"{address}/32", "dev", inner)
    for address in wanted - current:
        shell.run("ip", "-n", ns, "addr", "add", f"{address}/32", "dev", inner)
    # The customer gateways are on the internet segment, on-link.
    shell.run("ip", "-n", ns, "route", "replace", "default", "dev", inner)
    for link in vpc_links:
        shell.run("ip", "-n", ns, "route", "replace", link["cidr"], "via", link["router_address"])
    if not wanted:
        # No tunnel to answer for (a transit gateway without VPN attachments): no responder.
        shell.run("systemctl", "stop", _unit(gateway_id), check=False)
        return
    _responder(gateway)
    _apply_stopped(gateway)


def _responder(gateway: dict[str, Any]) -> None:
    directory = _dir(gateway["id"])
    conf, secrets, updown = _config(gateway)
    changed = shell.write(f"{directory}/ipsec.conf", conf)
    changed |= shell.write(f"{directory}/ipsec.secrets", secrets, 0o600)
    changed |= shell.write(f"{directory}/updown", updown, 0o755)
    unit = _unit(gateway["id"])
    running = shell.ok("systemctl", "is-active", "--quiet", unit)
    if running and not changed:
        return
    if running:
        shell.run("systemctl", "stop", unit, check=False)
    shell.run("systemctl", "reset-failed", unit, check=False)
    # Libreswan's updown reuses a VTI interface that exists, with the endpoints it was made for:
    # after a connection was replaced the old ones would carry nothing. pluto makes them anew.
    ns = names.gateway_netns(gateway["id"])
    for link in shell.ip_json("link", "show", "type", "vti", netns=ns):
        if link["ifname"].startswith("vti") and link["ifname"] != "ip_vti0":
            shell.run("ip", "-n", ns, "link", "del", link["ifname"])
    nss = f"{directory}/nss"
    if not os.path.exists(f"{nss}/cert9.db"):
        os.makedirs(nss, exist_ok=True)
        shell.run("ipsec", "initnss", "--nssdir", nss)
    os.makedirs(f"{directory}/run", exist_ok=True)
    os.makedirs(names.LOG_DIR, exist_ok=True)
    shell.run(
        "systemd-run", f"--unit={unit}", "--quiet", "-p", f"Description=VPN endpoints of {gateway['id']}",
        "ip", "netns", "exec", ns, "/usr/libexec/ipsec/pluto", "--nofork",
        "--config", f"{directory}/ipsec.conf", "--secretsfile", f"{directory}/ipsec.secrets",
        "--rundir", f"{directory}/run", "--nssdir", nss, "--ipsecdir", directory,
        "--logfile", f"{names.LOG_DIR}/{gateway['id']}.log",
    )
    deadline = time.monotonic() + 30
    while not os.path.exists(_ctl(gateway["id"])):
        if time.monotonic() > deadline:
            raise shell.CommandError(f"pluto of {gateway['id']} did not open {_ctl(gateway['id'])} within 30 s")
        time.sleep(0.2)
    shell.run(WHACK, "--ctlsocket", _ctl(gateway["id"]), "--listen")
    shell.run("ipsec", "addconn", "--ctlsocket", _ctl(gateway["id"]), "--config", f"{directory}/ipsec.conf", "--autoall", netns=ns)


def _apply_stopped(gateway: dict[str, Any]) -> None:
    """Drop everything to and from stopped endpoints; take their connections out of pluto."""
    ns = names.gateway_netns(gateway["id"])
    stopped = [(name, tunnel) for name, _c, tunnel, _v in _tunnels(gateway) if tunnel.get("stopped")]
    addresses = ", ".join(tunnel["outside_ip"] for _n, tunnel in stopped)
    body = "chain input { type filter hook input priority 0; policy accept;"
    body += f" ip daddr {{ {addresses} }} drop;" if stopped else ""
    body += " }\nchain output { type filter hook output priority 0; policy accept;"
    body += f" ip saddr {{ {addresses} }} drop;" if stopped else ""
    body += " }"
    shell.replace_table("ip", "labbox_endpoints", body, ns)
    ctl = _ctl(gateway["id"])
    loaded = set(re.findall(r'"([^"]+)":', shell.run(WHACK, "--ctlsocket", ctl, "--status", check=False)))
    directory = _dir(gateway["id"])
    for name, _c, tunnel, _v in _tunnels(gateway):
        if tunnel.get("stopped") and name in loaded:
            shell.run(WHACK, "--ctlsocket", ctl, "--delete", "--name", name, check=False)
        elif not tunnel.get("stopped") and name not in loaded:
            shell.run("ipsec", "addconn", "--ctlsocket", ctl, "--config", f"{directory}/ipsec.conf", name, netns=ns)


def tunnel_states(gateway: dict[str, Any]) -> list[dict[str, Any]]:
    """UP/DOWN of each tunnel, as its endpoint sees it: an established IPsec SA means UP."""
    out = shell.run(WHACK, "--ctlsocket", _ctl(gateway["id"]), "--trafficstatus", check=False)
    established = set(re.findall(r'"([^"]+)"', out))
    states = []
    for name, connection, tunnel, _v in _tunnels(gateway):
        up = name in established and not tunnel.get("stopped")
        states.append(
            {
                "vpn_connection_id": connection["id"],
                "outside_ip": tunnel["outside_ip"],
                "status": "UP" if up else "DOWN",
                "status_message": "IPSEC IS UP" if up else "IPSEC IS DOWN",
            }
        )
    return states


def remove(gateway_id: str) -> None:
    shell.run("systemctl", "stop", _unit(gateway_id), check=False)
    shell.run("systemctl", "reset-failed", _unit(gateway_id), check=False)
    ns = names.gateway_netns(gateway_id)
    if ns in shell.netns_list():
        shell.run("ip", "netns", "del", ns)


def existing() -> set[str]:
    return {name[2:] for name in shell.netns_list() if name.startswith("g-")}
