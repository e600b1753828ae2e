"""The guest side's pure parts: names, link addresses, security group rules, responder configuration."""

from __future__ import annotations

import ipaddress

from labbox.dataplane.guest import names, netd, security, vpn_endpoints

CGW = {
    "id": "i-0cgw",
    "private_ip": "10.60.0.100",
    "source_dest_check": False,
    "ingress": [
        {"protocol": "tcp", "from": 22, "to": 22, "cidrs": ["0.0.0.0/0"]},
        {"protocol": "udp", "from": 500, "to": 500, "cidrs": ["0.0.0.0/0"]},
        {"protocol": "50", "from": -1, "to": -1, "cidrs": ["0.0.0.0/0"]},
        {"protocol": "all", "from": None, "to": None, "cidrs": ["10.60.1.0/24"]},
    ],
    "egress": [{"protocol": "all", "from": None, "to": None, "cidrs": ["0.0.0.0/0"]}],
}
EC2 = {
    "id": "i-0ec2",
    "private_ip": "10.50.1.100",
    "ingress": [{"protocol": "icmp", "from": -1, "to": -1, "cidrs": ["10.60.0.0/16"]}],
    "egress": [],
}


def _chain(ruleset: str, name: str) -> list[str]:
    lines = ruleset.splitlines()
    start = lines.index(f"chain {name} {{")
    return [line.strip() for line in lines[start + 1 : lines.index("}", start)]]


def test_interface_names_fit_linux_and_stay_the_same() -> None:
    for name in (names.instance_port("i-0123456789abcdef0"), names.subnet_bridge("subnet-0123456789abcdef0")):
        assert len(name) <= 15
    assert names.machine("i-0123456789abcdef0") == names.machine("i-0123456789abcdef0")
    assert names.machine("i-0123456789abcdef0") != names.machine("i-0123456789abcdef1")


def test_each_gateway_link_gets_its_own_slash_30_outside_the_lab() -> None:
    pairs = [(f"vgw-{n}", f"vpc-{n}") for n in range(50)]
    links = netd._link_addresses(pairs)
    blocks = {ipaddress.IPv4Network(f"{router}/30", strict=False) for router, _gateway in links.values()}
    assert len(blocks) == 50
    assert all(block.subnet_of(netd.LINK_RANGE) for block in blocks)
    assert netd._link_addresses(pairs[:1]) == {pairs[0]: links[pairs[0]]}


def test_ingress_is_allowed_only_by_a_rule_and_ends_in_a_drop() -> None:
    rules = security.ruleset([CGW, EC2])
    inbound = _chain(rules, f"in_{names.short('i-0ec2')}")
    assert inbound == ["ip daddr != 10.50.1.100 drop", "ip saddr { 10.60.0.0/16 } meta l4proto icmp accept", "drop"]
    cgw_in = _chain(rules, f"in_{names.short('i-0cgw')}")
    assert "tcp dport 22 accept" in cgw_in and "udp dport 500 accept" in cgw_in
    assert "meta l4proto 50 accept" in cgw_in and "ip saddr { 10.60.1.0/24 } accept" in cgw_in
    assert cgw_in[-1] == "drop"


def test_source_destination_check_binds_a_port_to_its_own_address_unless_turned_off() -> None:
    rules = security.ruleset([CGW, EC2])
    assert _chain(rules, f"out_{names.short('i-0ec2')}")[0] == "ip saddr != 10.50.1.100 drop"
    assert not any("10.60.0.100" in line for line in _chain(rules, f"out_{names.short('i-0cgw')}"))


def test_no_egress_rule_means_only_replies_leave() -> None:
    assert _chain(security.ruleset([EC2]), f"out_{names.short('i-0ec2')}") == [
        "ip saddr != 10.50.1.100 drop",
        "ct state established,related return",
        "drop",
    ]


def test_replies_pass_statefully_and_ipv6_never() -> None:
    forward = _chain(security.ruleset([EC2]), "forward")
    assert forward.index("ct state established,related accept") < next(
        i for i, line in enumerate(forward) if line.startswith("oifname vmap")
    )
    assert "ether type ip6 drop" in forward


GATEWAY = {
    "id": "vgw-1",
    "connections": [
        {
            "id": "vpn-1",
            "customer_gateway_ip": "198.51.100.7",
            "routes": ["10.60.0.0/16"],
            "tunnels": [
                {
                    "outside_ip": f"203.0.113.{n}",
                    "inside_ip_aws": f"169.254.10.{4 * n + 1}",
                    "inside_prefix": 30,
                    "psk": f"key.number_{n}",
                    "ike_version": 2,
                    "ike": "aes256-sha2_256;modp2048",
                    "esp": "aes256-sha2_256;modp2048",
                    "phase1_lifetime": 28800,
                    "phase2_lifetime": 3600,
                    "dpd_timeout": 30,
                }
                for n in (10, 11)
            ],
        }
    ],
}


def test_the_responder_waits_for_the_customer_with_a_vti_per_tunnel() -> None:
    conf, secrets, updown = vpn_endpoints._config(GATEWAY)
    assert conf.count("auto=add") == 2 and "auto=start" not in conf
    assert "conn vpn-1-t1" in conf and "left=203.0.113.10" in conf and "right=198.51.100.7" in conf
    assert "vti-interface=vti1" in conf and "vti-interface=vti2" in conf and "leftvti=169.254.10.41/30" in conf
    assert secrets.splitlines() == [
        '203.0.113.10 198.51.100.7 : PSK "key.number_10"',
        '203.0.113.11 198.51.100.7 : PSK "key.number_11"',
    ]
    # Tunnel 1 is preferred for traffic towards the customer while both are up.
    assert 'vpn-1-t1) interface=vti1 metric=100 routes="10.60.0.0/16"' in updown
    assert 'vpn-1-t2) interface=vti2 metric=200 routes="10.60.0.0/16"' in updown
