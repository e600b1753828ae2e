"""verify_diagnosis: each cause of a failed ping is named from its evidence (Libreswan 4.x log lines,
`ipsec trafficstatus`, `ip route get`, amazon.aws info results), most specific first; healthy evidence
says nothing explains it; evidence not gathered is left out; no sentence carries a pre-shared key."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from ansible_collections.hybridlab.aws.plugins.filter.verify_diagnosis import EVIDENCE, verify_diagnosis

PSKS = ("Tunnel1.example_psk", "Tunnel2.example_psk")
TUNNEL1_IP, TUNNEL2_IP = "203.0.113.10", "203.0.113.20"


def command(stdout: str = "", rc: int = 0, stderr: str = "") -> dict[str, Any]:
    """An ansible.builtin.command result as registered with failed_when: false."""
    return {"changed": False, "failed": False, "rc": rc, "stdout": stdout, "stderr": stderr}


def log(*lines: str) -> dict[str, Any]:
    return command("\n".join(lines))


PLUTO_START = (
    "Starting Pluto (Libreswan Version 4.10 IKEv2 IKEv1 XFRM XFRMI esp-hw-offload FORK PTHREAD_SETSCHEDPRIO "
    "GCC_EXCEPTIONS NSS (IPsec profile) DNSSEC SYSTEMD_WATCHDOG LABELED_IPSEC SECCOMP LIBCAP_NG LINUX_AUDIT) pid:2121"
)
TUNNEL_UP = {
    1: [
        f"\"Tunnel1\" #1: initiator established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR '{TUNNEL1_IP}'",
        '"Tunnel1" #2: initiator established Child SA using #1; IPsec tunnel [0.0.0.0-255.255.255.255:0-65535 0] -> '
        "[0.0.0.0-255.255.255.255:0-65535 0] {ESP/NAT=>0x0a1b2c3d <0x4e5f6071 xfrm=AES_CBC_256-HMAC_SHA2_256_128-MODP2048 "
        f"NATD={TUNNEL1_IP}:4500 DPD=active}}",
    ],
    2: [
        f"\"Tunnel2\" #3: initiator established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR '{TUNNEL2_IP}'",
        '"Tunnel2" #4: initiator established Child SA using #3; IPsec tunnel [0.0.0.0-255.255.255.255:0-65535 0] -> '
        "[0.0.0.0-255.255.255.255:0-65535 0] {ESP/NAT=>0x1b2c3d4e <0x5f607182 xfrm=AES_CBC_256-HMAC_SHA2_256_128-MODP2048 "
        f"NATD={TUNNEL2_IP}:4500 DPD=active}}",
    ],
}
HEALTHY_JOURNAL = [
    PLUTO_START,
    '"Tunnel1": added IKEv2 connection',
    '"Tunnel2": added IKEv2 connection',
    '"Tunnel1" #1: initiating IKEv2 connection',
    '"Tunnel1" #1: sent IKE_SA_INIT request',
    '"Tunnel1" #1: sent IKE_AUTH request {cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048}',
    *TUNNEL_UP[1],
    '"Tunnel2" #3: initiating IKEv2 connection',
    *TUNNEL_UP[2],
]
AUTH_FAILED_1 = '"Tunnel1" #1: IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED'
RETRANSMIT_2 = '"Tunnel2" #3: STATE_V2_PARENT_I1: retransmission; will wait 0.5 seconds for response'


def trafficstatus(*sas: tuple[int, str, int, int]) -> dict[str, Any]:
    """`ipsec trafficstatus` of Libreswan 4.x: (SA number, connection, inBytes, outBytes) per line."""
    ips = {"Tunnel1": TUNNEL1_IP, "Tunnel2": TUNNEL2_IP}
    return command(
        "\n".join(
            f'006 #{number}: "{name}", type=ESP, add_time=1714552200, inBytes={in_bytes}, outBytes={out_bytes}, '
            f"maxBytes=2^63B, id='{ips[name]}'"
            for number, name, in_bytes, out_bytes in sas
        )
    )


def tunnel(outside_ip: str, inside_cidr: str, status: str = "UP", message: str = "") -> dict[str, Any]:
    return {
        "outside_ip": outside_ip,
        "inside_cidr": inside_cidr,
        "inside_ip_aws": inside_cidr.replace(".0/30", ".1"),
        "inside_ip_customer": inside_cidr.replace(".0/30", ".2"),
        "status": status,
        "status_message": message,
        "last_status_change": "2024-05-01T08:30:00+00:00",
        "accepted_route_count": 0,
    }


def vpn(*tunnels: dict[str, Any]) -> dict[str, Any]:
    """A hybridlab.aws.vpn_tunnel_info result."""
    return {
        "changed": False,
        "vpn_connection_id": "vpn-0123456789abcdef0",
        "state": "available",
        "tunnels": list(tunnels),
    }


def route(destination: str, state: str = "active", **target: str) -> dict[str, Any]:
    return {"destination_cidr_block": destination, "state": state, "origin": "CreateRoute", **target}


def table(table_id: str, name: str, vpc: str, subnet: str, *routes: dict[str, Any]) -> dict[str, Any]:
    """A route table as amazon.aws.ec2_vpc_route_table_info returns it."""
    return {
        "route_table_id": table_id,
        "id": table_id,
        "vpc_id": vpc,
        "tags": {"Name": name, "hybridlab:lab": "hybridlab"},
        "associations": [
            {
                "main": False,
                "subnet_id": subnet,
                "route_table_id": table_id,
                "association_state": {"state": "associated"},
            }
        ],
        "propagating_vgws": [],
        "routes": list(routes),
    }


IDC_PRIVATE_RT = table(
    "rtb-0idcprivate",
    "IDC-PrivateRT",
    "vpc-0idc",
    "subnet-0idcprivate",
    route("10.60.0.0/16", gateway_id="local", origin="CreateRouteTable"),
    route("10.50.0.0/16", network_interface_id="eni-0cgw", instance_id="i-0cgw"),
)
IDC_PUBLIC_RT = table(
    "rtb-0idcpublic",
    "IDC-PublicRT",
    "vpc-0idc",
    "subnet-0idcpublic",
    route("10.60.0.0/16", gateway_id="local", origin="CreateRouteTable"),
    route("0.0.0.0/0", gateway_id="igw-0idc"),
)
AWS_PUBLIC_RT = table(
    "rtb-0awspublic",
    "AWS-PublicRT",
    "vpc-0aws",
    "subnet-0awspublic",
    route("10.50.0.0/16", gateway_id="local", origin="CreateRouteTable"),
    route("0.0.0.0/0", gateway_id="igw-0aws"),
    route("10.60.0.0/16", gateway_id="vgw-0lab", origin="EnableVgwRoutePropagation"),
)


def instance(instance_id: str, name: str, address: str, subnet: str, vpc: str, **fields: Any) -> dict[str, Any]:
    """An instance as amazon.aws.ec2_instance_info returns it."""
    return {
        "instance_id": instance_id,
        "private_ip_address": address,
        "subnet_id": subnet,
        "vpc_id": vpc,
        "state": {"code": 16, "name": "running"},
        "source_dest_check": True,
        "security_groups": [],
        "network_interfaces": [],
        "tags": {"Name": name, "hybridlab:lab": "hybridlab"},
        **fields,
    }


AWS_EC2 = instance(
    "i-0aws",
    "AWS-EC2",
    "10.50.1.100",
    "subnet-0awspublic",
    "vpc-0aws",
    security_groups=[{"group_id": "sg-0aws", "group_name": "AWS-EC2-SG"}],
)
IDC_EC2 = instance("i-0idc", "IDC-EC2", "10.60.1.100", "subnet-0idcprivate", "vpc-0idc")
IDC_CGW = instance(
    "i-0cgw",
    "IDC-CGW",
    "10.60.0.100",
    "subnet-0idcpublic",
    "vpc-0idc",
    source_dest_check=False,
    network_interfaces=[{"network_interface_id": "eni-0cgw"}],
)


def permission(protocol: str, cidr: str, from_port: int | None = None, to_port: int | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "ip_protocol": protocol,
        "ip_ranges": [{"cidr_ip": cidr}],
        "ipv6_ranges": [],
        "prefix_list_ids": [],
        "user_id_group_pairs": [],
    }
    if from_port is not None:
        rule.update(from_port=from_port, to_port=to_port)
    return rule


SSH_RULE = permission("tcp", "0.0.0.0/0", 22, 22)
ICMP_RULE = permission("icmp", "10.60.0.0/16", -1, -1)


def security_group(*permissions: dict[str, Any]) -> dict[str, Any]:
    return {
        "group_id": "sg-0aws",
        "group_name": "AWS-EC2-SG",
        "vpc_id": "vpc-0aws",
        "ip_permissions": list(permissions),
        "ip_permissions_egress": [permission("-1", "0.0.0.0/0")],
        "tags": {"Name": "AWS-EC2-SG"},
    }


def healthy() -> dict[str, Any]:
    """Evidence of a lab where everything checked is right (the ping failed all the same)."""
    return {
        "target_name": "AWS-EC2",
        "target_ip": "10.50.1.100",
        "target_cidr": "10.50.0.0/16",
        "source_name": "IDC-EC2",
        "source_ip": "10.60.1.100",
        "source_cidr": "10.60.0.0/16",
        "gateway_name": "IDC-CGW",
        "gateway_ip": "10.60.0.100",
        "gateway_routing": "vti",
        "tunnels": vpn(tunnel(TUNNEL1_IP, "169.254.10.0/30"), tunnel(TUNNEL2_IP, "169.254.20.0/30")),
        "gateway_trafficstatus": trafficstatus((2, "Tunnel1", 840, 840), (4, "Tunnel2", 0, 0)),
        "gateway_journal": log(*HEALTHY_JOURNAL),
        "gateway_route": command("10.50.1.100 dev vti1 src 169.254.10.2 uid 0 \n    cache "),
        "source_route": command("10.50.1.100 via 10.60.1.1 dev eth0 src 10.60.1.100 uid 1000 \n    cache "),
        "route_tables": {
            "changed": False,
            "route_tables": copy.deepcopy([IDC_PRIVATE_RT, IDC_PUBLIC_RT, AWS_PUBLIC_RT]),
        },
        "instances": {"changed": False, "instances": copy.deepcopy([AWS_EC2, IDC_EC2, IDC_CGW])},
        "security_groups": {"changed": False, "security_groups": [security_group(SSH_RULE, ICMP_RULE)]},
    }


def diagnosis(**changes: Any) -> list[str]:
    return verify_diagnosis(healthy() | changes)


def with_journal(*lines: str) -> list[str]:
    """The diagnosis when pluto, since it started, logged ``lines`` (and no tunnel came up)."""
    return diagnosis(gateway_journal=log(PLUTO_START, *lines), gateway_trafficstatus=trafficstatus())


def routes_of(name: str, *routes: dict[str, Any]) -> dict[str, Any]:
    """The healthy route tables with table ``name``'s routes replaced."""
    tables = copy.deepcopy([IDC_PRIVATE_RT, IDC_PUBLIC_RT, AWS_PUBLIC_RT])
    for item in tables:
        if item["tags"]["Name"] == name:
            item["routes"] = [item["routes"][0], *routes]
    return {"changed": False, "route_tables": tables}


def instances_with(name: str, **changes: Any) -> dict[str, Any]:
    found = copy.deepcopy([AWS_EC2, IDC_EC2, IDC_CGW])
    for item in found:
        if item["tags"]["Name"] == name:
            item.update(changes)
    return {"changed": False, "instances": found}


NOTHING_FOUND = (
    "The tunnel is up and routes and security groups allow ICMP, but the ping got no answer: look at the subnets' "
    "network ACLs and the firewalls of IDC-EC2, IDC-CGW and AWS-EC2"
)

# Nothing found


def test_healthy_evidence_says_plainly_that_nothing_explains_the_failure() -> None:
    assert diagnosis() == [NOTHING_FOUND]


def test_without_evidence_nothing_is_claimed_about_tunnels_routes_or_groups() -> None:
    minimal = {key: value for key, value in healthy().items() if key not in EVIDENCE}
    assert verify_diagnosis(minimal) == ["Nothing in the evidence gathered explains it, but the ping got no answer"]


def test_skipped_evidence_is_left_out() -> None:
    skipped = {"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}
    assert diagnosis(security_groups=skipped) == [
        "Nothing in the evidence gathered explains it, but the ping got no answer"
    ]


# The gateway's log: pre-shared keys


def test_authentication_failed_in_the_gateway_log_names_a_psk_mismatch() -> None:
    assert with_journal('"Tunnel1" #1: sent IKE_AUTH request', AUTH_FAILED_1)[0] == (
        f"Tunnel1 ({TUNNEL1_IP}): pre-shared key mismatch, the IKE authentication failed (pluto: {AUTH_FAILED_1}); "
        "IDC-CGW must use the key AWS has for this tunnel: rerun playbooks/openswan.yml to write it"
    )


@pytest.mark.parametrize(
    "line",
    [
        f"\"Tunnel2\" #3: authentication failed: computed hash does not match hash received from peer ID_IPV4_ADDR '{TUNNEL2_IP}'",
        f'"Tunnel2" #3: responding to IKE_AUTH message (ID 1) from {TUNNEL2_IP}:4500 with encrypted notification AUTHENTICATION_FAILED',
        '"Tunnel2" #3: probable authentication failure (mismatch of preshared secrets?): malformed payload in packet',
        '"Tunnel2" #3: STATE_MAIN_I3: 60 second timeout exceeded after 7 retransmits.  Possible authentication failure: '
        "no acceptable response to our first encrypted message",
        '"Tunnel2" #3: STATE_MAIN_I3: retransmission; will wait 0.5 seconds for response',
        f"\"Tunnel2\" #3: Can't authenticate: no preshared key found for `198.51.100.10' and `{TUNNEL2_IP}'",
        '"Tunnel2" #3: PSK authentication failed',
        '"Tunnel2" #3: pre-shared key mismatch',
    ],
)
def test_every_way_pluto_reports_a_key_mismatch_names_it_on_its_tunnel(line: str) -> None:
    found = with_journal(line)
    assert found[0].startswith(f"Tunnel2 ({TUNNEL2_IP}): pre-shared key mismatch")
    assert f"pluto: {' '.join(line.split())}" in found[0]


def test_a_psk_mismatch_on_one_tunnel_leaves_the_other_tunnel_out() -> None:
    found = diagnosis(
        gateway_journal=log(
            *HEALTHY_JOURNAL, '"Tunnel2" #5: IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED'
        )
    )
    assert [sentence.split(":")[0] for sentence in found] == [f"Tunnel2 ({TUNNEL2_IP})"]


def test_a_line_naming_no_tunnel_is_put_on_the_gateway() -> None:
    found = with_journal("packet from 203.0.113.10:500: authentication failed")
    assert found[0].startswith("IDC-CGW: pre-shared key mismatch")


def test_a_tunnel_without_a_known_outside_ip_is_named_alone() -> None:
    found = diagnosis(
        tunnels={"changed": False, "tunnels": []},
        gateway_journal=log(PLUTO_START, AUTH_FAILED_1),
        gateway_trafficstatus=trafficstatus(),
    )
    assert found[0].startswith("Tunnel1: pre-shared key mismatch")


# The gateway's log: identity, negotiation, silence


def test_an_identity_aws_refuses_is_named() -> None:
    line = f'"Tunnel1" #1: sending encrypted notification INVALID_ID_INFORMATION to {TUNNEL1_IP}:4500'
    assert with_journal(line)[0] == (
        f"Tunnel1 ({TUNNEL1_IP}): AWS refused IDC-CGW's IKE identity (pluto: {line}); leftid must be the customer "
        "gateway's public IP as AWS knows it"
    )


@pytest.mark.parametrize(
    "line, reason",
    [
        (
            '"Tunnel1" #1: IKE_SA_INIT response contained the notification NO_PROPOSAL_CHOSEN',
            "the two sides share no proposal: encryption, integrity, DH group or IKE version (NO_PROPOSAL_CHOSEN)",
        ),
        (
            '"Tunnel1" #1: no acceptable Oakley Transform',
            "the two sides share no proposal: encryption, integrity, DH group or IKE version (NO_PROPOSAL_CHOSEN)",
        ),
        (
            '"Tunnel1" #1: IKE_SA_INIT response contained the notification INVALID_KE_PAYLOAD',
            "the DH groups differ (INVALID_KE_PAYLOAD)",
        ),
        (
            '"Tunnel1" #2: CREATE_CHILD_SA failed with error notification TS_UNACCEPTABLE',
            "the traffic selectors (leftsubnet/rightsubnet) are not acceptable to the other side (TS_UNACCEPTABLE)",
        ),
    ],
)
def test_an_ike_negotiation_failure_is_named_with_its_reason(line: str, reason: str) -> None:
    assert with_journal(line)[0] == (
        f"Tunnel1 ({TUNNEL1_IP}): IKE negotiation failed, {reason} (pluto: {line}); compare the VPN connection's "
        "tunnel options with the ike= and esp= of IDC-CGW's configuration"
    )


@pytest.mark.parametrize(
    "line",
    [
        RETRANSMIT_2,
        '"Tunnel2" #3: STATE_V2_PARENT_I1: 60 second timeout exceeded after 7 retransmits.  No response (or no '
        "acceptable response) to our first IKEv2 message",
        f'"Tunnel2" #3: liveness: peer {TUNNEL2_IP} is not responding',
    ],
)
def test_an_endpoint_that_does_not_answer_is_named_with_its_outside_ip(line: str) -> None:
    found = with_journal(line)
    assert found[0] == (
        f"Tunnel2 ({TUNNEL2_IP}): {TUNNEL2_IP} does not answer IKE (pluto: {' '.join(line.split())}); UDP 500/4500 from "
        "IDC-CGW does not reach it or its answers do not come back, or the outside IP is stale (a replaced VPN "
        "connection has new ones: rerun playbooks/openswan.yml)"
    )


@pytest.mark.parametrize(
    "line",
    [
        # Libreswan 4 says this at every start for IKEv2 conns that set dpdtimeout.
        'conn: "Tunnel2" warning IKEv2 liveness uses retransmit-timeout=, dpdtimeout= ignored',
        # And every pluto under systemd at its start.
        "systemd watchdog for ipsec service configured with timeout of 200000000 usecs",
    ],
)
def test_a_line_naming_a_timeout_setting_is_not_a_silent_endpoint(line: str) -> None:
    assert not any("does not answer" in cause for cause in with_journal(line))


def test_the_most_specific_cause_of_a_tunnel_wins_over_its_later_retransmissions() -> None:
    found = with_journal(
        AUTH_FAILED_1, '"Tunnel1" #5: STATE_V2_PARENT_I1: retransmission; will wait 0.5 seconds for response'
    )
    assert len(found) == 1
    assert found[0].startswith(f"Tunnel1 ({TUNNEL1_IP}): pre-shared key mismatch")


def test_the_latest_line_of_a_cause_is_quoted() -> None:
    older = '"Tunnel1" #1: authentication failed: computed hash does not match'
    found = with_journal(older, AUTH_FAILED_1)
    assert AUTH_FAILED_1 in found[0]
    assert older not in found[0]


@pytest.mark.parametrize(
    "established",
    [
        TUNNEL_UP[1][0],
        TUNNEL_UP[1][1],
        # Libreswan 3.x
        '"Tunnel1" #2: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP/NAT=>0x0a1b2c3d <0x4e5f6071 '
        "xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=203.0.113.10:4500 DPD=active}",
    ],
)
def test_a_failure_the_tunnel_has_recovered_from_is_not_a_cause(established: str) -> None:
    assert diagnosis(gateway_journal=log(PLUTO_START, AUTH_FAILED_1, established)) == [NOTHING_FOUND]


def test_what_pluto_logged_before_it_last_started_is_not_a_cause() -> None:
    journal = log(PLUTO_START, AUTH_FAILED_1, '"Tunnel1" #1: deleting IKE SA', *HEALTHY_JOURNAL)
    assert diagnosis(gateway_journal=journal) == [NOTHING_FOUND]


def test_a_long_log_line_is_quoted_at_most_200_characters_long() -> None:
    found = with_journal(AUTH_FAILED_1 + " " + "x" * 2000)
    quoted = found[0].split("(pluto: ", 1)[1].split("); IDC-CGW must", 1)[0]
    assert len(quoted) == 200
    assert quoted.endswith("...")


def test_causes_come_most_specific_first_and_tunnels_in_order() -> None:
    found = diagnosis(
        gateway_journal=log(
            PLUTO_START,
            RETRANSMIT_2,
            '"Tunnel1" #1: no acceptable Oakley Transform',
            AUTH_FAILED_1.replace("Tunnel1", "Tunnel2"),
        ),
        gateway_trafficstatus=trafficstatus(),
        security_groups={"changed": False, "security_groups": [security_group(SSH_RULE)]},
    )
    assert [sentence.split(" (")[0] for sentence in found] == [
        "Tunnel2",
        "Tunnel1",
        "AWS-EC2's security group AWS-EC2-SG",
    ]
    assert "pre-shared key mismatch" in found[0]
    assert "IKE negotiation failed" in found[1]


# The gateway's state


@pytest.mark.parametrize(
    "said",
    [
        'whack: Pluto is not running (no "/run/pluto/pluto.ctl")',
        # Libreswan 3.x
        'ipsec whack: connect() for "/var/run/pluto/pluto.ctl" failed (2 No such file or directory)',
    ],
)
def test_pluto_not_running_is_named(said: str) -> None:
    found = diagnosis(
        gateway_trafficstatus=command(rc=1, stderr=said),
        gateway_journal=log(*HEALTHY_JOURNAL, "Stopping Internet Key Exchange (IKE) Protocol Daemon for IPsec..."),
    )
    assert found == [
        f"ipsec is not running on IDC-CGW (ipsec trafficstatus: {said}); "
        "start it (systemctl start ipsec) or rerun playbooks/openswan.yml"
    ]


def test_libreswan_not_installed_is_named() -> None:
    found = diagnosis(
        gateway_trafficstatus=command(rc=127, stderr="/bin/sh: ipsec: command not found"), gateway_journal=log()
    )
    assert (
        found[0]
        == "Libreswan is not installed on IDC-CGW (ipsec trafficstatus: /bin/sh: ipsec: command not found); run playbooks/openswan.yml"
    )


def test_another_trafficstatus_failure_is_quoted() -> None:
    found = diagnosis(gateway_trafficstatus=command(rc=3, stderr="whack: something else went wrong"))
    assert found == ["ipsec trafficstatus failed on IDC-CGW: whack: something else went wrong"]


def test_an_unreachable_gateway_is_named_once_and_nothing_of_it_is_guessed() -> None:
    unreachable = {
        "unreachable": True,
        "changed": False,
        "msg": "Failed to connect to the host via ssh: Connection timed out",
    }
    found = diagnosis(gateway_trafficstatus=unreachable, gateway_journal=unreachable, gateway_route=unreachable)
    assert found == [
        "IDC-CGW could not be reached to read the tunnels' state: Failed to connect to the host via ssh: Connection timed out"
    ]


def test_no_ipsec_sa_without_a_logged_reason_is_named() -> None:
    found = diagnosis(
        gateway_trafficstatus=trafficstatus(), gateway_journal=log(PLUTO_START, '"Tunnel1": added IKEv2 connection')
    )
    assert found == [
        "IDC-CGW has no IPsec SA with AWS (ipsec trafficstatus lists none) and pluto's log names no reason; check that "
        "Tunnel1 and Tunnel2 are loaded and started (ipsec status)"
    ]


def test_no_ipsec_sa_is_not_repeated_when_the_log_names_the_reason() -> None:
    assert len(with_journal(AUTH_FAILED_1)) == 1


def test_libreswan_5_trafficstatus_without_the_status_prefix_is_read() -> None:
    lines = trafficstatus((2, "Tunnel1", 0, 840))["stdout"].removeprefix("006 ")
    found = diagnosis(gateway_trafficstatus=command(lines))
    assert found[0].startswith("Tunnel1 sent 840 bytes to AWS and received none back")


# AWS's telemetry


def test_both_tunnels_down_in_telemetry_are_named_with_their_outside_ips_and_messages() -> None:
    tunnels = vpn(
        tunnel(TUNNEL1_IP, "169.254.10.0/30", "DOWN", "IPSEC IS DOWN"),
        tunnel(TUNNEL2_IP, "169.254.20.0/30", "DOWN", "IPSEC IS DOWN"),
    )
    assert diagnosis(tunnels=tunnels) == [
        f'Both tunnels are DOWN in AWS\'s telemetry: Tunnel1 {TUNNEL1_IP} ("IPSEC IS DOWN", since 2024-05-01T08:30:00+00:00); '
        f'Tunnel2 {TUNNEL2_IP} ("IPSEC IS DOWN", since 2024-05-01T08:30:00+00:00)'
    ]


def test_one_tunnel_down_is_redundancy_not_a_cause() -> None:
    tunnels = vpn(tunnel(TUNNEL1_IP, "169.254.10.0/30"), tunnel(TUNNEL2_IP, "169.254.20.0/30", "DOWN", "IPSEC IS DOWN"))
    assert diagnosis(tunnels=tunnels) == [NOTHING_FOUND]


def test_tunnels_without_telemetry_are_not_called_down() -> None:
    tunnels = vpn(tunnel(TUNNEL1_IP, "169.254.10.0/30", None), tunnel(TUNNEL2_IP, "169.254.20.0/30", "DOWN"))
    assert diagnosis(tunnels=tunnels) == [NOTHING_FOUND]


# Routes on the hosts


@pytest.mark.parametrize(
    "result, said",
    [
        (
            command(rc=2, stderr="RTNETLINK answers: Network is unreachable"),
            "RTNETLINK answers: Network is unreachable",
        ),
        (
            command("unreachable 10.50.1.100 table main uid 1000 \n    cache "),
            "unreachable 10.50.1.100 table main uid 1000",
        ),
        (command("blackhole 10.50.1.100 table main uid 1000"), "blackhole 10.50.1.100 table main uid 1000"),
    ],
)
def test_no_route_to_the_target_on_the_source_host_is_named(result: dict[str, Any], said: str) -> None:
    assert diagnosis(source_route=result) == [f"IDC-EC2 has no route to 10.50.1.100 (ip route get: {said})"]


def test_no_route_on_the_gateway_is_named_with_the_route_based_tunnels_route() -> None:
    found = diagnosis(gateway_route=command(rc=2, stderr="RTNETLINK answers: Network is unreachable"))
    assert found == [
        "IDC-CGW has no route to 10.50.1.100 (ip route get: RTNETLINK answers: Network is unreachable); the updown "
        "script routes 10.50.0.0/16 through a tunnel's VTI interface only while that tunnel is up"
    ]


def test_a_gateway_route_to_the_default_gateway_instead_of_a_vti_interface_is_named() -> None:
    found = diagnosis(gateway_route=command("10.50.1.100 via 10.60.0.1 dev eth0 src 10.60.0.100 uid 0 \n    cache "))
    assert found == [
        "IDC-CGW routes 10.50.1.100 via 10.60.0.1 dev eth0, not into a tunnel (vti1 or vti2): the updown script routes "
        "10.50.0.0/16 through a tunnel's VTI interface only while that tunnel is up"
    ]


def test_policy_based_tunnels_route_through_the_default_gateway() -> None:
    route_via_eth0 = command("10.50.1.100 via 10.60.0.1 dev eth0 src 10.60.0.100 uid 0")
    assert diagnosis(gateway_routing="policy", gateway_route=route_via_eth0) == [NOTHING_FOUND]


def test_a_missing_ip_command_is_not_taken_for_a_missing_route() -> None:
    missing = {
        "changed": False,
        "failed": False,
        "rc": 2,
        "cmd": "ip route get 10.50.1.100",
        "msg": "[Errno 2] No such file or directory: b'ip'",
        "stdout": "",
        "stderr": "",
    }
    assert diagnosis(source_route=missing) == [NOTHING_FOUND]


# The lab's instances


def test_a_missing_target_instance_is_named() -> None:
    found = diagnosis(instances={"changed": False, "instances": copy.deepcopy([IDC_EC2, IDC_CGW])})
    assert found == [
        "No instance of the lab has the private address 10.50.1.100: AWS-EC2 does not exist "
        "(or 10.50.1.100 is not its address)"
    ]


def test_a_stopped_target_instance_is_named() -> None:
    found = diagnosis(instances=instances_with("AWS-EC2", state={"code": 80, "name": "stopped"}))
    assert found == ["AWS-EC2 (i-0aws, 10.50.1.100) is stopped, not running"]


def test_a_running_instance_wins_over_a_terminated_one_at_the_same_address() -> None:
    gone = instance(
        "i-0old", "AWS-EC2", "10.50.1.100", "subnet-0awspublic", "vpc-0aws", state={"code": 48, "name": "terminated"}
    )
    found = diagnosis(instances={"changed": False, "instances": [gone, *copy.deepcopy([AWS_EC2, IDC_EC2, IDC_CGW])]})
    assert found == [NOTHING_FOUND]


def test_source_destination_checking_on_the_gateway_is_named() -> None:
    assert diagnosis(instances=instances_with("IDC-CGW", source_dest_check=True)) == [
        "IDC-CGW (i-0cgw) has source/destination checking on: EC2 drops the packets it forwards between 10.60.0.0/16 "
        "and 10.50.0.0/16; turn it off on its network interface"
    ]


# The lab's route tables


def test_no_route_back_to_the_idc_cidr_in_the_aws_route_table_is_named() -> None:
    tables = routes_of("AWS-PublicRT", route("0.0.0.0/0", gateway_id="igw-0aws"))
    assert diagnosis(route_tables=tables) == [
        "AWS-PublicRT (rtb-0awspublic), the route table of AWS-EC2's subnet, has no route to 10.60.0.0/16: 10.60.1.100 would follow "
        "0.0.0.0/0 to igw-0aws; it needs 10.60.0.0/16 via the virtual private gateway (route propagation on, and the "
        "VPN connection's static route 10.60.0.0/16)"
    ]


def test_a_blackhole_route_back_to_the_idc_cidr_is_named() -> None:
    tables = routes_of(
        "AWS-PublicRT",
        route("0.0.0.0/0", gateway_id="igw-0aws"),
        route("10.60.0.0/16", "blackhole", gateway_id="vgw-0gone", origin="EnableVgwRoutePropagation"),
    )
    found = diagnosis(route_tables=tables)
    assert found == [
        "AWS-PublicRT (rtb-0awspublic), the route table of AWS-EC2's subnet, routes 10.60.0.0/16 to a blackhole: its "
        "target vgw-0gone is gone (deleted or detached); it needs 10.60.0.0/16 via the virtual private gateway "
        "(route propagation on, and the VPN connection's static route 10.60.0.0/16)"
    ]


def test_the_most_specific_route_decides() -> None:
    tables = routes_of(
        "AWS-PublicRT",
        route("10.60.0.0/16", gateway_id="vgw-0lab"),
        route("10.60.1.0/24", "blackhole", network_interface_id="eni-0deleted"),
    )
    assert diagnosis(route_tables=tables)[0].startswith(
        "AWS-PublicRT (rtb-0awspublic), the route table of AWS-EC2's subnet, routes 10.60.1.0/24 to a blackhole"
    )


def test_a_route_back_to_something_else_than_the_vpn_is_named() -> None:
    tables = routes_of("AWS-PublicRT", route("10.60.0.0/16", vpc_peering_connection_id="pcx-0peer"))
    assert diagnosis(route_tables=tables)[0].startswith(
        "AWS-PublicRT (rtb-0awspublic), the route table of AWS-EC2's subnet, sends 10.60.0.0/16 to pcx-0peer; it needs "
        "10.60.0.0/16 via the virtual private gateway"
    )


def test_a_transit_gateway_route_back_is_fine() -> None:
    tables = routes_of("AWS-PublicRT", route("10.60.0.0/16", transit_gateway_id="tgw-0lab"))
    assert diagnosis(route_tables=tables) == [NOTHING_FOUND]


def test_the_idc_private_route_table_without_a_route_to_the_aws_cidr_is_named() -> None:
    assert diagnosis(route_tables=routes_of("IDC-PrivateRT")) == [
        "IDC-PrivateRT (rtb-0idcprivate), the route table of IDC-EC2's subnet, has no route to 10.50.0.0/16: 10.50.1.100 matches no "
        "route; it needs 10.50.0.0/16 via IDC-CGW's network interface"
    ]


def test_an_idc_route_to_another_network_interface_than_the_gateways_is_named() -> None:
    tables = routes_of("IDC-PrivateRT", route("10.50.0.0/16", network_interface_id="eni-0other"))
    assert diagnosis(route_tables=tables) == [
        "IDC-PrivateRT (rtb-0idcprivate), the route table of IDC-EC2's subnet, sends 10.50.0.0/16 to eni-0other; it "
        "needs 10.50.0.0/16 via IDC-CGW's network interface"
    ]


def test_an_idc_route_whose_gateway_interface_is_gone_is_a_blackhole() -> None:
    tables = routes_of("IDC-PrivateRT", route("10.50.0.0/16", "blackhole", network_interface_id="eni-0cgw"))
    assert diagnosis(route_tables=tables)[0].startswith(
        "IDC-PrivateRT (rtb-0idcprivate), the route table of IDC-EC2's subnet, routes 10.50.0.0/16 to a blackhole: its "
        "target eni-0cgw is gone"
    )


def test_a_subnet_left_on_its_vpcs_main_route_table_is_named() -> None:
    tables = healthy()["route_tables"]
    tables["route_tables"][2]["associations"] = []
    assert diagnosis(route_tables=tables) == [
        "AWS-EC2's subnet subnet-0awspublic uses none of the lab's route tables (its VPC's main route table, which has "
        "no route to 10.60.0.0/16)"
    ]


def test_a_tagged_main_route_table_serves_a_subnet_without_its_own() -> None:
    tables = healthy()["route_tables"]
    tables["route_tables"][2]["associations"] = [{"main": True, "route_table_id": "rtb-0awspublic"}]
    assert diagnosis(route_tables=tables) == [NOTHING_FOUND]


# Security groups


@pytest.mark.parametrize(
    "rule",
    [
        permission("icmp", "10.60.0.0/16", -1, -1),
        permission("icmp", "10.60.1.0/24", 8, 0),
        permission("icmp", "10.60.1.100/32", 8, -1),
        permission("-1", "10.0.0.0/8"),
        permission("1", "0.0.0.0/0", -1, -1),
    ],
)
def test_an_icmp_echo_rule_from_a_cidr_holding_the_source_lets_the_ping_in(rule: dict[str, Any]) -> None:
    assert diagnosis(security_groups={"security_groups": [security_group(SSH_RULE, rule)]}) == [NOTHING_FOUND]


@pytest.mark.parametrize(
    "rule",
    [
        permission("icmp", "10.60.2.0/24", -1, -1),
        permission("icmp", "10.60.0.0/16", 0, -1),
        permission("icmp", "10.60.0.0/16", 3, 4),
        permission("tcp", "10.60.0.0/16", 0, 65535),
    ],
)
def test_a_security_group_allowing_no_icmp_echo_from_the_source_is_named(rule: dict[str, Any]) -> None:
    found = diagnosis(security_groups={"security_groups": [security_group(SSH_RULE, rule)]})
    assert len(found) == 1
    assert found[0].startswith(
        "AWS-EC2's security group AWS-EC2-SG (sg-0aws) allows no ICMP echo from 10.60.1.100 (10.60.0.0/16)"
    )
    assert found[0].endswith(": add an inbound ICMP rule for 10.60.0.0/16")


def test_the_cidrs_icmp_is_allowed_from_are_named() -> None:
    found = diagnosis(
        security_groups={"security_groups": [security_group(SSH_RULE, permission("icmp", "10.70.0.0/16", -1, -1))]}
    )
    assert found == [
        "AWS-EC2's security group AWS-EC2-SG (sg-0aws) allows no ICMP echo from 10.60.1.100 (10.60.0.0/16); ICMP is "
        "allowed only from 10.70.0.0/16: add an inbound ICMP rule for 10.60.0.0/16"
    ]


def test_a_group_is_named_by_its_name_tag_as_the_console_lists_it() -> None:
    # CloudFormation names the group itself; the lab's Name tag is what the console's list shows.
    made = security_group(SSH_RULE) | {"group_name": "hybridlab-aws-AwsEc2SecurityGroup-J4PAV3WL9M4B"}
    assert diagnosis(security_groups={"security_groups": [made]})[0].startswith(
        "AWS-EC2's security group AWS-EC2-SG (sg-0aws) allows no ICMP echo"
    )
    untagged = made | {"tags": {}}
    assert diagnosis(security_groups={"security_groups": [untagged]})[0].startswith(
        "AWS-EC2's security group hybridlab-aws-AwsEc2SecurityGroup-J4PAV3WL9M4B (sg-0aws) allows no ICMP echo"
    )


def test_every_group_of_the_target_counts() -> None:
    second = security_group(permission("icmp", "10.60.0.0/16", -1, -1)) | {"group_id": "sg-0icmp", "group_name": "ICMP"}
    instances = instances_with("AWS-EC2", security_groups=[{"group_id": "sg-0aws"}, {"group_id": "sg-0icmp"}])
    groups = {"security_groups": [security_group(SSH_RULE), second]}
    assert diagnosis(instances=instances, security_groups=groups) == [NOTHING_FOUND]


def test_a_prefix_list_rule_is_not_judged() -> None:
    rule = permission("icmp", "10.70.0.0/16", -1, -1) | {"prefix_list_ids": [{"prefix_list_id": "pl-0idc"}]}
    assert diagnosis(security_groups={"security_groups": [security_group(SSH_RULE, rule)]}) == [NOTHING_FOUND]


# The IPsec SAs' byte counters


def test_traffic_that_leaves_through_the_tunnel_but_never_comes_back_is_named() -> None:
    found = diagnosis(gateway_trafficstatus=trafficstatus((2, "Tunnel1", 0, 840), (4, "Tunnel2", 0, 0)))
    assert found == [
        "Tunnel1 sent 840 bytes to AWS and received none back: the ping leaves through the tunnel but no answer comes "
        "back from AWS-EC2 (its route back to 10.60.0.0/16, its security groups, its subnet's network ACL or its own firewall)"
    ]


def test_no_traffic_entering_the_tunnels_is_named() -> None:
    found = diagnosis(gateway_trafficstatus=trafficstatus((2, "Tunnel1", 0, 0), (4, "Tunnel2", 0, 0)))
    assert found == [
        "No traffic entered the tunnels (every IPsec SA on IDC-CGW shows outBytes=0): the ping does not reach IDC-CGW "
        "or IDC-CGW does not route it into a tunnel"
    ]


# Evidence that could not be gathered


def test_a_failed_aws_lookup_is_listed_as_not_checked_after_the_causes() -> None:
    failed = {
        "changed": False,
        "failed": False,
        "failed_when_result": False,
        "msg": 'Failed to describe route tables: Could not connect to the endpoint URL: "https://ec2.ap-northeast-2.amazonaws.com/"',
    }
    found = diagnosis(
        route_tables=failed, source_route=command(rc=2, stderr="RTNETLINK answers: Network is unreachable")
    )
    assert found == [
        "IDC-EC2 has no route to 10.50.1.100 (ip route get: RTNETLINK answers: Network is unreachable)",
        "Not checked, the lab's route tables: Failed to describe route tables: Could not connect to the endpoint URL: "
        '"https://ec2.ap-northeast-2.amazonaws.com/"',
    ]


def test_a_failed_tunnel_lookup_is_listed_as_not_checked() -> None:
    failed = {"changed": False, "failed": False, "msg": "Stack hybridlab-vpn does not exist"}
    assert diagnosis(tunnels=failed) == [
        "Nothing in the evidence gathered explains it, but the ping got no answer",
        "Not checked, the VPN connection's tunnels: Stack hybridlab-vpn does not exist",
    ]


# No key, ever


def test_no_sentence_contains_a_pre_shared_key() -> None:
    tunnels = vpn(
        tunnel(TUNNEL1_IP, "169.254.10.0/30", "DOWN", "IPSEC IS DOWN") | {"pre_shared_key": PSKS[0]},
        tunnel(TUNNEL2_IP, "169.254.20.0/30", "DOWN", "IPSEC IS DOWN") | {"pre_shared_key": PSKS[1]},
    )
    everything_wrong = diagnosis(
        tunnels=tunnels,
        gateway_journal=log(PLUTO_START, AUTH_FAILED_1, RETRANSMIT_2),
        gateway_trafficstatus=trafficstatus(),
        gateway_route=command("10.50.1.100 via 10.60.0.1 dev eth0"),
        source_route=command(rc=2, stderr="RTNETLINK answers: Network is unreachable"),
        route_tables=routes_of("AWS-PublicRT"),
        security_groups={"security_groups": [security_group(SSH_RULE)]},
    )
    assert len(everything_wrong) >= 6
    assert not any(psk in sentence for sentence in everything_wrong for psk in PSKS), everything_wrong


# The caller's mistakes


@pytest.mark.parametrize("evidence", [None, "10.50.1.100", [healthy()]])
def test_evidence_that_is_not_a_dict_is_a_callers_mistake(evidence: Any) -> None:
    with pytest.raises(AnsibleFilterError, match="expects a dict"):
        verify_diagnosis(evidence)


def test_missing_addresses_are_a_callers_mistake_that_is_named() -> None:
    evidence = healthy()
    del evidence["source_ip"]
    evidence["target_cidr"] = ""
    with pytest.raises(AnsibleFilterError, match="lacks target_cidr, source_ip"):
        verify_diagnosis(evidence)


def test_an_unknown_key_is_a_callers_mistake_that_is_named() -> None:
    with pytest.raises(AnsibleFilterError, match="unknown evidence gateway_log"):
        verify_diagnosis(healthy() | {"gateway_log": log(AUTH_FAILED_1)})


def test_a_target_that_is_not_an_address_is_a_callers_mistake() -> None:
    with pytest.raises(AnsibleFilterError, match="target_ip must be an IPv4 address"):
        diagnosis(target_ip="aws-ec2.internal")


def test_the_filter_is_found_by_its_collection_name_in_a_template() -> None:
    evidence = healthy() | {
        "gateway_journal": log(PLUTO_START, AUTH_FAILED_1),
        "gateway_trafficstatus": trafficstatus(),
    }
    templar = Templar(loader=DataLoader(), variables={"evidence": evidence})
    found = templar.template(trust_as_template("{{ evidence | hybridlab.aws.verify_diagnosis }}"))
    assert len(found) == 1
    assert found[0].startswith(f"Tunnel1 ({TUNNEL1_IP}): pre-shared key mismatch")


def _gateway_config(*peers: str) -> dict:
    text = "".join(f"conn Tunnel{n}\n    authby=secret\n    right={ip}\n    type=tunnel\n" for n, ip in enumerate(peers, 1))
    return {"content": base64.b64encode(text.encode()).decode(), "encoding": "base64"}


def test_a_gateway_configured_for_a_replaced_connection_is_named_with_both_pairs_of_addresses() -> None:
    found = diagnosis(
        gateway_config=_gateway_config("203.0.113.2", "203.0.113.3"),
        gateway_journal=log(PLUTO_START, '"Tunnel1" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 16 seconds'),
        gateway_trafficstatus=trafficstatus(),
    )
    assert found[0] == (
        f"IDC-CGW's tunnels go to 203.0.113.2 and 203.0.113.3, but the VPN connection's tunnels are {TUNNEL1_IP} and "
        f"{TUNNEL2_IP}: the connection was replaced (new outside IPs and keys) and IDC-CGW not configured for it; "
        "rerun playbooks/openswan.yml"
    )
    # pluto's words about Tunnel1 name the address it really sends to.
    assert found[1].startswith("Tunnel1 (203.0.113.2): 203.0.113.2 does not answer IKE")


def test_a_gateway_configured_for_the_connection_is_no_cause() -> None:
    found = diagnosis(gateway_config=_gateway_config(TUNNEL1_IP, TUNNEL2_IP), gateway_trafficstatus=trafficstatus())
    assert not any("was replaced" in cause for cause in found)
