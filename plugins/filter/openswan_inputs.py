# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that check the hybridlab.aws.openswan role's settings before anything touches the host.

The generic rules (IPv4 addresses, CIDRs, pre-shared keys, the shape of a tunnel inside CIDR)
come from module_utils/lab_rules.py; the rules that belong to this role live here: the DH groups
AWS accepts per phase, AWS's lifetimes, dead peer detection, AEAD ciphers with IKEv1, the TCP
MSS clamp, and the DH groups a default build of each Libreswan major enables. Every sentence names the role variable;
none quotes a pre-shared key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ansible.errors import AnsibleFilterError
from ansible_collections.hybridlab.aws.plugins.module_utils import lab_rules

PHASES = ("phase1", "phase2")
# Seconds AWS accepts for a tunnel's phase 1 and phase 2 lifetimes.
LIFETIMES = {"phase1": (900, 28800), "phase2": (900, 3600)}
# The TCP MSS the clamp may set: 536 is the MSS every IPv4 host must accept (RFC 879/9293);
# 1460 is a full 1500-byte Ethernet frame without the tunnel's overhead, where a clamp would
# do nothing. AWS's sample configuration uses 1379.
TCP_MSS_RANGE = (536, 1460)

INPUT_SETTINGS = (
    "left_id",
    "local_cidr",
    "remote_cidr",
    "tunnels",
    "routing",
    "ike_version",
    "phase1_encryption",
    "phase1_dh_group",
    "phase1_lifetime",
    "phase2_dh_group",
    "phase2_lifetime",
    "dpd_delay",
    "dpd_timeout",
    "tcp_mss",
    "aws_dh_groups",
)
VERSION_SETTINGS = (
    "version",
    "major",
    "supported_majors",
    "phase1_dh_group",
    "phase2_dh_group",
    "libreswan_dh_groups",
    "aws_dh_groups",
    "dh_group_names",
)

# A bad value is quoted in its sentence, cut to this many characters so a stray blob stays short.
_SHOWN_LENGTH = 60


def _shown(value: Any) -> str:
    """``value`` as a quoted string for a sentence, shortened when long."""
    text = str(value)
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 3] + "..."
    return json.dumps(text)


def _whole(value: Any) -> int | None:
    """``value`` as a whole number, read as Jinja's int filter reads it ("14", 14.0), else None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        pass
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def _listed(numbers: Iterable[Any]) -> str:
    return ", ".join(str(number) for number in numbers)


def _by_number(table: Mapping[Any, Any]) -> dict[int | None, Any]:
    """``table`` keyed by whole numbers, whether YAML gave its keys as numbers or strings."""
    return {_whole(key): value for key, value in table.items()}


def _settings(settings: Any, keys: Sequence[str], filter_name: str) -> Mapping[str, Any]:
    """``settings`` when it is a mapping with every one of ``keys``; a caller's mistake otherwise."""
    if not isinstance(settings, Mapping):
        raise AnsibleFilterError(f"{filter_name} expects a dict of the openswan role's settings")
    missing = [key for key in keys if key not in settings]
    if missing:
        raise AnsibleFilterError(f"{filter_name}: the settings lack {', '.join(missing)}")
    return settings


def _address_problems(value: Any, name: str) -> list[str]:
    if lab_rules.ipv4_address(value) is None:
        return [f"{name} must be an IPv4 address like 198.51.100.10, not {_shown(value)}"]
    return []


def _cidr_problems(value: Any, name: str) -> list[str]:
    if lab_rules.written_cidr(value) is None:
        return [f"{name} must be an IPv4 network in CIDR notation like 10.60.0.0/16, not {_shown(value)}"]
    if lab_rules.network(value) is None:
        return [f"{name} {value} has host bits set; the network is written with its first address"]
    return []


def _networks_problems(local: Any, remote: Any) -> list[str]:
    """The two sides' networks: each a CIDR, and distinct, since each side routes the other's."""
    problems = _cidr_problems(local, "openswan_local_cidr") + _cidr_problems(remote, "openswan_remote_cidr")
    if not problems and lab_rules.network(local).overlaps(lab_rules.network(remote)):
        problems.append(
            f"openswan_local_cidr {local} and openswan_remote_cidr {remote} overlap; "
            "the two sides of the VPN need distinct networks"
        )
    return problems


def _psk_problems(psk: Any, name: str) -> list[str]:
    """The AWS rules a tunnel's key breaks, worded for the role; the key itself is never quoted."""
    if not isinstance(psk, str) or not psk:
        return [f"{name} is missing"]
    sentences = {
        lab_rules.PSK_RULE_LENGTH: (
            f"must be {lab_rules.PSK_MIN_LENGTH} to {lab_rules.PSK_MAX_LENGTH} characters long (AWS), it has {len(psk)}"
        ),
        lab_rules.PSK_RULE_CHARACTERS: "may contain only letters, digits, '.' and '_' (AWS)",
        lab_rules.PSK_RULE_LEADING_ZERO: "must not start with '0' (AWS)",
    }
    return [f"{name} {sentences[rule]}" for rule in lab_rules.psk_broken_rules(psk)]


def _inside_problems(tunnel: Mapping[str, Any], name: str) -> list[str]:
    """Route-based mode puts a VTI on the tunnel inside CIDR, so it must be AWS's kind of /30."""
    inside = tunnel.get("inside_cidr", "")
    problems = _cidr_problems(inside, f"{name}.inside_cidr")
    if problems:
        return [f"{problems[0]} (route-based mode needs the tunnel inside CIDR)"]
    inside_net = lab_rules.network(inside)
    if not lab_rules.is_tunnel_inside_range(inside_net):
        return [f"{name}.inside_cidr {inside} must be a /30 in {lab_rules.TUNNEL_INSIDE_RANGE} (AWS)"]
    customer = tunnel.get("inside_ip_customer", "")
    if customer in ("", None):
        return []
    problems = _address_problems(customer, f"{name}.inside_ip_customer")
    if not problems and not lab_rules.is_host_address(lab_rules.ipv4_address(customer), inside_net):
        problems.append(f"{name}.inside_ip_customer {customer} is not a host address of {inside}")
    return problems


def _tunnel_problems(tunnel: Any, name: str, routing: Any) -> list[str]:
    if not isinstance(tunnel, Mapping):
        return [f"{name} must be a mapping with outside_ip and pre_shared_key"]
    problems = _address_problems(tunnel.get("outside_ip", ""), f"{name}.outside_ip")
    problems += _psk_problems(tunnel.get("pre_shared_key", ""), f"{name}.pre_shared_key")
    if routing == "vti":
        problems += _inside_problems(tunnel, name)
    return problems


def _shared_problems(tunnels: Sequence[Mapping[str, Any]], key: str) -> list[str]:
    """A value both tunnels give for ``key`` (a missing one is already reported per tunnel)."""
    first, second = (tunnel.get(key, "") for tunnel in tunnels)
    if first in ("", None) or first != second:
        return []
    return [f"openswan_tunnels: both tunnels have {key} {first}; each tunnel has its own"]


def _tunnels_problems(tunnels: Any, routing: Any) -> list[str]:
    if isinstance(tunnels, (str, bytes, Mapping)) or not isinstance(tunnels, Sequence):
        return ["openswan_tunnels must be a list of the two tunnels of the VPN connection"]
    if len(tunnels) != 2:
        return [
            f"openswan_tunnels has {len(tunnels)} tunnel(s); "
            "an AWS VPN connection has two (Tunnel1 and Tunnel2) and both must be given"
        ]
    problems = []
    for index, tunnel in enumerate(tunnels):
        problems += _tunnel_problems(tunnel, f"openswan_tunnels[{index}] (Tunnel{index + 1})", routing)
    if all(isinstance(tunnel, Mapping) for tunnel in tunnels):
        problems += _shared_problems(tunnels, "outside_ip")
        if routing == "vti":
            problems += _shared_problems(tunnels, "inside_cidr")
    return problems


def _aead_problems(encryption: Any, ike_version: Any) -> list[str]:
    """IKEv1 defines no AEAD ciphers for its own exchange; ESP may still use GCM with IKEv1."""
    if "GCM" in str(encryption) and _whole(ike_version) == 1:
        return [f"openswan_phase1_encryption {encryption} needs IKEv2; IKEv1 has no AEAD ciphers for phase 1"]
    return []


def _aws_dh_group_problems(value: Any, phase: str, aws_dh_groups: Mapping[str, Sequence[int]]) -> list[str]:
    group = _whole(value)
    accepted = [_whole(number) for number in aws_dh_groups[phase]]
    if group not in accepted:
        shown = value if group is None else group
        return [f"openswan_{phase}_dh_group {shown} is not a DH group AWS accepts for {phase} ({_listed(accepted)})"]
    return []


def _lifetime_problems(phase1: Any, phase2: Any) -> list[str]:
    problems = []
    for phase, value in zip(PHASES, (phase1, phase2)):
        low, high = LIFETIMES[phase]
        seconds = _whole(value)
        if seconds is None or not low <= seconds <= high:
            problems.append(f"openswan_{phase}_lifetime must be {low} to {high} seconds (AWS), not {value}")
    # The child SA is rekeyed within the IKE SA's life, never after it.
    first, second = _whole(phase1), _whole(phase2)
    if first is not None and second is not None and second >= first:
        problems.append("openswan_phase2_lifetime must be shorter than openswan_phase1_lifetime")
    return problems


def _dpd_problems(delay: Any, timeout: Any) -> list[str]:
    """The peer is declared dead when nothing answered for dpdtimeout, which must outlast a probe interval."""
    delay_seconds, timeout_seconds = _whole(delay), _whole(timeout)
    if delay_seconds is None or timeout_seconds is None or timeout_seconds <= delay_seconds:
        return [f"openswan_dpd_timeout ({timeout}) must be longer than openswan_dpd_delay ({delay})"]
    return []


def _tcp_mss_problems(value: Any) -> list[str]:
    """Off (null, empty or 0) or a whole number in TCP_MSS_RANGE, written as one ("1379" from -e is fine)."""
    written = "" if value is None else str(value).strip()
    if written in ("", "0"):
        return []
    low, high = TCP_MSS_RANGE
    # A bool is no number of bytes, though Python counts True as 1.
    mss = None if isinstance(value, bool) else _whole(value)
    if mss is None or written != str(mss) or not low <= mss <= high:
        return [
            f"openswan_tcp_mss must be a whole number of bytes from {low} to {high} (AWS's sample uses 1379), "
            f"or 0 or null to turn the clamp off, not {_shown(value)}"
        ]
    return []


def openswan_input_problems(settings: Any) -> list[str]:
    """Every rule the openswan role's settings break, one sentence each, naming the role variable.

    ``settings`` maps the names in INPUT_SETTINGS to the role's values (roles/openswan/vars/main.yml
    builds it as ``__openswan_input_settings``); ``aws_dh_groups`` maps phase1 and phase2 to the DH
    groups AWS accepts. An empty list means the settings are fine.
    """
    given = _settings(settings, INPUT_SETTINGS, "openswan_input_problems")
    problems = _address_problems(given["left_id"], "openswan_left_id (the customer gateway public IP)")
    problems += _networks_problems(given["local_cidr"], given["remote_cidr"])
    problems += _tunnels_problems(given["tunnels"], given["routing"])
    problems += _aead_problems(given["phase1_encryption"], given["ike_version"])
    for phase in PHASES:
        problems += _aws_dh_group_problems(given[f"{phase}_dh_group"], phase, given["aws_dh_groups"])
    problems += _lifetime_problems(given["phase1_lifetime"], given["phase2_lifetime"])
    problems += _dpd_problems(given["dpd_delay"], given["dpd_timeout"])
    problems += _tcp_mss_problems(given["tcp_mss"])
    return problems


def _spoken(items: Sequence[str]) -> str:
    """The items as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def openswan_version_problems(settings: Any) -> list[str]:
    """What the settings ask of the Libreswan release that its default build does not offer.

    ``settings`` maps the names in VERSION_SETTINGS to the role's values (roles/openswan/vars/main.yml
    builds it as ``__openswan_version_settings``): the release and its major, the majors the role
    writes for, the DH groups per phase, the groups each major's default build enables, the groups
    AWS accepts per phase and Libreswan's names of the groups.
    """
    given = _settings(settings, VERSION_SETTINGS, "openswan_version_problems")
    version, major = given["version"], _whole(given["major"])
    supported = [_whole(number) for number in given["supported_majors"]]
    if major not in supported:
        majors = _spoken([f"{number}.x" for number in supported])
        return [f"Libreswan {version} is not supported; the role writes configuration for {majors}"]
    enabled_by_major = _by_number(given["libreswan_dh_groups"])
    if major not in enabled_by_major:
        raise AnsibleFilterError(f"openswan_version_problems: libreswan_dh_groups has no entry for Libreswan {major}")
    enabled = [_whole(number) for number in enabled_by_major[major]]
    names = _by_number(given["dh_group_names"])
    problems = []
    for phase in PHASES:
        value = given[f"{phase}_dh_group"]
        group = _whole(value)
        if group not in enabled:
            aws_accepts = [_whole(number) for number in given["aws_dh_groups"][phase]]
            choices = [number for number in enabled if number in aws_accepts]
            problems.append(
                f"openswan_{phase}_dh_group {value if group is None else group} ({names.get(group, '?')}) "
                f"is not enabled in Libreswan {version}; choose one of {_listed(choices)}"
            )
    return problems


class FilterModule:
    """hybridlab.aws filters checking the openswan role's settings."""

    def filters(self):
        return {
            "openswan_input_problems": openswan_input_problems,
            "openswan_version_problems": openswan_version_problems,
        }
