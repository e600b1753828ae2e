"""The AllowedPatterns accept exactly what AWS accepts (as far as a pattern can say it).

CloudFormation applies a pattern to the whole value, like Java's ``matches()``; ``re.fullmatch``
does the same here (``re.search`` with ``$`` would also let a trailing newline through).
"""

from __future__ import annotations

import ipaddress
import re

import pytest
from cfn_helpers import TAGGED_TEMPLATES, TEMPLATE_NAMES, load_template


def pattern_of(template: str, name: str) -> str:
    return load_template(template)["Parameters"][name]["AllowedPattern"]


def accepts(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


def parameters_named(suffix: str) -> list[tuple[str, str]]:
    return [
        (template, name)
        for template in TEMPLATE_NAMES
        for name in load_template(template)["Parameters"]
        if name.endswith(suffix)
    ]


# --- Pre-shared keys: 8-64 letters, digits, '.', '_'; not starting with '0' ------------------

GOOD_PSKS = ["cloudneta", "abcdefgh", "A" * 64, "1abcdefg", ".dotted_key", "_under.score9", "9" * 8]
BAD_PSKS = {
    "starts with 0": "0abcdefgh",
    "7 characters": "abcdefg",
    "65 characters": "a" * 65,
    "empty": "",
    "hyphen": "abc-defgh",
    "space": "abc defgh",
    "punctuation": "abcdefg!",
    "non-ASCII letter": "abcdéfgh",
    "trailing newline": "abcdefgh\n",
}


@pytest.mark.parametrize("name", ["Tunnel1Psk", "Tunnel2Psk"])
def test_psk_parameters_are_hidden_and_required(name: str) -> None:
    declared = load_template("vpn")["Parameters"][name]
    assert declared["NoEcho"] is True
    assert "Default" not in declared


@pytest.mark.parametrize("name", ["Tunnel1Psk", "Tunnel2Psk"])
@pytest.mark.parametrize("psk", GOOD_PSKS)
def test_psk_pattern_accepts_keys_aws_accepts(name: str, psk: str) -> None:
    assert accepts(pattern_of("vpn", name), psk)


@pytest.mark.parametrize("name", ["Tunnel1Psk", "Tunnel2Psk"])
@pytest.mark.parametrize("psk", BAD_PSKS.values(), ids=BAD_PSKS.keys())
def test_psk_pattern_rejects_keys_aws_rejects(name: str, psk: str) -> None:
    assert not accepts(pattern_of("vpn", name), psk)


# --- Tunnel inside CIDRs: empty, or a /30-aligned block of 169.254.0.0/16 ---------------------


@pytest.mark.parametrize("name", ["Tunnel1InsideCidr", "Tunnel2InsideCidr"])
def test_inside_cidr_pattern_accepts_exactly_the_aligned_link_local_slash_30s(name: str) -> None:
    pattern = pattern_of("vpn", name)
    link_local = ipaddress.ip_network("169.254.0.0/16")
    for third in range(256):
        for fourth in range(256):
            candidate = f"169.254.{third}.{fourth}/30"
            try:
                aligned = ipaddress.ip_network(candidate).subnet_of(link_local)
            except ValueError:  # host bits set: not a /30 boundary
                aligned = False
            assert accepts(pattern, candidate) == aligned, candidate


@pytest.mark.parametrize("name", ["Tunnel1InsideCidr", "Tunnel2InsideCidr"])
@pytest.mark.parametrize(
    "value", ["169.254.10.0/29", "169.254.10.0/31", "10.0.0.0/30", "169.254.256.0/30", "169.254.10.00/30", " "]
)
def test_inside_cidr_pattern_rejects_other_blocks(name: str, value: str) -> None:
    assert not accepts(pattern_of("vpn", name), value)


@pytest.mark.parametrize("name", ["Tunnel1InsideCidr", "Tunnel2InsideCidr"])
def test_empty_inside_cidr_means_aws_chooses(name: str) -> None:
    assert accepts(pattern_of("vpn", name), "")


# --- Addresses and CIDRs ---------------------------------------------------------------------

ADDRESS_SAMPLES = [
    "10.60.0.100",
    "0.0.0.0",
    "255.255.255.255",
    "198.51.100.7",
    "256.1.1.1",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "1.2.3.4 ",
    "a.b.c.d",
    "",
    "10.60.0.100/32",
    "::1",
]
# CIDR parameters that are routes or rule sources rather than VPC/subnet blocks.
ANY_PREFIX_CIDRS = ("OperatorCidr", "TgwRoutedCidr", "TgwNetworksCidr")
CIDR_SAMPLES = [
    f"{address}/{prefix}"
    for address in ("10.60.0.0", "10.60.1.0", "198.51.100.7", "0.0.0.0", "300.1.1.1", "10.060.0.0")
    for prefix in (0, 8, 15, 16, 24, 28, 29, 32, 33, "08", "")
] + ["10.60.0.0", "10.60.0.0/16 ", ""]


def _ipv4_prefix(value: str) -> int | None:
    """The prefix length when ``value`` is an IPv4 address/prefix, else None."""
    if "/" not in value or value.strip() != value:
        return None
    address, prefix = value.split("/", 1)
    if not prefix.isdigit() or (len(prefix) > 1 and prefix.startswith("0")):
        return None
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return None
    length = int(prefix)
    return length if length <= 32 else None


def _address_is_valid(value: str) -> bool:
    try:
        return str(ipaddress.IPv4Address(value)) == value
    except ValueError:
        return False


@pytest.mark.parametrize(("template", "name"), parameters_named("Ip"))
def test_address_patterns_accept_only_dotted_quads(template: str, name: str) -> None:
    pattern = pattern_of(template, name)
    wrong = [value for value in ADDRESS_SAMPLES if accepts(pattern, value) != _address_is_valid(value)]
    assert not wrong, f"{template}.{name} misjudges {wrong}"


@pytest.mark.parametrize(("template", "name"), [p for p in parameters_named("Cidr") if "Inside" not in p[1]])
def test_cidr_patterns_accept_only_ipv4_cidrs_of_a_usable_size(template: str, name: str) -> None:
    pattern = pattern_of(template, name)
    # Who may SSH, and routes (the VPN's static route, what goes to a transit gateway) may be any
    # IPv4 prefix; VPC and subnet blocks only what AWS allows for them, /16 to /28.
    any_prefix = name in ANY_PREFIX_CIDRS or template in ("vpn", "tgw_attachment_routes")
    optional = load_template(template)["Parameters"][name].get("Default") == ""
    wrong = []
    for value in CIDR_SAMPLES:
        prefix = _ipv4_prefix(value)
        valid = (prefix is not None and (any_prefix or 16 <= prefix <= 28)) or (optional and value == "")
        if accepts(pattern, value) != valid:
            wrong.append(value)
    assert not wrong, f"{template}.{name} misjudges {wrong}"


# --- Names and IDs -----------------------------------------------------------------------------


@pytest.mark.parametrize("template", TAGGED_TEMPLATES)
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("hybridlab", True),
        ("lab-2", True),
        ("L" * 32, True),
        ("L" * 33, False),
        ("2lab", False),
        ("my_lab", False),
        ("", False),
    ],
)
def test_lab_name_pattern_keeps_stack_names_valid(template: str, value: str, valid: bool) -> None:
    # Stack names are "<LabName>-idc" etc.: a letter first, then letters, digits and '-'.
    assert accepts(pattern_of(template, "LabName"), value) == valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("rtb-0123456789abcdef0", True),
        ("rtb-12345678", True),
        ("rtb-XYZ", False),
        ("vpc-0123456789abcdef0", False),
        ("", False),
    ],
)
def test_route_table_id_pattern(value: str, valid: bool) -> None:
    assert accepts(pattern_of("vpn", "PublicRouteTableId"), value) == valid
