"""TCP MSS clamping on the customer gateway (openswan_tcp_mss): the nftables file the role writes,
the unit that loads it at boot, and the variable's checks."""

from __future__ import annotations

import configparser
import re

import pytest

from openswan_role import FACTS, evaluate, render

TABLE = "hybridlab_mss"


def statements(text: str) -> list[str]:
    """The nft file's lines without comment lines and blank lines, stripped."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def rules(text: str) -> list[str]:
    return [line for line in statements(text) if "maxseg" in line]


def unit(**overrides) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(render("tcp-mss.service.j2", **overrides))
    return parser


@pytest.mark.parametrize("platform", sorted(FACTS))
def test_syns_into_and_out_of_the_vti_interfaces_are_clamped_to_awss_1379(platform: str) -> None:
    found = rules(render("tcp-mss.nft.j2", facts=FACTS[platform]))
    clamp = "tcp flags & (syn | rst) == syn tcp option maxseg size > 1379 tcp option maxseg size set 1379"
    assert found == [
        f'oifname "vti*" {clamp} comment "into the tunnels"',
        f'iifname "vti*" {clamp} comment "out of the tunnels"',
    ]


def test_the_rules_sit_on_the_forward_hook_and_drop_nothing() -> None:
    text = render("tcp-mss.nft.j2")
    assert "type filter hook forward priority mangle; policy accept;" in statements(text)
    assert not re.search(r"\b(drop|reject)\b", "\n".join(statements(text)))


def test_loading_the_file_replaces_the_roles_own_table_and_nothing_else() -> None:
    found = statements(render("tcp-mss.nft.j2"))
    # Make sure it exists, drop it, write it anew: one transaction, the same result every time.
    assert found[:3] == [f"table inet {TABLE}", f"delete table inet {TABLE}", f"table inet {TABLE} {{"]
    tables = [line for line in found if line.startswith(("table", "delete", "flush", "add table"))]
    assert all(f"inet {TABLE}" in line for line in tables), tables
    assert not any("ruleset" in line for line in found)


def test_the_file_runs_with_the_platforms_nft() -> None:
    assert render("tcp-mss.nft.j2", facts=FACTS["al2023"]).splitlines()[0] == "#!/usr/sbin/nft -f"


def test_another_mss_is_written_as_given() -> None:
    found = rules(render("tcp-mss.nft.j2", openswan_tcp_mss="1400"))
    assert len(found) == 2
    assert all("maxseg size > 1400 tcp option maxseg size set 1400" in rule for rule in found)
    assert "1379" not in "\n".join(found)


def test_policy_based_tunnels_are_matched_by_the_aws_network() -> None:
    found = rules(render("tcp-mss.nft.j2", openswan_routing="policy"))
    assert [rule.split(" tcp ")[0] for rule in found] == ["ip daddr 10.50.0.0/16", "ip saddr 10.50.0.0/16"]


def test_the_unit_loads_the_file_at_boot_and_removes_only_its_table_when_stopped() -> None:
    found = unit()
    assert found["Service"]["Type"] == "oneshot"
    assert found["Service"]["RemainAfterExit"] == "yes"
    assert found["Service"]["ExecStart"] == "/usr/sbin/nft -f /etc/ipsec.d/hybridlab-mss.nft"
    assert found["Service"]["ExecStop"] == f"-/usr/sbin/nft delete table inet {TABLE}"
    assert found["Install"]["WantedBy"] == "multi-user.target"


def test_the_unit_does_not_wait_for_the_tunnels_and_survives_the_hosts_ruleset() -> None:
    found = unit(facts=FACTS["al2023"])
    # Before ipsec, not after it or bound to it: the clamp is there whether a tunnel is up or not.
    assert found["Unit"]["Before"] == "ipsec.service"
    assert "Requires" not in found["Unit"] and "BindsTo" not in found["Unit"]
    assert "ipsec" not in found["Unit"].get("After", "")
    # nftables.service's `flush ruleset` runs first, and a restart of it reloads the clamp.
    assert found["Unit"]["After"] == "nftables.service"
    assert found["Unit"]["PartOf"] == "nftables.service"


@pytest.mark.parametrize("mss, enabled", [(1379, True), ("1400", True), (0, False), ("0", False), (None, False), ("", False)])
def test_zero_or_null_turns_the_clamp_off(mss, enabled: bool) -> None:
    assert evaluate("{{ __openswan_tcp_mss_enabled }}", openswan_tcp_mss=mss) is enabled


@pytest.mark.parametrize("mss", [1379, 536, 1460, 0, None])
def test_a_valid_mss_passes_the_input_check(mss) -> None:
    assert evaluate("{{ __openswan_input_problems }}", openswan_tcp_mss=mss) == []


@pytest.mark.parametrize("mss", [535, 1461, 9001, "big", 1379.5])
def test_a_bad_mss_stops_the_role_with_the_rule(mss) -> None:
    assert evaluate("{{ __openswan_input_problems }}", openswan_tcp_mss=mss) == [
        "openswan_tcp_mss must be a whole number of bytes from 536 to 1460 (AWS's sample uses 1379), "
        f'or 0 or null to turn the clamp off, not "{mss}"'
    ]


def test_the_default_is_awss_sample_value() -> None:
    assert evaluate("{{ openswan_tcp_mss }}") == 1379
