"""aws.conf as the role writes it for Libreswan 3.x (hosts that have it), 4.x (Amazon Linux 2023, Debian 12) and 5.x
(Fedora), checked against the keywords and values each release accepts
(keywords/libreswan-*.yml, taken from that release's keyword table)."""

from __future__ import annotations

import itertools

import pytest

from openswan_role import TUNNELS, VERSIONS, conns, libreswan_keywords, parse_ipsec_conf, render

# Every combination the role can write: routing mode x IKE version x a GCM and a CBC suite.
VARIANTS = [
    dict(openswan_routing=routing, openswan_ike_version=ike, **suite)
    for routing, ike, suite in itertools.product(
        ["vti", "policy"],
        [2, 1],
        [
            {},
            {"openswan_phase1_encryption": "AES128", "openswan_phase1_integrity": "SHA1",
             "openswan_phase2_encryption": "AES128-GCM-16", "openswan_phase2_dh_group": 19},
        ],
    )
]


def _variant_id(variant: dict) -> str:
    return f"{variant['openswan_routing']}-ikev{variant['openswan_ike_version']}-{'gcm' if len(variant) > 2 else 'default'}"


@pytest.mark.parametrize("variant", VARIANTS, ids=_variant_id)
def test_every_keyword_and_value_is_one_the_installed_release_accepts(libreswan_version: str, variant: dict) -> None:
    accepted = libreswan_keywords(libreswan_version)
    text = render("aws.conf.j2", openswan_libreswan_version=libreswan_version, **variant)
    sections = parse_ipsec_conf(text)
    assert [header for header, _ in sections if header.startswith("conn ")] == ["conn Tunnel1", "conn Tunnel2"]
    for header, settings in sections:
        allowed = accepted["config_setup"] if header == "config setup" else accepted["conn"]
        for keyword, value in settings.items():
            assert keyword in allowed, f"Libreswan {libreswan_version} does not know {keyword}= ({header})"
            assert keyword not in accepted["obsolete"], f"Libreswan {libreswan_version} ignores {keyword}="
            if keyword in accepted["values"]:
                assert value in accepted["values"][keyword], f"{keyword}={value} is not accepted by {libreswan_version}"


def test_libreswan_3_uses_ikev2_insist_and_phase2alg() -> None:
    tunnel = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["3"]))["Tunnel1"]
    assert tunnel["keyexchange"] == "ike"
    assert tunnel["ikev2"] == "insist"
    assert tunnel["phase2alg"] == "aes256-sha2_256;modp2048"
    assert tunnel["dpdaction"] == "restart"
    assert "esp" not in tunnel


def test_libreswan_3_ikev1_says_never_and_needs_no_global_policy() -> None:
    text = render("aws.conf.j2", openswan_libreswan_version=VERSIONS["3"], openswan_ike_version=1)
    assert conns(text)["Tunnel1"]["ikev2"] == "never"
    assert "config setup" not in text  # 3.x has no ikev1-policy keyword


def test_libreswan_4_uses_ikev2_yes_no_and_restart_not_restart_by_peer() -> None:
    for ike, expected in [(2, "yes"), (1, "no")]:
        tunnel = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"], openswan_ike_version=ike))["Tunnel2"]
        assert tunnel["keyexchange"] == "ike"
        assert tunnel["ikev2"] == expected
        assert tunnel["dpdaction"] == "restart"
        assert tunnel["esp"] == "aes256-sha2_256;modp2048"


@pytest.mark.parametrize("major", ["4", "5"])
def test_ikev1_on_libreswan_4_and_5_accepts_ikev1_globally(major: str) -> None:
    sections = parse_ipsec_conf(render("aws.conf.j2", openswan_libreswan_version=VERSIONS[major], openswan_ike_version=1))
    assert ("config setup", {"ikev1-policy": "accept"}) in sections


@pytest.mark.parametrize("major", ["3", "4", "5"])
def test_ikev2_writes_no_global_ikev1_policy(major: str) -> None:
    assert "ikev1-policy" not in render("aws.conf.j2", openswan_libreswan_version=VERSIONS[major])


def test_libreswan_5_uses_keyexchange_and_no_dpdaction() -> None:
    for ike in (2, 1):
        tunnel = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["5"], openswan_ike_version=ike))["Tunnel1"]
        assert tunnel["keyexchange"] == f"ikev{ike}"
        assert "ikev2" not in tunnel
        assert "dpdaction" not in tunnel
        assert tunnel["dpddelay"] == "10s"
        # IKEv2 liveness has no timeout keyword on 5.x; IKEv1 DPD still has one.
        assert ("dpdtimeout" in tunnel) == (ike == 1)


def test_route_based_tunnels_each_get_their_own_vti_mark_and_inside_address() -> None:
    tunnels = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"]))
    one, two = tunnels["Tunnel1"], tunnels["Tunnel2"]
    assert (one["vti-interface"], two["vti-interface"]) == ("vti1", "vti2")
    assert (one["mark"], two["mark"]) == ("100/0xffffffff", "200/0xffffffff")
    assert (one["leftvti"], two["leftvti"]) == ("169.254.12.2/30", "169.254.47.10/30")
    for tunnel in (one, two):
        assert tunnel["auto"] == "start"  # both up at once
        assert tunnel["vti-routing"] == "no"  # routes come from the updown script, with metrics
        assert (tunnel["leftsubnet"], tunnel["rightsubnet"]) == ("0.0.0.0/0", "0.0.0.0/0")
        assert tunnel["leftupdown"] == "/etc/ipsec.d/aws-vti-updown.sh"


def test_inside_address_defaults_to_the_second_address_of_the_inside_cidr() -> None:
    tunnels = [{k: v for k, v in t.items() if k != "inside_ip_customer"} for t in TUNNELS]
    rendered = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"], openswan_tunnels=tunnels))
    assert rendered["Tunnel2"]["leftvti"] == "169.254.47.10/30"


def test_policy_based_tunnel2_is_a_standby_with_the_lab_subnets() -> None:
    tunnels = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"], openswan_routing="policy"))
    assert tunnels["Tunnel1"]["auto"] == "start"
    assert tunnels["Tunnel2"]["auto"] == "add"
    for tunnel in tunnels.values():
        assert (tunnel["leftsubnet"], tunnel["rightsubnet"]) == ("10.60.0.0/16", "10.50.0.0/16")
        assert "mark" not in tunnel and "vti-interface" not in tunnel


def test_tunnels_follow_aws_order_with_the_gateway_identity() -> None:
    tunnels = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"]))
    assert [t["right"] for t in tunnels.values()] == ["203.0.113.12", "203.0.113.47"]
    assert {t["leftid"] for t in tunnels.values()} == {"198.51.100.10"}
    assert {t["left"] for t in tunnels.values()} == {"%defaultroute"}


def test_gcm_esp_proposal_has_no_integrity_and_cbc_has_one() -> None:
    gcm = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"], openswan_phase2_encryption="AES256-GCM-16"))
    assert gcm["Tunnel1"]["esp"] == "aes_gcm_16_256;modp2048"
    cbc = conns(render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"], openswan_phase2_integrity="SHA2-512"))
    assert cbc["Tunnel1"]["esp"] == "aes256-sha2_512;modp2048"


def test_no_pre_shared_key_in_the_connections_file() -> None:
    text = render("aws.conf.j2", openswan_libreswan_version=VERSIONS["4"])
    for tunnel in TUNNELS:
        assert tunnel["pre_shared_key"] not in text


def test_secrets_file_has_one_psk_line_per_tunnel_in_order() -> None:
    lines = [line for line in render("aws.secrets.j2").splitlines() if line and not line.startswith("#")]
    assert lines == [
        '198.51.100.10 203.0.113.12 : PSK "Tunnel1.example_psk"',
        '198.51.100.10 203.0.113.47 : PSK "Tunnel2.example_psk"',
    ]


def test_kernel_parameters_forward_without_redirects_and_loose_rp_filter() -> None:
    settings = dict(
        (key.strip(), value.strip())
        for key, value in (line.split("=") for line in render("sysctl.conf.j2").splitlines() if "=" in line and not line.startswith("#"))
    )
    assert settings["net.ipv4.ip_forward"] == "1"
    assert settings["net.ipv4.conf.all.send_redirects"] == "0"
    assert settings["net.ipv4.conf.all.accept_redirects"] == "0"
    assert settings["net.ipv4.conf.all.rp_filter"] == "2"
    assert settings["net.ipv4.conf.default.rp_filter"] == "2"
